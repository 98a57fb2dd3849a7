"""Writes to inspection cases. Every function validates, changes the case in one transaction and
records the change in the audit trail; views and the flow call these and nothing else writes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

from org.calendar import fiscal_year
from org.models import Holding, Person, PositionKind, Unit
from permissions import access
from project.prepared import Prepared, inserted, inserted_all
from registry.models import Factory
from workflows import approvals, audit, duties, outbox, uploads
from workflows.chain import resolve_chain
from workflows.models.approvals import RoundDecision, StepDecision
from workflows.models.audit import AuditEntry
from workflows.planning.risk import risk_refresh
from workflows.planning.tasks import refresh_risk
from workflows.roles import signed_as

from . import crosscheck
from .delivery import MAX_PERIOD_DAYS, MIN_PERIOD_DAYS, compliance_due
from .errors import InspectionError
from .models import (
    Answer,
    AnswerType,
    CaseCounter,
    ChecklistItem,
    ChecklistVersion,
    CorrectiveOrder,
    DeviceCopy,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionReason,
    OrderApproval,
    OrderKind,
    OrderStatus,
    Outcome,
    ReviewRound,
    SignerRole,
    VersionStatus,
)
from .tasks import issue_order_document, issue_report_document

DEFAULT_TEMPLATE = "general"
EVIDENCE_TYPES = uploads.IMAGES | {uploads.PDF}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


def _next_ref_no(office: Unit, on: date) -> str:
    """Numbering per office and fiscal year, 90-2570/0001, from a counter row (constant time whatever the
    number of cases), moved on in one statement: an upsert that makes the office's first counter of the
    year at 1 and otherwise adds 1, its row locked to the transaction's end (a concurrent opening waits,
    then takes the next number) as SELECT FOR UPDATE then UPDATE did in two."""
    fy = fiscal_year(on)
    quote = connection.ops.quote_name
    table = quote(CaseCounter._meta.db_table)
    office_id, year, last = (quote(CaseCounter._meta.get_field(f).column) for f in ("office", "fiscal_year", "last"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({office_id}, {year}, {last}) VALUES (%s, %s, 1) ON CONFLICT ({office_id}, {year}) "
            f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [office.pk, fy],
        )
        (number,) = cursor.fetchone()
    return f"{office.province_id:02d}-{fy}/{number:04d}"


# The hot reads of a chain, compiled once per connection (project.prepared).
_PUBLISHED = Prepared(
    lambda code: (
        ChecklistVersion.objects.filter(template__code=code, status=VersionStatus.PUBLISHED)
        .select_related("template")
        .order_by("-number")[:1]
    ),
    str,
)
_OPEN_CASE = Prepared(
    lambda factory_id: Inspection.objects.filter(factory_id=factory_id, closed_at__isnull=True).values_list("pk")[:1],
    int,
)
_ITEMS = Prepared(lambda version_id: _version_items(version_id), int)
_ANSWERS = Prepared(lambda case_id: Answer.objects.filter(inspection=case_id), int)
_ITEMS_PHOTOGRAPHED = Prepared(
    lambda case_id: Evidence.objects.filter(inspection_id=case_id, item__isnull=False).values_list("item_id"), int
)


def published_checklist(code: str = DEFAULT_TEMPLATE) -> ChecklistVersion:
    """The template's latest published version (ChecklistTemplate.current_version), with its template,
    in one query."""
    version = _PUBLISHED.one(code)
    if version is None:
        raise InspectionError(_("No published checklist “%(code)s”.") % {"code": code})
    return version


def inspection_open(
    *,
    factory: Factory,
    by: Person | None,
    reason: str = InspectionReason.ROUTINE,
    checklist: ChecklistVersion | None = None,
    planned_on: date | None = None,
    follows: Inspection | None = None,
) -> Inspection:
    """Open a case for a factory of the office. `by=None` is the system (plans, complaints)."""
    if by is not None and not access.can(by, "work", factory):
        raise PermissionDenied
    if factory.office_id is None:
        raise InspectionError(_("This factory is not supervised by a provincial industry office."))
    if reason not in InspectionReason.values:
        raise InspectionError(_("Unknown reason for the inspection."))
    if _OPEN_CASE.rows(factory.pk):
        raise InspectionError(_("This factory already has an open inspection."))
    checklist = checklist or published_checklist()
    if not checklist.status == "published":
        raise InspectionError(_("Only a published checklist version can be used."))
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        return _opened(factory, by, reason, checklist, planned_on, follows)


def _opened(factory, by, reason, checklist, planned_on, follows) -> Inspection:
    inspection = inserted(Inspection(  # its INSERT built once (a fifth of the start's time was building it)
        ref_no=_next_ref_no(factory.office, _today()),
        factory=factory,
        office=factory.office,  # the object read for the number: the flow's first step reads it again else
        reason=reason,
        checklist=checklist,
        planned_on=planned_on,
        follows=follows,
        created_by=by or Person.objects.filter(is_superuser=True).order_by("pk").first(),
    ))  # fmt: skip
    audit.begins(inspection)
    audit.record(
        subject=inspection,
        action="case.open",
        label=_("Case opened"),
        by=by,
        after={"factory": factory.reg_no, "reason": reason, "checklist": str(checklist)},
    )
    return inspection


def office_inspectors(office: Unit, on: date | None = None):
    """People holding an inspector position in the office's groups today, least loaded first."""
    on = on or _today()
    holders = (
        Holding.objects.active_on(on)
        .filter(position__kind=PositionKind.INSPECTOR)
        .filter(Q(position__unit=office) | Q(position__unit__parent=office))
    )
    return Person.objects.filter(pk__in=holders.values("person_id")).order_by("pk")


