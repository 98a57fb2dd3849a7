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
