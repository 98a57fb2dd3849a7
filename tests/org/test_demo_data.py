import pytest
from django.core.management import call_command

from org.models import ActingAssignment, Holding, Person, Unit, UnitKind
from permissions.models import UnitUserObjectPermission
from registry.models import Factory


@pytest.mark.django_db
def test_demo_data_loads_every_role_and_is_idempotent():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    counts = [Person.objects.count(), Holding.objects.count(), Factory.objects.count()]
    grants = UnitUserObjectPermission.objects.count()
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert [Person.objects.count(), Holding.objects.count(), Factory.objects.count()] == counts
    assert UnitUserObjectPermission.objects.count() == grants
    assert Factory.objects.count() == 2000
    assert Unit.objects.filter(kind=UnitKind.OFFICE).count() == 76
    assert not Unit.objects.filter(kind=UnitKind.OFFICE, province_id=10).exists()  # no Bangkok office
    assert ActingAssignment.objects.filter(person__username="chainat.head").exists()
    kinds = set(Holding.objects.values_list("position__kind", flat=True))
    assert kinds >= {"inspector", "group_head", "provincial_officer", "assistant_ps", "deputy_ps",
                     "executive_viewer", "process_admin"}  # fmt: skip


@pytest.mark.django_db
def test_demo_complaints_cover_every_state_through_the_flow():
    from workflows.audit import verify
    from workflows.complaint.models import Complaint, ComplaintStatus

    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    states = sorted(Complaint.objects.values_list("status", flat=True))
    assert states == sorted([ComplaintStatus.RECEIVED, ComplaintStatus.RECEIVED, ComplaintStatus.REJECTED,
                             ComplaintStatus.ACCEPTED, ComplaintStatus.CLOSED])  # fmt: skip
    closed = Complaint.objects.get(status=ComplaintStatus.CLOSED)
    assert closed.answer and closed.inspection.closed_at is not None
    accepted = Complaint.objects.get(status=ComplaintStatus.ACCEPTED)
    assert accepted.inspection.reason == "complaint" and accepted.inspection.closed_at is None
    assert not Complaint.objects.get(status=ComplaintStatus.REJECTED).inspection_id
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    assert Complaint.objects.count() == 5  # idempotent
    assert verify() == []