# Whether a person is an inspector of the office on a day, compiled once: asked at every assignment, and
# building its subqueries cost 1.8 ms against the statement's 0.5 (200,000 cases, 4 Dec 2026, one-off).
_OFFICE_INSPECTOR = Prepared(
    lambda office_id, person_id, on: office_inspectors(office_id, on).filter(pk=person_id).values_list("pk")[:1],
    int, int, date,
)  # fmt: skip


def suggested_inspector(office: Unit) -> Person | None:
    """The office inspector with the fewest open cases (ties: longest in the list)."""
    people = list(office_inspectors(office))
    if not people:
        return None
    load = dict(
        Inspection.objects.filter(office=office, closed_at__isnull=True, inspector__in=people)
        .values_list("inspector")
        .annotate(n=Count("pk"))
    )
    return min(people, key=lambda p: (load.get(p.pk, 0), p.pk))


def inspection_assign(*, inspection: Inspection, inspector: Person, by: Person) -> Inspection:
    if not access.can(by, "work", inspection):
        raise PermissionDenied
    if not _OFFICE_INSPECTOR.rows(inspection.office_id, inspector.pk, _today()):
        raise InspectionError(_("%(person)s is not an inspector of this office.") % {"person": inspector})
    before = {"inspector": str(inspection.inspector or "")}
    acting = signed_as(by, PositionKind.GROUP_HEAD, inspection.office, _today())
    with transaction.atomic(savepoint=False):  # checked above (no savepoint: one statement pair less)
        inspection.inspector = inspector
        audit.record(
            subject=inspection,
            saving=("inspector",),
            action="case.assign",
            label=_("Assigned to %(person)s") % {"person": inspector},
            by=by,
            acting_for=acting,
            before=before,
            after={"inspector": str(inspector)},
        )
    return inspection


def inspector_took(*, inspection: Inspection, person: Person) -> None:
    """Who holds the inspect or follow-up step is the case's inspector (task_reassign does the same
    for a step handed over): taking it from the office queue makes them so, audited."""
    if inspection.inspector_id == person.pk:
        return
    before = {"inspector": str(inspection.inspector or "")}
    inspection.inspector = person
    inspection.save(update_fields=["inspector"])
    audit.record(
        subject=inspection,
        action="case.assign",
        label=_("Took the step from the office queue: %(person)s") % {"person": person},
        by=person,
        before=before,
        after={"inspector": str(person)},
    )


def _judge(item, value: str, number: Decimal | None) -> bool | None:
    """Compliance of one answer: None when not applicable or not judged."""
    if item.answer_type == AnswerType.YES_NO:
        if value == "na" or not value:
            return None
        return value not in (item.noncompliant_answers or ["no"])
    if item.answer_type == AnswerType.NUMBER:
        if number is None:
            return None
        if item.compliant_min is not None and number < item.compliant_min:
            return False
        if item.compliant_max is not None and number > item.compliant_max:
            return False
        return True
    if item.answer_type == AnswerType.CHOICE:
        return None if not value else value not in (item.noncompliant_answers or [])
    return None


ANSWER_FIELDS = [
    "value", "number", "number_typed", "note", "compliant", "reported_number", "reported_source", "deviation_pct",
    "discrepancy",
]  # fmt: skip


def answers_save(
    *, inspection: Inspection, by: Person, answers: dict[int, dict], findings: str = "",
    inspected_on: date | None = None,
) -> Inspection:  # fmt: skip
    """Save the checklist as a draft (the inspector may come back); each answer is judged and, where
    the item has a self-reported counterpart, compared with the factory's latest filed value."""
    if inspection.inspector_id != by.pk:
        raise PermissionDenied
    existing = case_answers(inspection)
    try:
        new = _answers_saved(inspection, by, answers, findings, inspected_on, existing)
    except BaseException:
        inspection.__dict__.pop("_answers", None)  # its answers may have been changed and not written
        raise
    existing.update((answer.item_id, answer) for answer in new)
    return inspection


