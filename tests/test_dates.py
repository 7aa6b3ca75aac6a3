import datetime

import pytest

from privacyregister.dates import (
    OutOfRange,
    add_months,
    add_period,
    easter_sunday,
    next_working_day,
    public_holidays,
)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "amount", "unit", "end"),
    [
        (D(2025, 7, 15), 2, "jaren", D(2027, 7, 15)),
        (D(2024, 2, 29), 1, "jaren", D(2025, 2, 28)),  # leap day, one year on
        (D(2024, 2, 29), 4, "jaren", D(2028, 2, 29)),
        (D(2026, 1, 31), 1, "maanden", D(2026, 2, 28)),
        (D(2028, 1, 31), 1, "maanden", D(2028, 2, 29)),
        (D(2026, 8, 31), 1, "maanden", D(2026, 9, 30)),
        (D(2026, 10, 31), 4, "maanden", D(2027, 2, 28)),
        (D(2026, 12, 15), 1, "maanden", D(2027, 1, 15)),
        (D(2026, 3, 31), 6, "maanden", D(2026, 9, 30)),
        (D(2026, 11, 24), 4, "weken", D(2026, 12, 22)),
        (D(2026, 12, 20), 6, "weken", D(2027, 1, 31)),
        (D(2026, 12, 31), 1, "dagen", D(2027, 1, 1)),
        (D(2019, 12, 31), 7, "jaren", D(2026, 12, 31)),
    ],
)
def test_periods_follow_regulation_1182_71(start, amount, unit, end):
    assert add_period(start, amount, unit) == end


def test_a_month_back_is_not_needed_but_twelve_months_is_a_year():
    assert add_months(D(2025, 1, 31), 12) == D(2026, 1, 31)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2029, D(2029, 4, 1)),
        (2030, D(2030, 4, 21)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_the_holidays_of_the_algemene_termijnenwet_in_2026():
    assert sorted(public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 4, 27),
        D(2026, 5, 5),
        D(2026, 5, 14),
        D(2026, 5, 25),
        D(2026, 12, 25),
        D(2026, 12, 26),
    ]


def test_koningsdag_moves_to_the_26th_when_the_27th_is_a_sunday():
    assert D(2025, 4, 26) in public_holidays(2025)  # 27 April 2025 is a Sunday
    assert D(2025, 4, 27) not in public_holidays(2025)


@pytest.mark.parametrize(
    ("day", "working_day"),
    [
        (D(2026, 5, 14), D(2026, 5, 15)),  # Hemelvaartsdag, a Thursday
        (D(2026, 4, 6), D(2026, 4, 7)),  # tweede paasdag
        (D(2026, 12, 25), D(2026, 12, 28)),  # Christmas on a Friday, then the weekend
        (D(2026, 11, 28), D(2026, 11, 30)),  # a Saturday
        (D(2026, 11, 24), D(2026, 11, 24)),  # a Tuesday
    ],
)
def test_next_working_day(day, working_day):
    assert next_working_day(day) == working_day


def test_extra_days_off_count_too():
    assert next_working_day(D(2026, 11, 24), {D(2026, 11, 24)}) == D(2026, 11, 25)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(101, "jaren"), (1201, "maanden"), (5218, "weken"), (36526, "dagen"), (2147483647, "dagen")],
)
def test_a_period_longer_than_a_hundred_years_is_refused_explicitly(amount, unit):
    with pytest.raises(OutOfRange):
        add_period(D(2025, 1, 1), amount, unit)


@pytest.mark.parametrize(("amount", "unit"), [(100, "jaren"), (1200, "maanden"), (36525, "dagen")])
def test_a_hundred_years_is_still_a_period(amount, unit):
    assert add_period(D(2025, 1, 1), amount, unit).year == 2125


def test_a_date_beyond_the_calendar_is_refused_explicitly():
    with pytest.raises(OutOfRange):
        add_months(D(9999, 12, 1), 1)
    with pytest.raises(OutOfRange):
        add_period(D(9999, 12, 31), 1, "dagen")
