"""One standard: for a checklist template (and one of its items, by code, across the template's
versions), each inspector's non-compliance rate in the fiscal year beside their office's and the
nation's, placed on a funnel plot (dashboards.funnel) so that an inspector who finds non-compliance
far less or far more often than the nation stands out — possibly too lenient or too strict.

Counted: inspections signed off in the year, with an inspector, whose answers to the template's items
were judged (Answer.compliant not empty). For the whole template an inspection counts as non-compliant
when any judged item was; for one item, when that item was. The nation's rate is every office's; the
rows shown are the inspectors of the offices the person may see (permissions.access), so who opens the
page is who opens the dashboards (a group head and up the chain; never an inspector). A constant number
of queries whatever the number of inspectors: the templates, the items, one aggregate, and with a
drill-down the inspector's cases."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from permissions import access
from workflows.inspection.models import Answer, ChecklistItem, ChecklistTemplate, Inspection

from . import funnel
from .tracking import fy_bounds


@dataclass
class Rate:
    n: int = 0
    bad: int = 0

    @property
    def rate(self) -> float | None:
        return self.bad / self.n if self.n else None


@dataclass
class InspectorRow:
    person_id: int
    name: str
    office_id: int
    office: str
    mine: Rate
    office_rate: Rate
    direction: str | None = None
    level: str | None = None


@dataclass
class Standard:
    templates: list
    template: ChecklistTemplate | None
    items: list[tuple[str, str]]
    item: str  # an item's code, "" for the whole template
    nation: Rate
    rows: list[InspectorRow]
    chosen: InspectorRow | None = None
    cases: list = field(default_factory=list)


def _int(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return int(value)


def standard(user, fy: int, params) -> Standard:
    """The funnel of `params` (template=<pk>, item=<code>, inspector=<pk>); an unknown one is a 404."""
    templates = list(ChecklistTemplate.objects.order_by("code"))
    template_id = _int(params.get("template"))
    template = next((t for t in templates if t.pk == template_id), None) if template_id else None
    if template_id and template is None:
        raise Http404
    template = template or (templates[0] if templates else None)
    if template is None:
        return Standard([], None, [], "", Rate(), [])
    items: dict[str, str] = {}
    for code, question in (
        ChecklistItem.objects.filter(section__version__template=template)
        .order_by("code", "-section__version__number")
        .values_list("code", "question_th")
    ):
        items.setdefault(code, question)
    item = params.get("item") or ""
    if item and item not in items:
        raise Http404

    start, end = fy_bounds(fy)
    answers = Answer.objects.filter(
        item__section__version__template=template, compliant__isnull=False,
        inspection__signed_off_at__gte=start, inspection__signed_off_at__lt=end, inspection__inspector__isnull=False,
    )  # fmt: skip
    if item:
        answers = answers.filter(item__code=item)
    per_inspector = (
        answers.values(
            "inspection__inspector",
            "inspection__office",
            "inspection__office__name_th",
            "inspection__inspector__title_th",
            "inspection__inspector__first_name",
            "inspection__inspector__last_name",
        )  # fmt: skip
        .annotate(
            n=Count("inspection", distinct=True),
            bad=Count("inspection", distinct=True, filter=Q(compliant=False)),
        )
        .order_by()
    )
    nation, offices = Rate(), {}
    visible = access.scope_of(user)
    rows = []
    for row in per_inspector:
        nation.n, nation.bad = nation.n + row["n"], nation.bad + row["bad"]
        office = offices.setdefault(row["inspection__office"], Rate())
        office.n, office.bad = office.n + row["n"], office.bad + row["bad"]
        if not visible.covers(access.ACTIONS["view"], row["inspection__office"]):
            continue  # counted in the nation's and its office's rate, never shown
        name = "{}{} {}".format(
            row["inspection__inspector__title_th"], row["inspection__inspector__first_name"],
            row["inspection__inspector__last_name"],
        ).strip()  # fmt: skip
        rows.append(InspectorRow(row["inspection__inspector"], name, row["inspection__office"],
                                 row["inspection__office__name_th"], Rate(row["n"], row["bad"]), office))  # fmt: skip
    if nation.n:
        for row in rows:
            row.direction, row.level = funnel.flag(row.mine.bad, row.mine.n, nation.rate)
    rows.sort(key=lambda r: (r.level != funnel.ALARM, r.level is None, r.office, r.name))
    result = Standard(templates, template, list(items.items()), item, nation, rows)

    chosen_id = _int(params.get("inspector"))
    if chosen_id is not None:
        result.chosen = next((r for r in rows if r.person_id == chosen_id), None)
        if result.chosen is None:
            raise Http404
        result.cases = drill_down(user, result, start, end, answers)
    return result


CASE_LIMIT = 200


def drill_down(user, result: Standard, start, end, answers) -> list[Inspection]:
    """The chosen inspector's counted cases, the non-compliant ones first (one query)."""
    bad = answers.filter(inspection=OuterRef("pk"), compliant=False)
    counted = answers.filter(inspection=OuterRef("pk"))
    return list(
        access.visible(user, Inspection.objects.all())
        .filter(inspector_id=result.chosen.person_id, signed_off_at__gte=start, signed_off_at__lt=end)
        .annotate(counted=Exists(counted), non_compliant=Exists(bad))
        .filter(counted=True)
        .select_related("factory", "office")
        .order_by("-non_compliant", "-signed_off_at", "-pk")[:CASE_LIMIT]
    )