def _answers_saved(inspection, by, answers, findings, inspected_on, existing) -> list[Answer]:
    """answers_save's work on the case's answers (`existing`, changed in place); the new answers written."""
    items = {i.pk: i for i in checklist_items(inspection)}
    reported = crosscheck.latest_reported(inspection.factory_id, items.values())  # the key: no read of the factory
    changed, new, edited = {}, [], []
    for item_id, data in answers.items():
        item = items.get(int(item_id))
        if item is None:
            raise InspectionError(_("An answer refers to an item that is not in this checklist."))
        value, number = (data.get("value") or "").strip(), data.get("number")
        if item.answer_type == AnswerType.YES_NO and value not in ("", "yes", "no", "na"):
            raise InspectionError(_("%(code)s: answer yes, no or n.a.") % {"code": item.code})
        if item.answer_type == AnswerType.CHOICE and value and value not in item.choices:
            raise InspectionError(_("%(code)s: choose one of the listed answers.") % {"code": item.code})
        answer = existing.get(item.pk) or Answer(inspection=inspection, item=item)
        before = (answer.value, answer.number, answer.note, answer.reported_number, answer.reported_source)
        typed_before = answer.number_typed
        was = _shown(answer, typed=False) if answer.pk else None
        answer.value, answer.number, answer.note = value, number, (data.get("note") or "").strip()
        answer.number_typed = "" if number is None else format(number, "f")[:40]  # "80.0" stays "80.0"
        answer.compliant = _judge(item, value, number)
        check = crosscheck.compare(item, number, reported.get(item.pk))
        answer.reported_number, answer.reported_source = check.reported, check.source
        answer.deviation_pct, answer.discrepancy = check.deviation_pct, check.discrepancy
        if answer.pk is None:
            new.append(answer)
        elif before != (answer.value, answer.number, answer.note, answer.reported_number, answer.reported_source):
            edited.append(answer)
        elif typed_before != answer.number_typed:  # the same value typed otherwise (80 → 80.0): kept, not audited
            edited.append(answer)
            continue
        else:
            continue
        typed = (answer.value, answer.number, answer.note)
        if typed != (before[:3] if answer.pk else ("", None, "")):  # a line per answer changed, none for a blank
            changed[item.code] = (was, _shown(answer, typed=True))
    # Every answer checked before any is written; then one INSERT and one UPDATE, whatever their number.
    with transaction.atomic(savepoint=False):  # a failure from here fails the whole change
        inserted_all(new)
        Answer.objects.bulk_update(edited, ANSWER_FIELDS)
        inspection.findings = findings
        inspection.inspected_on = inspected_on or inspection.inspected_on
        if not changed:
            inspection.save(update_fields=["findings", "inspected_on"])
        else:
            audit.record(
                subject=inspection,
                saving=("findings", "inspected_on"),
                action="case.answers",
                label=_("Checklist saved"),
                by=by,
                before={code: old for code, (old, _new) in changed.items() if old is not None},
                after={code: new for code, (_old, new) in changed.items()},
            )
    return new


def _shown(answer: Answer, *, typed: bool) -> str:
    """An answer as the audit shows it: a number as typed when it comes from the form (a Decimal keeps
    its digits: "80.0"), one read back from its column without the column's zeros (80.000 as "80", never
    "8E+1"), else the answer chosen; the note after it."""
    if answer.number is None:
        shown = answer.value
    else:
        shown = format(answer.number, "f") if typed else answer.number_shown
    return f"{shown} ({answer.note})" if answer.note else shown


def _version_items(version_id: int):
    return ChecklistItem.objects.filter(section__version=version_id).select_related("section")


def _items(inspection: Inspection):
    return _version_items(inspection.checklist_id)


def checklist_items(inspection: Inspection) -> list:
    """The items of the case's checklist version, read once per case object: a request's answers,
    photos and submit (the inspect page, the API's inspect step) share one read. A version's items do
    not change once it is published."""
    read = inspection.__dict__.get("_checklist_items")
    if read is None or read[0] != inspection.checklist_id:
        read = inspection.__dict__["_checklist_items"] = (inspection.checklist_id, _ITEMS.all(inspection.checklist_id))
    return read[1]


def case_answers(inspection: Inspection) -> dict[int, Answer]:
    """The case's answers by item id, read once per case object (as checklist_items): the inspect page's
    refusal check, its save and its submit share one read. answers_save, their only writer, keeps it as
    written, and forgets it when it fails half-way."""
    read = inspection.__dict__.get("_answers")
    if read is None:
        read = inspection.__dict__["_answers"] = {a.item_id: a for a in _ANSWERS.all(inspection.pk)}
        for answer in read.values():
            answer.inspection = inspection  # as the related manager gives them
    return read


def photographed_items(inspection: Inspection) -> set[int]:
    """The ids of the items with a photo, read once per case object; evidence_add adds to it."""
    read = inspection.__dict__.get("_photographed")
    if read is None:
        read = inspection.__dict__["_photographed"] = {
            item_id for (item_id,) in _ITEMS_PHOTOGRAPHED.rows(inspection.pk)
        }
    return read


@dataclass(frozen=True)
class Stamp:
    """When and where a photo was taken, as the inspector's device told (only with their consent): the
    moment, and the position in degrees (WGS 84) with its accuracy in metres. Every part may be missing."""

    taken_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accuracy_m: int | None = None


