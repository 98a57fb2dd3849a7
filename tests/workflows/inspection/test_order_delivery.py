"""How an issued order reached the factory: recorded by the office with validation and an audit entry,
shown on the case page; the deadline and the follow-up's timer run from the date of receipt."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.clock import at
from tests.conftest import LOPBURI, staff
from tests.workflows.inspection.test_pdfs import issued_order, signed_off  # noqa: F401 (fixtures)
from workflows import audit
from workflows.inspection import delivery
from workflows.inspection.errors import InspectionError
from workflows.inspection.models import OrderDelivery

pytestmark = [pytest.mark.django_db, at(2026, 12, 1)]


def delivery_url(order):
    return reverse("inspection:order_delivery", args=[order.inspection_id, order.pk])


def timer(order) -> Task:
    return Task.objects.get(
        process__inspectionprocess__inspection=order.inspection, flow_task_type="TIMER", status=STATUS.SCHEDULED
    )


def test_the_deadline_counts_calendar_days_after_the_day_of_receipt():
    assert delivery.compliance_due(date(2026, 3, 1), 30) == date(2026, 3, 31)
    assert delivery.compliance_due(date(2026, 12, 20), 15) == date(2027, 1, 4)  # over new year, no working days


def test_a_later_date_of_receipt_moves_the_deadline_and_the_follow_up(songkhla, issued_order):  # noqa: F811
    assert issued_order.deadline == issued_order.issued_on + timedelta(days=30)  # from the issue date until recorded
    delivery.order_delivery_record(
        order=issued_order, by=songkhla.inspector, method="handed", received_on=date(2026, 12, 1), receiver="นายรับ ไว้"
    )
    issued_order.refresh_from_db()
    assert issued_order.deadline == date(2026, 12, 31)
    assert timezone.localtime(timer(issued_order).scheduled) == timezone.make_aware(
        datetime.combine(date(2027, 1, 1), time(8, 0))
    )


@at(2026, 12, 20)
def test_mail_received_later_gives_a_later_deadline(songkhla, issued_order):  # noqa: F811
    issued_order.issued_on = date(2026, 12, 12)
    issued_order.save(update_fields=["issued_on"])
    delivery.order_delivery_record(
        order=issued_order, by=songkhla.officer, method="mail", received_on=date(2026, 12, 18),
        tracking_no="ea 1234 5678 9th", posted_on=date(2026, 12, 14),
    )  # fmt: skip
    issued_order.refresh_from_db()
    assert issued_order.deadline == date(2027, 1, 17)
    assert issued_order.delivery.tracking_no == "EA123456789TH"
    assert timezone.localtime(timer(issued_order).scheduled) == timezone.make_aware(
        datetime.combine(date(2027, 1, 18), time(8, 0))
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "handed", "received_on": date(2026, 12, 1)}, "ระบุชื่อผู้รับคำสั่ง"),
        ({"method": "mail", "received_on": date(2026, 12, 1), "tracking_no": "12345", "posted_on": date(2026, 12, 1)},
         "เลขพัสดุ"),
        ({"method": "mail", "received_on": date(2026, 12, 1), "tracking_no": "EA123456789TH"}, "วันที่ส่งคำสั่งทางไปรษณีย์"),
        ({"method": "posted", "received_on": date(2026, 12, 2)}, "ในอนาคต"),
        ({"method": "posted", "received_on": date(2026, 11, 1)}, "ก่อนวันที่ออกคำสั่ง"),
        ({"method": "fax", "received_on": date(2026, 12, 1)}, "เลือกวิธีส่งคำสั่ง"),
        ({"method": "posted", "received_on": None}, "ระบุวันที่โรงงานได้รับคำสั่ง"),
    ],
)  # fmt: skip
def test_bad_delivery_is_refused_and_nothing_changes(songkhla, issued_order, fields, message):  # noqa: F811
    deadline, entries = issued_order.deadline, audit.timeline(issued_order.inspection).count()
    with pytest.raises(InspectionError, match=message):
        delivery.order_delivery_record(order=issued_order, by=songkhla.officer, **fields)
    issued_order.refresh_from_db()
    assert issued_order.deadline == deadline and not OrderDelivery.objects.exists()
    assert audit.timeline(issued_order.inspection).count() == entries


def test_recording_enters_the_timeline_and_a_correction_keeps_before_and_after(songkhla, issued_order):  # noqa: F811
    issued_order.issued_on = date(2026, 11, 28)
    issued_order.save(update_fields=["issued_on"])
    delivery.order_delivery_record(
        order=issued_order, by=songkhla.officer, method="posted", received_on=date(2026, 11, 30)
    )
    delivery.order_delivery_record(
        order=issued_order, by=songkhla.officer, method="handed", received_on=date(2026, 12, 1), receiver="นางสาวรับ แทน"
    )
    first, second = audit.timeline(issued_order.inspection).filter(action="order.delivered")
    assert first.after["method"] == "posted" and first.after["deadline"] == "2026-12-30"
    assert second.before["deadline"] == "2026-12-30" and second.after["deadline"] == "2026-12-31"
    assert second.after["receiver"] == "นางสาวรับ แทน" and OrderDelivery.objects.count() == 1


def test_the_office_records_it_from_the_case_page(client, songkhla, issued_order):  # noqa: F811
    client.force_login(songkhla.inspector)
    case = reverse("inspection:case", args=[issued_order.inspection_id])
    page = client.get(case).content.decode()
    assert 'data-testid="delivery-missing"' in page and delivery_url(issued_order) in page
    assert client.get(delivery_url(issued_order)).status_code == 200
    response = client.post(
        delivery_url(issued_order), {"method": "handed", "received_on": "01/12/2569", "receiver": ""}
    )
    assert response.status_code == 200 and 'data-testid="form-errors"' in response.content.decode()
    assert not OrderDelivery.objects.exists()
    response = client.post(
        delivery_url(issued_order), {"method": "handed", "received_on": "01/12/2569", "receiver": "นายรับ ไว้"}
    )
    assert response.status_code == 302 and response["Location"] == case
    page = client.get(case).content.decode()
    assert "นายรับ ไว้" in page and "1 ธันวาคม 2569" in page


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("other_province", 404)])
def test_strangers_cannot_record_a_delivery(client, songkhla, issued_order, who, status):  # noqa: F811
    if who == "other_province":
        client.force_login(staff(LOPBURI, "group_head"))
    response = client.post(
        delivery_url(issued_order), {"method": "handed", "received_on": "01/12/2569", "receiver": "ใครก็ได้"}
    )
    assert response.status_code == status and not OrderDelivery.objects.exists()
