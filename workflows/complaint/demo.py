"""Demo complaints in every state, filed and moved on through the real services and flow (idempotent:
nothing is added when complaints exist). Runs after the demo inspection cases: one complaint is
linked to the open complaint-reason case, one is inspected, closed and answered."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import District, Person
from registry.models import Factory
from workflows import engine
from workflows.inspection import demo_cases
from workflows.inspection.models import Inspection, InspectionReason
from workflows.models.approvals import RoundDecision

from . import services
from .models import Complaint

SONGKHLA = 90
HAT_YAI = 9011  # อำเภอหาดใหญ่


def _complete(complaint, name, action):
    task = Task.objects.get(
        process__complaintprocess__complaint=complaint,
        flow_task__endswith=f".{name}",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    with engine.activation(task, case=complaint) as activation:  # the flow reads the object the services change
        activation.start(None)
        action(task.owner)
        activation.execute()


def _file(description, *, factory=None, district=None, contact=True, ip):
    district = district or factory.district
    data = {"description": description, "province": district.province_id, "district": district.pk, "factory": factory}
    if contact:
        data |= {"contact_name": "นายสมชาย ใจดี", "contact_phone": "0812345678"}
    return services.complaint_submit(data=data, photos=[], source_ip=ip)


def _inspect_to_close(inspection):
    """Walk the case the complaint opened through to a compliant close."""
    inspector = Person.objects.get(username="songkhla.inspector2")
    demo_cases._complete(inspection, "assign", lambda owner: demo_cases.services.inspection_assign(
        inspection=inspection, inspector=inspector, by=owner))  # fmt: skip
    demo_cases._complete(inspection, "inspect", demo_cases._inspected(inspection, compliant=True))
    demo_cases._complete(inspection, "review", lambda owner: demo_cases.services.review_decide(
        inspection=inspection, by=owner, decision=RoundDecision.APPROVE, comments=""))  # fmt: skip
    demo_cases._complete(inspection, "sign_off", lambda owner: demo_cases.services.inspection_sign_off(
        inspection=inspection, by=owner))  # fmt: skip


def load_demo_complaints() -> int:
    if Complaint.objects.exists():
        return 0
    hat_yai = District.objects.get(pk=HAT_YAI)
    busy = Inspection.objects.filter(closed_at__isnull=True).values("factory_id")
    free = Factory.objects.filter(province_id=SONGKHLA, status="operating").exclude(pk__in=busy).order_by("pk")
    quiet, answered_factory = free[10], free[11]
    under_inspection = (
        Inspection.objects.filter(factory__province_id=SONGKHLA, reason=InspectionReason.COMPLAINT, closed_at=None)
        .select_related("factory")
        .first()
    )
    made = [
        # 1. new, waiting for the group head's triage
        _file("มีกลิ่นเหม็นไหม้จากปล่องควันของโรงงานช่วงกลางคืน ชาวบ้านแสบจมูกและนอนไม่หลับหลายคืนติดต่อกัน",
              factory=quiet, ip="198.51.100.11"),
        # 2. new, the place only: no factory named
        _file("มีรถบรรทุกนำกากของเสียมาทิ้งในที่ดินว่างเปล่าริมถนนสายหาดใหญ่–สะเดา ไม่ทราบว่ามาจากโรงงานใด",
              district=hat_yai, contact=False, ip="198.51.100.12"),
    ]  # fmt: skip
    # 3. rejected, the reason not yet sent to the complainant
    rejected = _file("เพื่อนบ้านเปิดเพลงเสียงดังทุกคืนรบกวนการพักผ่อน ขอให้เจ้าหน้าที่มาตรวจสอบด้วย",
                     district=hat_yai, ip="198.51.100.13")  # fmt: skip
    _complete(rejected, "triage", lambda owner: services.complaint_triage(
        complaint=rejected, by=owner, accept=False,
        reason="เรื่องเสียงดังจากบ้านพักอาศัยไม่อยู่ในอำนาจตามพระราชบัญญัติโรงงาน ได้แจ้งเรื่องต่อเทศบาลนครหาดใหญ่แล้ว"))  # fmt: skip
    made.append(rejected)
    # 4. accepted: linked to the open complaint-reason case of the inspection demo
    if under_inspection is not None:
        linked = _file("โรงงานปล่อยน้ำเสียสีดำลงคลองสาธารณะข้างหมู่บ้าน ปลาในคลองตายเป็นจำนวนมาก",
                       factory=under_inspection.factory, ip="198.51.100.14")  # fmt: skip
        _complete(linked, "triage", lambda owner: services.complaint_triage(complaint=linked, by=owner, accept=True))
        made.append(linked)
    # 5. accepted, inspected, answered and closed
    closed = _file("ฝุ่นละอองจากโรงงานปลิวเข้าบ้านเรือนทุกวัน หลังคาและรถยนต์มีฝุ่นเกาะหนา",
                   factory=answered_factory, ip="198.51.100.15")  # fmt: skip
    _complete(closed, "triage", lambda owner: services.complaint_triage(complaint=closed, by=owner, accept=True))
    closed.refresh_from_db()
    _inspect_to_close(closed.inspection)
    _complete(closed, "answer", lambda owner: services.complaint_answer(
        complaint=closed, by=owner,
        answer="สำนักงานอุตสาหกรรมจังหวัดสงขลาได้ตรวจโรงงานแล้ว พบว่าติดตั้งระบบดักฝุ่นครบถ้วนและใช้งานได้ตามปกติ "
               "ได้กำชับให้โรงงานทำความสะอาดระบบดักฝุ่นสม่ำเสมอ หากยังพบปัญหาโปรดแจ้งอีกครั้ง"))  # fmt: skip
    made.append(closed)
    return len(made)
