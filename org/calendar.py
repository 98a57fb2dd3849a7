"""Thai calendar: Buddhist-era dates for people to read, and the government fiscal year.

BE = CE + 543. The fiscal year runs 1 Oct – 30 Sep and is named by the BE year it ends in:
FY 2567 = 1 Oct 2023 – 30 Sep 2024.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import get_language

BE_OFFSET = 543

MONTHS_TH_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_TH_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def format_be(value: date | datetime | None, style: str = "short", lang: str | None = None) -> str:
    """`25 มี.ค. 2567` (short), `25 มีนาคม 2567` (long); English month names with the BE year
    (`25 Mar 2567 BE`) when the reader chose English. Aware datetimes are shown in local time."""
    if value is None:
        return ""
    with_time = isinstance(value, datetime)
    if with_time and timezone.is_aware(value):
        value = timezone.localtime(value)
    lang = lang or get_language() or "th"
    month = value.month - 1
    if lang.startswith("en"):
        names = MONTHS_EN_LONG if style == "long" else MONTHS_EN_SHORT
        text = f"{value.day} {names[month]} {be_year(value.year)} BE"
    else:
        names = MONTHS_TH_LONG if style == "long" else MONTHS_TH_SHORT
        text = f"{value.day} {names[month]} {be_year(value.year)}"
    if with_time:
        text += f" {value:%H:%M}"
    return text


def fiscal_year(value: date) -> int:
    """The BE fiscal year a date falls in (1 Oct starts the next one)."""
    ce = value.year + 1 if value.month >= 10 else value.year
    return be_year(ce)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of a BE fiscal year."""
    ce_end = fy_be - BE_OFFSET
    return date(ce_end - 1, 10, 1), date(ce_end, 9, 30)


def fiscal_quarter(value: date) -> int:
    """1 for Oct–Dec, 2 for Jan–Mar, 3 for Apr–Jun, 4 for Jul–Sep."""
    return ((value.month - 10) % 12) // 3 + 1
