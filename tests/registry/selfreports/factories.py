"""Builders for self-report tests. Reports made here skip the service on purpose (to set the filing
time of the past); tests of filing itself go through registry.selfreports.services."""

from datetime import datetime

import factory as fb
from django.utils import timezone

from registry.models import FactoryOperator, ReportValue, SelfReport
from registry.selfreports.models import ReportKind
from registry.selfreports.periods import Period
from tests.clock import BANGKOK
from tests.factories import FactoryFactory, PersonFactory


def local(*args) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


class OperatorFactory(fb.django.DjangoModelFactory):
    class Meta:
        model = FactoryOperator

    person = fb.SubFactory(PersonFactory)
    factory = fb.SubFactory(FactoryFactory)


class SelfReportFactory(fb.django.DjangoModelFactory):
    """A current report; pass `kind`, `factory`, `period` (a Period), `first_filed_at` and `values`."""

    class Meta:
        model = SelfReport
        exclude = ("period",)
        skip_postgeneration_save = True

    factory = fb.SubFactory(FactoryFactory)
    kind = fb.LazyFunction(lambda: ReportKind.objects.get(code="rw"))
    period = fb.LazyAttribute(lambda o: Period.containing(o.kind.frequency, timezone.localdate()).previous())
    period_start = fb.LazyAttribute(lambda o: o.period.start)
    period_end = fb.LazyAttribute(lambda o: o.period.end)
    first_filed_at = fb.LazyFunction(timezone.now)
    filed_at = fb.LazyAttribute(lambda o: o.first_filed_at)
    filed_by = fb.SubFactory(PersonFactory)

    @fb.post_generation
    def values(obj, create, extracted, **kwargs):
        units = {f.key: f.unit for f in obj.kind.fields.all()}
        ReportValue.objects.bulk_create(
            ReportValue(
                report=obj, key=k, unit=units.get(k, ""), **({"text": v} if isinstance(v, str) else {"number": v})
            )
            for k, v in (extracted or {}).items()
        )
