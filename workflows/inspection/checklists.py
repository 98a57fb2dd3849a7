"""Writes to the checklist templates (low-code: a process administrator builds them in the admin).

A template has numbered versions. Only a draft can be edited; publishing freezes it, retires the
version published before it, and cases keep the version they were opened with. To change a
published checklist, make a new draft (a copy of the latest version), edit it and publish it."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.models import Person
from workflows import audit

from .errors import InspectionError
from .models import AnswerType, ChecklistItem, ChecklistSection, ChecklistTemplate, ChecklistVersion, VersionStatus

YES_NO_ANSWERS = ("yes", "no")


def ensure_editable(version: ChecklistVersion) -> None:
    """Refuse any change to a version that is no longer a draft."""
    if not version.is_editable:
        raise InspectionError(_("A published version cannot be changed; make a new version."))


@transaction.atomic
def checklist_create(
    *, code: str, title_th: str, title_en: str = "", description: str = "", by: Person
) -> ChecklistVersion:
    """A new template with an empty draft version 1, to be filled in and published."""
    code, title_th = code.strip(), title_th.strip()
    try:
        validate_slug(code)
    except ValidationError:
        raise InspectionError(
            _("The code may contain only letters, digits, hyphens and underscores."), field="code"
        ) from None
    if ChecklistTemplate.objects.filter(code=code).exists():
        raise InspectionError(_("A checklist with the code “%(code)s” already exists.") % {"code": code}, field="code")
    if not title_th:
        raise InspectionError(_("Give the checklist a Thai title."), field="title_th")
    template = ChecklistTemplate.objects.create(
        code=code, title_th=title_th, title_en=title_en.strip(), description=description.strip()
    )
    version = ChecklistVersion.objects.create(template=template, number=1)
    audit.record(
        subject=template,
        action="checklist.create",
        label=gettext_lazy("Checklist created"),
        by=by,
        after={"code": code, "version": 1},
    )
    return version


def publish_problems(version: ChecklistVersion) -> list[str]:
    """Why `version` cannot be published yet, one sentence per problem (empty when it can)."""
    sections = list(version.sections.prefetch_related("items"))
    if not sections:
        return [_("The version has no items.")]
    problems = []
    seen_codes = set()
    for section in sections:
        items = list(section.items.all())
        if not items:
            problems.append(_("Section “%(section)s” has no items.") % {"section": section.title_th})
        for item in items:
            problems += _item_problems(item)
            if item.code in seen_codes:
                problems.append(_("%(code)s: two items have this code.") % {"code": item.code})
            seen_codes.add(item.code)
    return problems


def _item_problems(item: ChecklistItem) -> list[str]:
    code = {"code": item.code or "?"}
    problems = []
    if not item.code.strip():
        problems.append(_("An item in “%(section)s” has no code.") % {"section": item.section.title_th})
    noncompliant = item.noncompliant_answers
    if not isinstance(noncompliant, list):
        problems.append(_('%(code)s: write the non-compliant answers as a list, e.g. ["no"].') % code)
        noncompliant = []
    if item.answer_type == AnswerType.NUMBER and not item.unit.strip():
        problems.append(_("%(code)s: a number item needs a unit.") % code)
    if item.answer_type == AnswerType.CHOICE:
        choices = item.choices
        if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c.strip() for c in choices):
            problems.append(_("%(code)s: a choice item needs its choices, as a list of texts.") % code)
        elif any(answer not in choices for answer in noncompliant):
            problems.append(_("%(code)s: the non-compliant answers must be among the item's choices.") % code)
    if item.answer_type == AnswerType.YES_NO and any(answer not in YES_NO_ANSWERS for answer in noncompliant):
        problems.append(_('%(code)s: the non-compliant answers of a yes/no item may only be "yes" or "no".') % code)
    if item.compliant_min is not None and item.compliant_max is not None and item.compliant_min > item.compliant_max:
        problems.append(_("%(code)s: the lowest compliant value is above the highest.") % code)
    return problems


@transaction.atomic
def version_publish(*, version: ChecklistVersion, by: Person) -> ChecklistVersion:
    """Freeze a complete draft; the version published before it is retired (cases keep their own)."""
    ChecklistTemplate.objects.select_for_update().filter(pk=version.template_id).first()
    version = ChecklistVersion.objects.select_related("template").get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise InspectionError(
            _("Only a draft can be published; %(version)s is %(status)s.")
            % {"version": version, "status": version.get_status_display()}
        )
    problems = publish_problems(version)
    if problems:
        raise InspectionError(
            _("%(version)s cannot be published: %(problems)s") % {"version": version, "problems": " ".join(problems)}
        )
    previous = version.template.versions.filter(status=VersionStatus.PUBLISHED).exclude(pk=version.pk)
    retired = list(previous.values_list("number", flat=True))
    previous.update(status=VersionStatus.RETIRED)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        subject=version.template,
        action="checklist.publish",
        label=gettext_lazy("Checklist version published"),
        by=by,
        after={"version": version.number, "retired": retired},
    )
    return version


@transaction.atomic
def version_new_draft(*, template: ChecklistTemplate, by: Person) -> ChecklistVersion:
    """A new draft numbered after the latest version, with a copy of its sections and items."""
    ChecklistTemplate.objects.select_for_update().filter(pk=template.pk).first()
    draft = template.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise InspectionError(
            _("%(template)s already has a draft (version %(number)s); edit that one.")
            % {"template": template, "number": draft.number}
        )
    latest = template.versions.order_by("-number").first()
    new = ChecklistVersion.objects.create(template=template, number=latest.number + 1 if latest else 1)
    if latest is not None:
        for section in latest.sections.prefetch_related("items"):
            copy = _copy(section, version_id=new.pk)
            copy.save()
            ChecklistItem.objects.bulk_create([_copy(item, section_id=copy.pk) for item in section.items.all()])
    audit.record(
        subject=template,
        action="checklist.draft",
        label=gettext_lazy("New checklist draft"),
        by=by,
        after={"version": new.number, "copied_from": latest.number if latest else None},
    )
    return new


def _copy(obj: ChecklistSection | ChecklistItem, **changes):
    """An unsaved copy of `obj` with every field but its primary key, then `changes`."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    return type(obj)(**(values | changes))