NO_STAMP = Stamp()
PILLOW_FORMAT_OF = {kind: name for name, kind in uploads.PILLOW_FORMATS.items()}
THUMBNAIL_PX = 320  # the longer side of a thumbnail (the checklist card, the case page, the report)
# How a thumbnail is written, by its format. A PNG at zlib level 1, not Pillow's 6: a 320 x 240 photo-like PNG in
# 5.5 ms instead of 28, and no larger (106 kB against 127: the image's noise does not compress either way);
# the demo's flat drawing in 1.0 ms instead of 2.1 (4 Dec 2026, 50 saves each, one-off measurement).
THUMBNAIL_MAX_BYTES = 256 * 1024  # a photo of a thumbnail's size but larger than this (its metadata) is drawn again
THUMBNAIL_OPTIONS = {uploads.JPEG: {"quality": 80}, uploads.WEBP: {"quality": 80}, uploads.PNG: {"compress_level": 1}}
STAMP_FUTURE = timedelta(minutes=10)  # a device's clock a little ahead is still believed


def _checked_stamp(stamp: Stamp) -> Stamp:
    if stamp.latitude is not None and not -90 <= stamp.latitude <= 90:
        raise InspectionError(_("The photo's position is not on Earth (latitude)."))
    if stamp.longitude is not None and not -180 <= stamp.longitude <= 180:
        raise InspectionError(_("The photo's position is not on Earth (longitude)."))
    if (stamp.latitude is None) != (stamp.longitude is None):
        raise InspectionError(_("The photo's position needs both latitude and longitude."))
    if stamp.taken_at is not None and stamp.taken_at > timezone.now() + STAMP_FUTURE:
        raise InspectionError(_("The photo's time is in the future."))
    rounded = Decimal("0.000001")
    return Stamp(
        taken_at=stamp.taken_at,
        latitude=None if stamp.latitude is None else stamp.latitude.quantize(rounded),
        longitude=None if stamp.longitude is None else stamp.longitude.quantize(rounded),
        accuracy_m=None if stamp.accuracy_m is None else max(0, min(int(stamp.accuracy_m), 100_000)),
    )


# The chunks of a PNG that Pillow reads an orientation from (EXIF, or its text or XMP forms) and may find only
# after the pixels, by decoding them all (PngImageFile.getexif loads the image when no EXIF came before them).
PNG_LATE_ORIENTATION = (b"eXIf", b"tEXt", b"zTXt", b"iTXt")


def _fits_as_it_is(image, small: bytes | None) -> bool:
    """A photo already of a thumbnail's size, upright as stored (no EXIF orientation but the first), in
    colours every browser shows, and not larger in bytes than a thumbnail may be (`small`: its bytes, None
    when it is larger)."""
    if small is None or max(image.size) > THUMBNAIL_PX:
        return False
    if image.format == "JPEG" and image.mode not in ("RGB", "L"):  # a CMYK JPEG: drawn again in RGB
        return False
    return _orientation(image, small) == 1


def _orientation(image, data: bytes) -> int:
    """The photo's EXIF orientation (1: upright as stored). A PNG whose bytes name none of the chunks an
    orientation can follow the pixels in has its orientation from the chunks Pillow read on opening: it is
    not decoded to learn it (0.55 ms of the demo photo's 320 x 240; 4 Dec 2026, one-off measurement)."""
    if image.format == "PNG" and "exif" not in image.info and not any(name in data for name in PNG_LATE_ORIENTATION):
        return Image.Image.getexif(image).get(ExifTags.Base.Orientation, 1)
    return image.getexif().get(ExifTags.Base.Orientation, 1)


def _thumbnail(upload, content_type: str) -> ContentFile | None:
    """A small copy of a photo (the longer side THUMBNAIL_PX, turned as the camera held it) in the photo's
    own format; None for a PDF. The upload is left at 0."""
    if content_type not in uploads.IMAGES:
        return None
    upload.seek(0)
    small = upload.read() if upload.size <= THUMBNAIL_MAX_BYTES else None  # read once: looked into, maybe kept
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if _fits_as_it_is(image, small):  # its own bytes: decoding and encoding again would change nothing
                return ContentFile(small, name="thumbnail")
            # A JPEG decoded at a power-of-two fraction of its size, at least twice the thumbnail's (what
            # Image.thumbnail does itself, but exif_transpose decodes the whole image first): a 4000 x 3000
            # photo's thumbnail in 59 ms instead of 117 (4 Dec 2026, one-off measurement).
            image.draft(None, (THUMBNAIL_PX * 2, THUMBNAIL_PX * 2))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            if content_type == uploads.JPEG and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = BytesIO()
            image.save(out, format=PILLOW_FORMAT_OF[content_type], **THUMBNAIL_OPTIONS[content_type])
    except (OSError, ValueError, Image.DecompressionBombError):  # a photo Pillow accepted but cannot draw whole:
        return None  # kept without a thumbnail (its pages show the photo itself)
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name="thumbnail")


