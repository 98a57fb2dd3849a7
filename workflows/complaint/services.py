"""Writes to complaints. The public form and the future API call `complaint_submit`; the office's
task screens call `complaint_triage` and `complaint_answer`. Each validates, changes the complaint in
one transaction and records the change in the audit trail."""

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.calendar import fiscal_year
from org.models import District, Person, PositionKind, Province, Unit
from permissions import access
from registry.models import Factory
from workflows import audit, duties, notify, uploads
from workflows.inspection.models import Inspection, InspectionReason
from workflows.planning.risk import risk_refresh
from workflows.roles import signed_as

from . import selectors
from .errors import ComplaintError, RateLimited
from .models import Complaint, ComplaintPhoto, ComplaintStatus

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 5000
PHOTO_TYPES = {uploads.JPEG, uploads.PNG}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 3
RATE_LIMIT, RATE_WINDOW = 5, timedelta(hours=1)
# Base32 without the letters people misread (I, L, O, U) and without 0/1.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 6


def new_tracking_no() -> str:
    """RC-2570-4F7K2Q: "RC" (complaint), the BE fiscal year, six random characters."""
    for _attempt in range(10):
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))
        number = f"RC-{fiscal_year(timezone.localdate())}-{code}"
        if not Complaint.objects.filter(tracking_no=number).exists():
            return number
    raise ComplaintError(_("ระบบไม่สามารถออกเลขติดตามเรื่องได้ กรุณาลองใหม่อีกครั้ง"))


def _get(model, value, field: str, message: str):
    if isinstance(value, model):
        return value
    try:
        return model.objects.get(pk=value) if value not in (None, "") else None
    except (model.DoesNotExist, ValueError, TypeError):
        raise ComplaintError(message, field=field) from None


