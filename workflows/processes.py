"""What every Kamkap process model knows about its case: which foreign key holds it and what the
flow reads of it, read once per process object (`process.case`)."""

from django.utils.functional import cached_property


class CaseProcess:
    """Mixin of a Viewflow process model: `case_field` names the foreign key to the case the process
    is about, `case_related` what the flow reads from that case (its office, its assignee, …)."""

    case_field = ""
    case_related: tuple[str, ...] = ()

    @cached_property
    def case(self):
        """The case with what the flow reads of it, in one query; task pages and services work on this
        object, so the flow's assignment functions and predicates see what the service just changed."""
        field = self._meta.get_field(self.case_field)
        if field.is_cached(self):
            return getattr(self, self.case_field)
        return field.related_model.objects.select_related(*self.case_related).get(pk=getattr(self, field.attname))


REFERENCE_FIELDS = ("ref_no", "tracking_no", "code")  # a case's own number, where it has one


def case_reference(case) -> str:
    """How people name a case: its number, tracking number or code."""
    for name in REFERENCE_FIELDS:
        value = getattr(case, name, "")
        if value:
            return str(value)
    return str(case)


def case_office(case):
    """The office a case belongs to: its own, or its project's (budget reports, escalations)."""
    return getattr(case, "office", None) or getattr(getattr(case, "project", None), "office", None)