def evidence_add(
    *, inspection: Inspection, by: Person, upload, item_id: int | None = None, caption: str = "",
    stamp: Stamp = NO_STAMP,
) -> Evidence:  # fmt: skip
    """A photo (or PDF) of the inspection, of one item or of the whole; with its thumbnail, and its time and
    place when the inspector's device gave them."""
    if inspection.inspector_id != by.pk:
        raise PermissionDenied
    content_type = uploads.content_type_of(upload, EVIDENCE_TYPES)
    if content_type is None:
        raise InspectionError(_("Evidence must be a JPEG, PNG or WebP photo or a PDF."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise InspectionError(_("A file may be at most %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // 2**20})
    if item_id is not None and not any(item.pk == item_id for item in checklist_items(inspection)):
        raise InspectionError(_("The photo refers to an item that is not in this checklist."))
    stamp = _checked_stamp(stamp)
    thumbnail = _thumbnail(upload, content_type)
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        evidence = Evidence(
            inspection=inspection,
            item_id=item_id,
            original_name=upload.name[:255],
            caption=caption.strip()[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
            taken_at=stamp.taken_at,
            latitude=stamp.latitude,
            longitude=stamp.longitude,
            accuracy_m=stamp.accuracy_m,
        )
        evidence.file.save(upload.name, upload, save=False)
        if thumbnail is not None:
            evidence.thumbnail.save(thumbnail.name, thumbnail, save=False)
        audit.record(
            subject=inspection, writing=(evidence,), action="case.evidence", label=_("Evidence added"), by=by,
            after={"file": upload.name},
        )  # fmt: skip
    if item_id is not None:  # what checklist_gaps need not read again
        inspection.__dict__.setdefault("_photos_added", set()).add(item_id)
        if "_photographed" in inspection.__dict__:
            inspection.__dict__["_photographed"].add(item_id)
    return evidence


DEVICE_COPY_MAX_ANSWERS = 500


def held_the_task(task, person: Person, inspection: Inspection) -> bool:
    """Whether `person` holds or held `task` of the case, or is the case's inspector: its owner now (a task
    completed or cancelled keeps its owner), or its owner before it was handed to another (the case's
    audit trail: task.reassign keeps the owner before)."""
    if person.pk in (task.owner_id, inspection.inspector_id):
        return True
    handed = AuditEntry.objects.filter(chain=audit.chain_key(inspection), action="task.reassign")
    return any((before or {}).get("owner") == person.pk for before in handed.values_list("before", flat=True))


def device_copy_attach(
    *, inspection: Inspection, task, by: Person, reason: str, answers: list[dict], findings: str = "",
    inspected_on: date | None = None,
) -> DeviceCopy:  # fmt: skip
    """The answers an inspector kept on their device and could not send (the task was handed to another,
    completed, or the case closed or cancelled while they were offline), attached to the case as they were:
    nothing of the case is overwritten. Whoever may see the case and held the task (or is the case's
    inspector) may attach one, even though the step is no longer theirs. `answers`: [{item, value, number,
    note, photos}], each item of the case's checklist."""
    if not access.can(by, "view", inspection) or not held_the_task(task, by, inspection):
        raise PermissionDenied
    if len(answers) > DEVICE_COPY_MAX_ANSWERS:
        raise InspectionError(_("Too many answers."), field="answers")
    items = {item.pk: item for item in checklist_items(inspection)}
    rows = []
    for index, answer in enumerate(answers):
        item = items.get(answer.get("item"))
        if item is None:
            raise InspectionError(_("This item is not in the case's checklist."), field=f"answers.{index}.item")
        rows.append({
            "item": item.pk, "code": item.code, "question": item.question_th,
            "value": str(answer.get("value") or ""), "number": str(answer.get("number") or ""),
            "note": str(answer.get("note") or ""), "photos": [str(name) for name in answer.get("photos") or []],
        })  # fmt: skip
    with transaction.atomic(savepoint=False):
        copy = DeviceCopy.objects.create(
            inspection=inspection, task=task, author=by, reason=reason, answers=rows, findings=findings.strip(),
            inspected_on=inspected_on,
        )  # fmt: skip
        audit.record(
            subject=inspection, action="case.device_copy", label=_("Device copy attached"), by=by,
            after={"task": task.pk, "device_copy": copy.pk, "conflict": reason, "answered": len(rows)},
        )  # fmt: skip
    return copy


SIGNATURE_MAX_BYTES = 512 * 1024


def signature_add(*, inspection: Inspection, by: Person, image, role: str, name: str = "", title: str = "") -> Evidence:
    """A signature drawn on the inspector's device (a PNG), kept as evidence of the case: the factory
    representative's acknowledgement of the inspection (their name required) or the inspector's own (their
    name from their record). A later signature of the same role is the one the report shows."""
    if inspection.inspector_id != by.pk:
        raise PermissionDenied
    if role not in SignerRole.values:
        raise InspectionError(_("Unknown signer."))
    if role == SignerRole.INSPECTOR:
        name = by.display_name
    name, title = name.strip()[:200], title.strip()[:200]
    if not name:
        raise InspectionError(_("Write the name of the factory's representative who signs."))
    if uploads.content_type_of(image, {uploads.PNG}) != uploads.PNG:
        raise InspectionError(_("A signature must be a PNG image."))
    if image.size > SIGNATURE_MAX_BYTES:
        raise InspectionError(_("The signature is too large."))
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        evidence = Evidence(
            inspection=inspection,
            kind=EvidenceKind.SIGNATURE,
            original_name=f"signature-{role}.png",
            content_type=uploads.PNG,
            size=image.size,
            uploaded_by=by,
            taken_at=timezone.now(),
            signer_name=name,
            signer_role=role,
            signer_title=title,
        )
        evidence.file.save(evidence.original_name, image, save=False)
        evidence.save()
        audit.record(
            subject=inspection,
            action="case.signature",
            label=_("Signed: %(role)s, %(name)s") % {"role": SignerRole(role).label, "name": name},
            by=by,
            after={"file": evidence.original_name},
        )
    return evidence


def checklist_gaps(
    inspection: Inspection, answers: dict | None = None, photos_sent: frozenset = frozenset()
) -> tuple[list[str], list[str]]:
    """What keeps the checklist from review: the codes of the items not answered and of those whose
    required photo is missing (answers: {item id: Answer}, read when not given; photos_sent: the ids of
    the items with a photo about to be added)."""
    if answers is None:
        answers = case_answers(inspection)
    items = checklist_items(inspection)
    needing = {item.pk for item in items if item.photo_required or item.answer_type == AnswerType.PHOTO}
    photos = photos_sent | inspection.__dict__.get("_photos_added", set())
    if not needing <= photos:  # an item's photo not added through this case object: which items have one is read
        photos = photos | photographed_items(inspection)
    missing, no_photo = [], []
    for item in items:
        answer = answers.get(item.pk)
        if item.answer_type != AnswerType.PHOTO and (answer is None or (not answer.value and answer.number is None)):
            missing.append(item.code)
        if item.pk in needing and item.pk not in photos:
            no_photo.append(item.code)
    return missing, no_photo


def submit_refusal(
    inspection: Inspection, answers: dict[int, dict], photos_sent: frozenset = frozenset()
) -> tuple[str, tuple[list[str], list[str]]] | None:
    """Whether "submit" with these answers (answers_save's) and photos would be refused, asked before
    anything is written, so that a refused submit changes nothing and leaves no audit entry: None, or
    the reason and the gaps (checklist_gaps's) as if the answers were saved."""
    merged = dict(case_answers(inspection))
    for item_id, data in answers.items():
        number = data.get("number")
        merged[int(item_id)] = Answer(item_id=int(item_id), value=(data.get("value") or "").strip(), number=number)
    missing, no_photo = gaps = checklist_gaps(inspection, merged, photos_sent)
    if missing:
        return _("Answer every item first: %(codes)s") % {"codes": ", ".join(missing)}, gaps
    if no_photo:
        return _("These items need a photo: %(codes)s") % {"codes": ", ".join(no_photo)}, gaps
    return None


def inspection_submit(*, inspection: Inspection, by: Person) -> Inspection:
    """Hand the checklist to review: every item answered, required photos present; outcome computed."""
    if inspection.inspector_id != by.pk:
        raise PermissionDenied
    answers = case_answers(inspection)
    items = {item.pk: item for item in checklist_items(inspection)}
    for answer in answers.values():  # their items' weights and severities are read below: the checklist's own
        if answer.item_id in items and not Answer.item.is_cached(answer):
            Answer.item.field.set_cached_value(answer, items[answer.item_id])
    missing, no_photo = checklist_gaps(inspection, answers)
    if missing:
        raise InspectionError(_("Answer every item first: %(codes)s") % {"codes": ", ".join(missing)})
    if no_photo:
        raise InspectionError(_("These items need a photo: %(codes)s") % {"codes": ", ".join(no_photo)})
    failing = [a for a in answers.values() if a.compliant is False]
    inspection.outcome = Outcome.NON_COMPLIANT if failing else Outcome.COMPLIANT
    inspection.severity = max((a.item.severity for a in failing), default=None)
    judged = [a for a in answers.values() if a.compliant is not None]
    total = sum((a.item.weight for a in judged), Decimal(0))
    passed = sum((a.item.weight for a in judged if a.compliant), Decimal(0))
    inspection.score = (passed / total * 100).quantize(Decimal("0.01")) if total else None
    inspection.submitted_at = timezone.now()
    inspection.inspected_on = inspection.inspected_on or _today()
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        audit.record(
            subject=inspection,
            saving=("outcome", "severity", "score", "submitted_at", "inspected_on"),
            action="case.submit",
            label=_("Submitted for review"),
            by=by,
            after={"outcome": inspection.outcome, "severity": inspection.severity, "score": str(inspection.score)},
        )
    return inspection


def review_decide(*, inspection: Inspection, by: Person, decision: str, comments: str = "") -> ReviewRound:
    if not access.can(by, "work", inspection):
        raise PermissionDenied
    if decision not in RoundDecision.values:
        raise InspectionError(_("Choose approve or return."))
    if decision == RoundDecision.RETURN and not comments.strip():
        raise InspectionError(_("Say what must be corrected when returning the case."))
    if hasattr(inspection, "last_review_number"):  # loaded with the case (InspectionProcess.case_annotations)
        number = (inspection.last_review_number or 0) + 1
    else:
        number = getattr(inspection.last_review, "number", 0) + 1
    acting = signed_as(by, PositionKind.GROUP_HEAD, inspection.office, _today())
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        review = approvals.next_round(
            inspection.reviews, by=by, by_as=acting, decision=decision, comments=comments, number=number
        )
        audit.record(
            subject=inspection,
            writing=(review,),  # the round written by the entry's statement
            action=f"review.{decision}",
            label=_("Review round %(n)s: %(decision)s") % {"n": number, "decision": review.get_decision_display()},
            by=by,
            acting_for=acting,
            comment=comments,
        )
    inspection.last_review, inspection.last_review_number = review, number
    return review


def inspection_sign_off(*, inspection: Inspection, by: Person) -> Inspection:
    if not access.can(by, "work", inspection):
        raise PermissionDenied
    acting = signed_as(by, PositionKind.PROVINCIAL_OFFICER, inspection.office, _today())
    with transaction.atomic(savepoint=False):  # checked above: what fails from here fails the whole change
        inspection.signed_off_at = timezone.now()
        inspection.signed_off_by = by
        inspection.signed_off_as = acting
        audit.record(
            subject=inspection,
            saving=("signed_off_at", "signed_off_by", "signed_off_as"),
            writing=(outbox.unwritten(issue_report_document, inspection.pk),),  # signed as issued (issued.py)
            action="case.sign_off",
            label=_("Report signed off"),
            by=by,
            acting_for=inspection.signed_off_as,
            after={"outcome": inspection.outcome},
        )
    return inspection


@transaction.atomic
def order_draft(
    *, inspection: Inspection, by: Person | None, kind: str, requirement: str, period_days: int
) -> CorrectiveOrder:
    """Draft (or, sent back, redraft) the order and send it up its approval chain. The factory has
    `period_days` calendar days from receiving it (delivery.compliance_due); until then the deadline
    counts from today, and from the issue date once issued."""
    if by is not None and not access.can(by, "work", inspection):
        raise PermissionDenied
    if kind not in OrderKind.values:
        raise InspectionError(_("Choose the legal basis of the order."))
    if not requirement.strip():
        raise InspectionError(_("Say what the factory must do."))
    if not MIN_PERIOD_DAYS <= period_days <= MAX_PERIOD_DAYS:
        raise InspectionError(
            _("The period must be %(min)s to %(max)s days.") % {"min": MIN_PERIOD_DAYS, "max": MAX_PERIOD_DAYS}
        )
    deadline = compliance_due(_today(), period_days)
    order = current_order(inspection)
    if order is not None and order.status == OrderStatus.DRAFT:  # sent back: the same order, a new round
        order.kind, order.requirement, order.period_days = kind, requirement.strip(), period_days
        order.deadline = deadline
        order.drafted_by = by or inspection.created_by
        order.save(update_fields=["kind", "requirement", "period_days", "deadline", "drafted_by"])
    else:
        order = CorrectiveOrder.objects.create(
            inspection=inspection,
            kind=kind,
            requirement=requirement.strip(),
            period_days=period_days,
            deadline=deadline,
            drafted_by=by or inspection.created_by,
        )
    order_submit(order=order)
    audit.record(
        subject=inspection,
        action="order.draft",
        label=_("Order drafted: %(kind)s") % {"kind": order.get_kind_display()},
        by=by,
        after={"kind": kind, "period_days": period_days, "requirement": order.requirement},
    )
    return order


def order_submit(*, order: CorrectiveOrder) -> list[OrderApproval]:
    """Resolve the approval chain from the rules and record it as the order's next round (vacant
    levels as skipped); the rounds before it are kept."""
    inspection = order.inspection
    steps = resolve_chain(
        subject="order", office=inspection.office, on=_today(), order_kind=order.kind, severity=inspection.severity
    )
    if not any(not s.vacant for s in steps):
        raise InspectionError(_("No one can approve this order: every position in its chain is vacant."))
    rows = approvals.chain_open(order.approvals, steps)
    order.status = OrderStatus.APPROVING
    order.save(update_fields=["status"])
    for row in rows:
        if row.decision == StepDecision.SKIPPED:
            audit.record(
                subject=inspection,
                action="order.skip",
                label=_("Approval level %(level)s vacant: passed up the chain")
                % {"level": PositionKind(row.level).label},
            )
    return rows


def pending_approval(order: CorrectiveOrder) -> OrderApproval | None:
    return approvals.pending(order.approvals)


@transaction.atomic
def order_decide(*, order: CorrectiveOrder, by: Person, approve: bool, comments: str = "") -> CorrectiveOrder:
    step = pending_approval(order)
    if step is None or step.approver_id != by.pk:
        raise PermissionDenied
    if not approve and not comments.strip():
        raise InspectionError(_("Say why the order is sent back."))
    approvals.decide(step, approve=approve, comments=comments)
    if not approve:
        order.status = OrderStatus.DRAFT
    elif pending_approval(order) is None:
        order.status = OrderStatus.ISSUED
        order.issued_on = _today()
        order.deadline = compliance_due(order.issued_on, order.period_days)  # until the receipt is recorded
        order.signed_by, order.signed_as = by, step.approver_as
        order.letter_no = f"อก {order.inspection.office.province_id:02d}/{order.pk:05d}"
        outbox.enqueue(issue_order_document, order.pk)  # the letter signed as issued, after the commit (issued.py)
    order.save(update_fields=["status", "issued_on", "deadline", "signed_by", "signed_as", "letter_no"])
    risk_refresh([order.inspection.factory_id])
    audit.record(
        subject=order.inspection,
        action="order.approve" if approve else "order.return",
        label=(_("Order approved at step %(n)s") if approve else _("Order sent back at step %(n)s")) % {"n": step.step},
        by=by,
        acting_for=step.acting_for,
        comment=comments,
    )
    return order


def current_order(inspection: Inspection) -> CorrectiveOrder | None:
    return CorrectiveOrder.current_of(inspection.pk)


@transaction.atomic
def follow_up_record(*, inspection: Inspection, by: Person, complied: bool, note: str) -> CorrectiveOrder:
    order = current_order(inspection)
    if inspection.inspector_id != by.pk:
        raise PermissionDenied
    if order is None or order.status != OrderStatus.ISSUED:
        raise InspectionError(_("There is no issued order to follow up."))
    if not note.strip():
        raise InspectionError(_("Describe what was found at the follow-up visit."))
    order.status = OrderStatus.COMPLIED if complied else OrderStatus.NOT_COMPLIED
    order.save(update_fields=["status"])
    risk_refresh([inspection.factory_id])
    audit.record(
        subject=inspection,
        action="order.follow_up",
        label=_("Follow-up: order complied") if complied else _("Follow-up: order not complied"),
        by=by,
        comment=note,
    )
    return order


@transaction.atomic
def escalate_to_closure(*, inspection: Inspection) -> CorrectiveOrder:
    """An s.37 order not obeyed: draft the s.39 order, which climbs the chain by the rules."""
    return order_draft(
        inspection=inspection,
        by=None,
        kind=OrderKind.S39_CLOSE,
        requirement=_("Suspend operation until the s.37 order is complied with (Factory Act B.E. 2535 s.39)."),
        period_days=30,
    )


@transaction.atomic(savepoint=False)  # nothing to check: what fails here fails the whole change (the flow's step)
def inspection_close(*, inspection: Inspection) -> Inspection:
    inspection.closed_at = timezone.now()
    # The factory's risk score after the commit (one outbox row here, not its ~9 statements inline).
    risk = outbox.unwritten(refresh_risk, [inspection.factory_id])
    audit.record(
        subject=inspection, saving=("closed_at",), writing=(risk,), action="case.close", label=_("Case closed")
    )
    return inspection


def inspection_start(
    *, factory: Factory, by: Person | None, reason: str = InspectionReason.ROUTINE, planned_on: date | None = None,
    follows: Inspection | None = None,
) -> Inspection:  # fmt: skip
    """Open the case and start its InspectionFlow (one path for the screen, plans and complaints)."""
    from .flows import InspectionFlow

    with transaction.atomic():
        inspection = inspection_open(factory=factory, by=by, reason=reason, planned_on=planned_on, follows=follows)
        InspectionFlow.start.run(inspection=inspection)
    return inspection


REASSIGNABLE = ("inspect", "follow_up")  # the inspector's steps; the others go to whoever holds the post


@transaction.atomic
def task_reassign(*, task, to: Person, by: Person):
    """Whoever assigns the office's cases (its group head) hands an open inspector's step to another
    inspector of the office. Review, sign-off, order and approval steps are never handed over by hand:
    the organisation chart and the approval chain decide who holds them."""
    from viewflow.workflow.status import STATUS

    from .flows import InspectionFlow

    inspection = task.process.coerced.case
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED) or not access.can(by, "change", inspection):
        raise PermissionDenied
    if not InspectionFlow.assign.may_hold(by, task):
        raise PermissionDenied
    if task.flow_task.name not in REASSIGNABLE:
        raise InspectionError(_("This step goes to whoever holds the post; it is not handed over by hand."))
    if not task.flow_task.may_hold(to, task):
        raise InspectionError(_("%(person)s is not an inspector of this office.") % {"person": to})
    duties.hand_over(task, to=to, by=by, subject=inspection, label=_("Task reassigned to %(person)s") % {"person": to})
    if task.flow_task.name in ("inspect", "follow_up"):
        inspection.inspector = to
        inspection.save(update_fields=["inspector"])
    return task
