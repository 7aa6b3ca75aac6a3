"""Calendar arithmetic shared by retention periods and rights-request deadlines, and the one way
dates and moments are written for people.

Months are counted per Regulation (EEC, Euratom) No 1182/71, art. 3(2)(c): a period ends on the
same day of the month as the day it started from, or on the last day of the month when that day
does not exist (31 January + 1 month = 28 or 29 February).
"""

import calendar
import datetime

from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodUnit(models.TextChoices):
    DAYS = "dagen", _("dagen")
    WEEKS = "weken", _("weken")
    MONTHS = "maanden", _("maanden")
    YEARS = "jaren", _("jaren")


# The dates the register works with. Input outside them is a typing error (or an attack); with
# periods of at most a hundred years, every result stays far from the ends of Python's calendar.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2200, 12, 31)

# The longest period in each unit: a hundred years, rounded down to whole units.
LONGEST_PERIOD: dict[str, int] = {
    PeriodUnit.DAYS: 36_525,
    PeriodUnit.WEEKS: 5_217,
    PeriodUnit.MONTHS: 1_200,
    PeriodUnit.YEARS: 100,
}


class OutOfRange(ValueError):
    """A period longer than a hundred years, or a date beyond the calendar: refused as such,
    instead of an OverflowError from deep inside the date arithmetic."""


def period_is_valid(amount: int, unit: str) -> bool:
    return unit in LONGEST_PERIOD and 0 <= amount <= LONGEST_PERIOD[unit]


def add_months(start: datetime.date, months: int) -> datetime.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise OutOfRange(f"{start} + {months} maanden valt buiten de kalender")
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_period(start: datetime.date, amount: int, unit: str) -> datetime.date:
    """The end of a period of `amount` `unit` (dagen, weken, maanden, jaren) from `start`."""
    if unit not in PeriodUnit.values:
        raise ValueError(f"onbekende eenheid: {unit}")
    if not period_is_valid(amount, unit):
        raise OutOfRange(f"{amount} {unit} is langer dan honderd jaar")
    if unit in (PeriodUnit.MONTHS, PeriodUnit.YEARS):
        return add_months(start, amount if unit == PeriodUnit.MONTHS else 12 * amount)
    try:
        return start + datetime.timedelta(days=amount if unit == PeriodUnit.DAYS else 7 * amount)
    except OverflowError:
        raise OutOfRange(f"{start} + {amount} {unit} valt buiten de kalender") from None


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def public_holidays(year: int) -> dict[datetime.date, str]:
    """The days the Algemene termijnenwet (art. 3) treats like a Sunday."""
    easter = easter_sunday(year)
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:  # on a Sunday, Koningsdag is celebrated on the 26th
        kings_day = datetime.date(year, 4, 26)
    return {
        datetime.date(year, 1, 1): "Nieuwjaarsdag",
        easter - datetime.timedelta(days=2): "Goede Vrijdag",
        easter + datetime.timedelta(days=1): "tweede paasdag",
        kings_day: "Koningsdag",
        datetime.date(year, 5, 5): "Bevrijdingsdag",
        easter + datetime.timedelta(days=39): "Hemelvaartsdag",
        easter + datetime.timedelta(days=50): "tweede pinksterdag",
        datetime.date(year, 12, 25): "eerste kerstdag",
        datetime.date(year, 12, 26): "tweede kerstdag",
    }


def next_working_day(day: datetime.date, extra_holidays=frozenset()) -> datetime.date:
    """The day itself, or the first day after it that is no Saturday, Sunday or holiday."""
    while day.weekday() >= 5 or day in public_holidays(day.year) or day in extra_holidays:
        day += datetime.timedelta(days=1)
    return day


def dutch_date(value: datetime.date | datetime.datetime | None) -> str:
    """1 november 2025 (in the active language), never ISO: what is written is read by people."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "j F Y")


def dutch_moment(value: datetime.datetime) -> str:
    """1 november 2025 om 14:05, in the installation's time zone (Europe/Amsterdam)."""
    return gettext("%(date)s om %(time)s") % {
        "date": dutch_date(value),
        "time": date_format(timezone.localtime(value), "H:i"),
    }
