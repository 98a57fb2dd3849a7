"""Demo inspection cases in every state, driven through the real services and flow (idempotent:
nothing is added when cases exist)."""

from functools import cache

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Person
from registry.models import Factory
from workflows import engine
from workflows.models.approvals import RoundDecision

from . import services
from .models import Inspection


def _task(inspection, name):
    return Task.objects.get(
        process__inspectionprocess__inspection=inspection,
        flow_task__endswith=f".{name}",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def _complete(inspection, name, action):
    task = _task(inspection, name)
    with engine.activation(task, case=inspection) as activation:  # the flow reads the object the services change
        activation.start(None)
        action(task.owner)
        activation.execute()


def _answers(inspection, *, compliant: bool) -> dict:
    answers = {}
    for item in services.checklist_items(inspection):  # as the inspect page reads them: once a request
        if item.answer_type == "yes_no":
            bad_answers = item.noncompliant_answers or ["no"]
            good = "no" if "yes" in bad_answers else "yes"
            bad = not compliant and item.severity == 3
            answers[item.pk] = {"value": bad_answers[0] if bad else good, "number": None, "note": ""}
        elif item.answer_type == "number":
            low, high = item.compliant_min, item.compliant_max
            value = high * 2 if (not compliant and high is not None) else (high or low or 48)
            answers[item.pk] = {"value": "", "number": value, "note": ""}
        elif item.answer_type == "choice":
            good = [c for c in item.choices if c not in (item.noncompliant_answers or [])]
            answers[item.pk] = {"value": good[0] if good else item.choices[0], "number": None, "note": ""}
        elif item.answer_type == "text":
            answers[item.pk] = {"value": "ตรวจสอบแล้ว", "number": None, "note": ""}
    return answers


def _inspected(inspection, *, compliant: bool):
    def act(inspector):
        services.answers_save(
            inspection=inspection, by=inspector, answers=_answers(inspection, compliant=compliant),
            findings="ตรวจสภาพโรงงานตามรายการตรวจ" + ("" if compliant else " พบทางหนีไฟถูกปิดกั้น"),
            inspected_on=timezone.localdate(),
        )  # fmt: skip
        _submit(inspection, inspector)

    return act


def _submit(inspection, inspector):
    """Photo-required items get a placeholder photo record, then the checklist is submitted."""
    from .models import AnswerType

    needing = [i for i in services.checklist_items(inspection) if i.photo_required or i.answer_type == AnswerType.PHOTO]
    for item in needing:
        services.evidence_add(inspection=inspection, by=inspector, upload=_demo_photo(), item_id=item.pk)
    services.inspection_submit(inspection=inspection, by=inspector)


def _demo_photo():
    """A small real PNG (a grey-green "site photo") so thumbnails and PDFs show something."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ภาพถ่ายหน้าโรงงาน.png", _demo_png(), "image/png")


@cache
def _demo_png() -> bytes:
    """The photo's bytes, drawn once: the inspector's phone makes a photo, the server only receives it."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (118, 140, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 200), fill=(200, 200, 190), outline=(60, 60, 60), width=4)
    draw.rectangle((130, 120, 190, 200), fill=(150, 90, 60))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def load_demo_cases() -> int:
    if Inspection.objects.exists():
        return 0
    head = Person.objects.get(username="songkhla.head")
    inspector = Person.objects.get(username="songkhla.inspector1")
    factories = list(Factory.objects.filter(province_id=90, status="operating").order_by("pk")[:8])
    made = []

    def start(factory, who=head, **kw):
        case = services.inspection_start(factory=factory, by=who, **kw)
        made.append(case)
        return case

    def assign(case, person=inspector):
        _complete(case, "assign", lambda owner: services.inspection_assign(inspection=case, inspector=person, by=owner))

    def review(case, decision=RoundDecision.APPROVE, comments=""):
        _complete(case, "review", lambda owner: services.review_decide(
            inspection=case, by=owner, decision=decision, comments=comments))  # fmt: skip

    def sign(case):
        _complete(case, "sign_off", lambda owner: services.inspection_sign_off(inspection=case, by=owner))

    start(factories[0], reason="plan")  # waiting for the group head to assign
    case = start(factories[1])
    assign(case)  # with the inspector
    case = start(factories[2], reason="complaint")
    assign(case)
    _complete(case, "inspect", _inspected(case, compliant=True))  # in review
    case = start(factories[3])
    assign(case)
    _complete(case, "inspect", _inspected(case, compliant=True))
    review(case, RoundDecision.RETURN, "กรุณาแนบภาพถ่ายถังดับเพลิงและระบุวันที่ตรวจสอบล่าสุด")  # returned to the inspector
    case = start(factories[4])
    assign(case)
    _complete(case, "inspect", _inspected(case, compliant=True))
    review(case)
    sign(case)  # compliant, closed
    case = start(factories[5])
    assign(case)
    _complete(case, "inspect", _inspected(case, compliant=False))
    review(case)
    sign(case)
    _complete(case, "draft_order", lambda owner: services.order_draft(
        inspection=case, by=owner, kind="s37", requirement="รื้อถอนสิ่งกีดขวางทางหนีไฟออกทั้งหมด\n"
        "ติดตั้งป้ายทางออกฉุกเฉินให้ครบทุกทางออก\nจัดให้มีผู้ควบคุมประจำหม้อน้ำตามกฎหมาย", period_days=30))  # fmt: skip
    order = services.current_order(case)
    _complete(case, "approve_order", lambda owner: services.order_decide(order=order, by=owner, approve=True))
    # Chai Nat: the group head signs off as acting provincial industry officer.
    chainat = Factory.objects.filter(province_id=18, status="operating").order_by("pk").first()
    chainat_head = Person.objects.get(username="chainat.head")
    case = start(chainat, who=chainat_head)
    assign(case, Person.objects.get(username="chainat.inspector1"))
    _complete(case, "inspect", _inspected(case, compliant=True))
    review(case)  # waits for the acting officer's sign-off
    return len(made)