def _check_photos(photos) -> list[tuple]:
    """(photo, its real content type) of each upload: Pillow must read it as a JPEG or PNG image."""
    photos = [p for p in (photos or []) if p]
    if len(photos) > PHOTO_MAX_COUNT:
        raise ComplaintError(_("แนบรูปภาพได้ไม่เกิน %(n)s รูป") % {"n": PHOTO_MAX_COUNT}, field="photos")
    checked = []
    for photo in photos:
        if photo.size > PHOTO_MAX_BYTES:
            message = _("รูปภาพแต่ละรูปต้องมีขนาดไม่เกิน %(mb)s MB") % {"mb": PHOTO_MAX_BYTES // 2**20}
            raise ComplaintError(message, field="photos")
        content_type = uploads.content_type_of(photo, PHOTO_TYPES)
        if content_type is None:
            raise ComplaintError(_("ไฟล์ %(name)s ไม่ใช่รูปภาพ JPEG หรือ PNG") % {"name": photo.name}, field="photos")
        checked.append((photo, content_type))
    return checked


def _office_for(province: Province, factory: Factory | None) -> Unit:
    """The office of the factory if one is named, else the provincial industry office of the place."""
    if factory is not None and factory.office_id:
        return factory.office
    office = Unit.objects.filter(kind="office", province=province).first()
    if office is None:
        raise ComplaintError(
            _(
                "จังหวัดนี้ไม่มีสำนักงานอุตสาหกรรมจังหวัด: เรื่องร้องเรียนในกรุงเทพมหานครโปรดยื่นต่อกรมโรงงานอุตสาหกรรม "
                "(Bangkok complaints go to the Department of Industrial Works)"
            ),
            field="province",
        )
    return office


def _check_rate(source_ip: str | None) -> None:
    if not source_ip:
        return
    since = timezone.now() - RATE_WINDOW
    if Complaint.objects.filter(source_ip=source_ip, created_at__gte=since).count() >= RATE_LIMIT:
        raise RateLimited(
            _(
                "มีการส่งเรื่องร้องเรียนจากเครื่องนี้ครบ %(n)s เรื่องในหนึ่งชั่วโมงแล้ว กรุณาลองใหม่ภายหลัง "
                "(too many complaints from this address; please try again later)"
            )
            % {"n": RATE_LIMIT}
        )


def complaint_submit(*, data: dict, photos, source_ip: str | None) -> Complaint:
    """File a complaint from the public (form or API) and start its flow. `data`: description,
    province, district (objects or codes), optional factory (object or pk) or factory_text,
    contact_name, contact_phone, contact_email. Refused → ComplaintError, nothing is stored."""
    from .flows import ComplaintFlow

    description = (data.get("description") or "").strip()
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        raise ComplaintError(
            _("กรุณาเล่ารายละเอียดเรื่องร้องเรียนระหว่าง %(min)s ถึง %(max)s ตัวอักษร")
            % {"min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX},
            field="description",
        )
    province = _get(Province, data.get("province"), "province", _("กรุณาเลือกจังหวัด"))
    district = _get(District, data.get("district"), "district", _("กรุณาเลือกอำเภอ/เขต"))
    if province is None:
        raise ComplaintError(_("กรุณาเลือกจังหวัด"), field="province")
    if district is None or district.province_id != province.pk:
        raise ComplaintError(_("อำเภอ/เขตที่เลือกไม่อยู่ในจังหวัดนี้"), field="district")
    factory_text = (data.get("factory_text") or "").strip()[:255]
    factory = _get(Factory, data.get("factory"), "factory", _("ไม่พบโรงงานที่ระบุ"))
    if factory is None and factory_text:
        factory = selectors.find_factory(province, factory_text)
    if factory is not None and factory.province_id != province.pk:
        raise ComplaintError(_("โรงงานที่ระบุไม่ได้ตั้งอยู่ในจังหวัดนี้"), field="factory_text")
    photos = _check_photos(photos)
    office = _office_for(province, factory)
    with transaction.atomic():
        _check_rate(source_ip)
        complaint = Complaint.objects.create(
            tracking_no=new_tracking_no(),
            description=description,
            province=province,
            district=district,
            factory=factory,
            factory_text=factory_text,
            contact_name=(data.get("contact_name") or "").strip()[:150],
            contact_phone=(data.get("contact_phone") or "").strip()[:30],
            contact_email=(data.get("contact_email") or "").strip()[:254],
            office=office,
            source_ip=source_ip or None,
        )
        for photo, content_type in photos:
            ComplaintPhoto.objects.create(complaint=complaint, file=photo, content_type=content_type, size=photo.size)
        audit.record(
            subject=complaint,
            action="complaint.submit",
            label=_("Complaint received"),
            after={"province": province.name_th, "district": district.name_th,
                   "factory": f"{factory.reg_no} {factory.name}" if factory else None,
                   "photos": len(photos)},
        )  # fmt: skip
        ComplaintFlow.start.run(complaint=complaint)
    return complaint


@transaction.atomic
def complaint_triage(
    *, complaint: Complaint, by: Person, accept: bool, reason: str = "", factory: Factory | None = None
) -> Complaint:
    """Accept (the factory is inspected: a new case with reason "complaint", or the factory's open
    case) or reject with a reason (never a case)."""
    from workflows.inspection.services import inspection_start

    if not access.can(by, "work", complaint):
        raise PermissionDenied
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != ComplaintStatus.RECEIVED:
        raise ComplaintError(_("This complaint has already been triaged."))
    if not accept:
        reason = (reason or "").strip()
        if not reason:
            raise ComplaintError(_("Give the reason for rejecting the complaint."), field="reason")
        complaint.status, complaint.reject_reason = ComplaintStatus.REJECTED, reason
        complaint.save(update_fields=["status", "reject_reason", "updated_at"])
        audit.record(subject=complaint, action="complaint.reject", label=_("Complaint rejected"), by=by, comment=reason)
        return complaint
    factory = factory or complaint.factory
    if factory is None:
        raise ComplaintError(_("Choose the factory to inspect."), field="factory")
    if factory.office_id != complaint.office_id:
        raise ComplaintError(_("The factory is not supervised by the office of this complaint."), field="factory")
    inspection = Inspection.objects.filter(factory=factory, closed_at__isnull=True).first()
    if inspection is None:
        inspection = inspection_start(factory=factory, by=by, reason=InspectionReason.COMPLAINT)
    complaint.status, complaint.factory, complaint.inspection = ComplaintStatus.ACCEPTED, factory, inspection
    complaint.save(update_fields=["status", "factory", "inspection", "updated_at"])
    risk_refresh([factory.pk])
    audit.record(
        subject=complaint,
        action="complaint.accept",
        label=_("Complaint accepted: case %(ref)s") % {"ref": inspection.ref_no},
        by=by,
        comment=(reason or "").strip(),
        after={"factory": factory.reg_no, "inspection": inspection.ref_no},
    )
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by: Person, answer: str) -> Complaint:
    """Answer the complainant. An accepted complaint is answered only once its inspection is closed."""
    if not access.can(by, "work", complaint):
        raise PermissionDenied
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    answer = (answer or "").strip()
    if complaint.status not in (ComplaintStatus.ACCEPTED, ComplaintStatus.REJECTED):
        raise ComplaintError(_("This complaint cannot be answered now."))
    if not answer:
        raise ComplaintError(_("Write the answer to the complainant."), field="answer")
    if complaint.status == ComplaintStatus.ACCEPTED and (
        complaint.inspection_id is None or complaint.inspection.closed_at is None
    ):
        raise ComplaintError(_("The inspection of this complaint is not closed yet: answer once it is."))
    complaint.status, complaint.answer, complaint.answered_at = ComplaintStatus.ANSWERED, answer, timezone.now()
    complaint.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    audit.record(subject=complaint, action="complaint.answer", label=_("Complainant answered"), by=by, after={
        "answer": answer})  # fmt: skip
    notify.complaint_answered(complaint, by=by)
    return complaint


@transaction.atomic
def complaint_task_reassign(*, task, to: Person | None, by: Person):
    """A group head of the complaint's office hands one of its open steps (triage, answer) to another
    person who may hold it — by the node's duty, a group head of the same office or who acts as one.
    Nobody else hands a complaint's step over, and nobody else receives one."""
    complaint = task.process.coerced.complaint
    if not by.is_authenticated or not access.can(by, "work", complaint) or not selectors.HANDS_OVER(by, task):
        raise PermissionDenied(_("Only a group head of the complaint's office hands its steps over."))
    if task.status not in selectors.HANDED_OVER:
        raise ComplaintError(_("This step is already closed; it cannot be handed over."))
    if to is None:
        raise ComplaintError(_("Choose who takes the step."), field="to")
    if to.pk == task.owner_id:
        raise ComplaintError(_("%(person)s already holds this step.") % {"person": to.display_name}, field="to")
    if not task.flow_task.may_hold(to, task):
        message = _("%(person)s may not take this step: it goes to a group head of the complaint's office.")
        raise ComplaintError(message % {"person": to.display_name}, field="to")
    duties.hand_over(
        task, to=to, by=by, subject=complaint,
        label=_("%(step)s handed over to %(person)s") % {"step": task.flow_task, "person": to.display_name},
        acting_for=signed_as(by, PositionKind.GROUP_HEAD, complaint.office, timezone.localdate()),
    )  # fmt: skip
    return task


def complaint_close(*, complaint: Complaint) -> Complaint:
    complaint.status, complaint.closed_at = ComplaintStatus.CLOSED, timezone.now()
    complaint.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(subject=complaint, action="complaint.close", label=_("Complaint closed"))
    return complaint


def suggested_answer(complaint: Complaint) -> str:
    """A first draft of the answer: the outcome of the inspection, or the reason for rejection."""
    if complaint.status == ComplaintStatus.REJECTED:
        return complaint.reject_reason
    inspection = complaint.inspection
    if inspection is None or inspection.closed_at is None:
        return ""
    return _("The factory was inspected. Outcome: %(outcome)s.") % {"outcome": inspection.get_outcome_display()}
