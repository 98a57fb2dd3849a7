"""Reporting periods: a calendar year, a half year or a month, written as `2567`, `2567-H1` or
`2567-03` (BE year; a CE year is accepted too) and shown to people in the Buddhist era."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.calendar import BE_OFFSET, MONTHS_EN_LONG, MONTHS_TH_LONG


class Frequency(models.TextChoices):
    YEARLY = "yearly", gettext_lazy("Yearly")
    HALF_YEARLY = "half", gettext_lazy("Half-yearly")
    MONTHLY = "monthly", gettext_lazy("Monthly")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    frequency: str

    @property
    def end(self) -> date:
        if self.frequency == Frequency.YEARLY:
            return date(self.start.year, 12, 31)
        if self.frequency == Frequency.HALF_YEARLY:
            return date(self.start.year, 6, 30) if self.start.month == 1 else date(self.start.year, 12, 31)
        following = date(self.start.year + (self.start.month == 12), self.start.month % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def code(self) -> str:
        year = self.start.year + BE_OFFSET
        if self.frequency == Frequency.YEARLY:
            return str(year)
        if self.frequency == Frequency.HALF_YEARLY:
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        return f"{year}-{self.start.month:02d}"

    def label(self, lang: str | None = None) -> str:
        """`ปี 2567`, `ครึ่งปีแรก 2567`, `มีนาคม 2567`; in English `Year 2567 BE`, `First half 2567 BE`,
        `March 2567 BE` (written out here like org.calendar's month names, not through the catalogue)."""
        english = (lang or translation.get_language() or "th").startswith("en")
        year = self.start.year + BE_OFFSET
        if self.frequency == Frequency.YEARLY:
            return f"Year {year} BE" if english else f"ปี {year}"
        if self.frequency == Frequency.HALF_YEARLY:
            first = self.start.month == 1
            if english:
                return f"{'First' if first else 'Second'} half {year} BE"
            return f"{'ครึ่งปีแรก' if first else 'ครึ่งปีหลัง'} {year}"
        if english:
            return f"{MONTHS_EN_LONG[self.start.month - 1]} {year} BE"
        return f"{MONTHS_TH_LONG[self.start.month - 1]} {year}"

    def __str__(self) -> str:
        return self.label()

    def due(self, due_days: int) -> date:
        return self.end + timedelta(days=due_days)

    def previous(self) -> "Period":
        return Period.containing(self.frequency, self.start - timedelta(days=1))

    @classmethod
    def containing(cls, frequency: str, day: date) -> "Period":
        if frequency == Frequency.YEARLY:
            return cls(date(day.year, 1, 1), frequency)
        if frequency == Frequency.HALF_YEARLY:
            return cls(date(day.year, 1 if day.month <= 6 else 7, 1), frequency)
        if frequency == Frequency.MONTHLY:
            return cls(date(day.year, day.month, 1), frequency)
        raise PeriodError(f"unknown frequency {frequency!r}")

    @classmethod
    def parse(cls, frequency: str, text: str) -> "Period":
        """`2567`, `2567-H1`/`2567-H2`, `2567-03` as the frequency asks; a year above 2400 is BE."""
        text = (text or "").strip().upper()
        year_text, _sep, part = text.partition("-")
        try:
            year = int(year_text)
        except ValueError:
            raise PeriodError(cls.hint(frequency)) from None
        year = year - BE_OFFSET if year > 2400 else year
        if not 1900 <= year <= 2200:
            raise PeriodError(cls.hint(frequency))
        if frequency == Frequency.YEARLY and not part:
            return cls(date(year, 1, 1), frequency)
        if frequency == Frequency.HALF_YEARLY and part in ("H1", "H2"):
            return cls(date(year, 1 if part == "H1" else 7, 1), frequency)
        if frequency == Frequency.MONTHLY and part.isdigit() and 1 <= int(part) <= 12:
            return cls(date(year, int(part), 1), frequency)
        raise PeriodError(cls.hint(frequency))

    @staticmethod
    def hint(frequency: str) -> str:
        examples = {
            Frequency.YEARLY: _("write the period as the Buddhist-era year, e.g. 2567"),
            Frequency.HALF_YEARLY: _("write the period as 2567-H1 (January–June) or 2567-H2 (July–December)"),
            Frequency.MONTHLY: _("write the period as year-month, e.g. 2567-03"),
        }
        return str(examples.get(frequency, ""))


def periods_due_between(frequency: str, due_days: int, first: date, last: date) -> list[Period]:
    """The periods whose due date falls in [first, last], oldest first."""
    period = Period.containing(frequency, last - timedelta(days=due_days))
    while period.due(due_days) > last:
        period = period.previous()
    found = []
    while period.due(due_days) >= first:
        found.append(period)
        period = period.previous()
    return found[::-1]
