"""How an issued order reached the factory, and the compliance deadline that runs from it.

The factory has the order's period in calendar days from the day it received the order (the first
day not counted, Civil and Commercial Code s.193/3): received on 1 March with 30 days, it must comply
by 31 March. Receipt is recorded by the officer: handed over (with the receiver's name), registered
mail (tracking number, mailing date and the date on the return receipt) or posted at the premises
where no one would take it. Recording it moves the order's deadline and the follow-up inspection's
timer; SLA rules that count from the order should read `CorrectiveOrder.deadline`, which this keeps.
A follow-up already open when the receipt is recorded (the return receipt came back late) does not run
its clock while the period from receipt still runs (workflows.due.wait_for_compliance)."""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import format_be
from org.models import Person
from permissions import access
from workflows import audit, due

from .errors import InspectionError
from .models import CorrectiveOrder, DeliveryMethod, OrderDelivery, OrderStatus

MIN_PERIOD_DAYS, MAX_PERIOD_DAYS = 1, 365
FOLLOW_UP_AT = time(8, 0)  # the follow-up inspection falls due at 08:00 the day after the last day
FROM_RECEIPT = gettext_lazy("The compliance period runs from the day the factory received the order")
TRACKING_NO = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")  # UPU S10, as Thailand Post prints it: EA123456789TH


def compliance_due(received_on: date, period_days: int) -> date:
    """The last day to comply: `period_days` calendar days after the day of receipt."""
    return received_on + timedelta(days=period_days)


def follow_up_at(order: CorrectiveOrder) -> datetime:
    """When the follow-up inspection falls due: the morning after the order's last day."""
    return timezone.make_aware(datetime.combine(order.deadline + timedelta(days=1), FOLLOW_UP_AT))


def _clean(
    order: CorrectiveOrder, method: str, received_on: date | None, receiver: str, tracking_no: str,
    posted_on: date | None,
) -> dict:  # fmt: skip
    if method not in DeliveryMethod.values:
        raise InspectionError(_("Choose how the order was delivered."))
    if received_on is None:
        raise InspectionError(_("Give the date the factory received the order."))
    if received_on > timezone.localdate():
        raise InspectionError(_("The date of receipt cannot be in the future."))
    if order.issued_on and received_on < order.issued_on:
        raise InspectionError(_("The date of receipt cannot be before the order was issued."))
    receiver, tracking_no = receiver.strip(), re.sub(r"\s+", "", tracking_no).upper()
    if method == DeliveryMethod.HANDED and not receiver:
        raise InspectionError(_("Give the name of the person who received the order."))
    if method == DeliveryMethod.MAIL:
        if not TRACKING_NO.fullmatch(tracking_no):
            raise InspectionError(_("Give the registered mail's tracking number, e.g. EA123456789TH."))
        if posted_on is None:
            raise InspectionError(_("Give the date the order was mailed."))
        if posted_on > received_on or (order.issued_on and posted_on < order.issued_on):
            raise InspectionError(_("The order is mailed after it is issued and before it is received."))
    else:
        tracking_no, posted_on = "", None
    return {
        "method": method, "received_on": received_on, "receiver": receiver, "tracking_no": tracking_no,
        "posted_on": posted_on,
    }  # fmt: skip


def _state(delivery: OrderDelivery | None) -> dict:
    if delivery is None:
        return {}
    return {
        "method": delivery.method,
        "received_on": delivery.received_on.isoformat(),
        "receiver": delivery.receiver,
        "tracking_no": delivery.tracking_no,
        "posted_on": delivery.posted_on.isoformat() if delivery.posted_on else None,
        "note": delivery.note,
    }


@transaction.atomic
def order_delivery_record(
    *, order: CorrectiveOrder, by: Person, method: str, received_on: date | None, receiver: str = "",
    tracking_no: str = "", posted_on: date | None = None, note: str = "",
) -> OrderDelivery:  # fmt: skip
    """Record (or correct) how and when an issued order reached the factory; the deadline and the
    follow-up's timer move to the period counted from the date of receipt."""
    inspection = order.inspection
    if not access.can(by, "work", inspection):
        raise PermissionDenied
    order = CorrectiveOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ISSUED:
        raise InspectionError(_("Only an issued order that is not yet followed up has a delivery to record."))
    fields = _clean(order, method, received_on, receiver, tracking_no, posted_on)
    opened = Task.objects.filter(
        process__inspectionprocess__inspection=inspection, flow_task__endswith=".follow_up", status__in=due.OPEN
    ).values_list("created", flat=True)
    for started in opened:  # the follow-up's clock stands still until the period ends: it must have begun
        if received_on > timezone.localdate(started):
            raise InspectionError(
                _("The follow-up began on %(day)s: the factory received the order before that.")
                % {"day": format_be(timezone.localdate(started))}
            )
    existing = OrderDelivery.objects.filter(order=order).first()
    before = {**_state(existing), "deadline": order.deadline.isoformat()}
    delivery, _created = OrderDelivery.objects.update_or_create(
        order=order, defaults={**fields, "note": note.strip(), "recorded_by": by}
    )
    order.deadline = compliance_due(delivery.received_on, order.period_days)
    order.save(update_fields=["deadline"])
    for timer in Task.objects.filter(
        process__inspectionprocess__inspection=inspection, flow_task_type="TIMER", status=STATUS.SCHEDULED
    ):  # the follow-up's date moves, kept in the case's trail (workflows.due)
        due.move(timer, follow_up_at(order), reason=FROM_RECEIPT, by=by, case=inspection)
    for follow_up in Task.objects.filter(
        process__inspectionprocess__inspection=inspection, flow_task__endswith=".follow_up", status__in=due.OPEN
    ):  # opened before the period (from receipt) ended: its clock stands still until it ends (workflows.due)
        due.wait_for_compliance(
            task=follow_up, until=follow_up_at(order), deadline=order.deadline, by=by, case=inspection
        )
    audit.record(
        subject=inspection,
        action="order.delivered",
        label=gettext_lazy("Order delivery recorded") if existing is None else gettext_lazy("Order delivery corrected"),
        by=by,
        before=before if existing else None,
        after={**_state(delivery), "deadline": order.deadline.isoformat()},
    )
    return delivery
