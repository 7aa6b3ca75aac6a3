"""The deadline function on dated cases. Every expected date is written out by hand from a
calendar, not computed by the code under test."""

import datetime

import pytest

from rights.deadlines import extension_notice_deadline, rights_deadline

D = datetime.date

CASES = [
    # (received on, extended, expected deadline, why)
    (D(2026, 8, 31), False, D(2026, 9, 30), "no 31 September: last day of the month"),
    (D(2026, 4, 14), False, D(2026, 5, 15), "14 May 2026 is Hemelvaartsdag"),
    (D(2026, 3, 6), False, D(2026, 4, 7), "6 April 2026 is tweede paasdag"),
    (D(2026, 1, 31), False, D(2026, 3, 2), "28 February 2026 (last day) is a Saturday"),
    (D(2028, 1, 31), False, D(2028, 2, 29), "leap year 2028"),
    (D(2025, 1, 29), False, D(2025, 2, 28), "2025 no leap day: 28 February, a Friday"),
    (D(2024, 1, 30), False, D(2024, 2, 29), "leap year 2024, 29 February a Thursday"),
    (D(2026, 11, 24), False, D(2026, 12, 24), "a Thursday"),
    (D(2026, 11, 25), False, D(2026, 12, 28), "25 Dec Christmas (Friday), 26/27 weekend"),
    (D(2026, 11, 26), False, D(2026, 12, 28), "26 Dec tweede kerstdag on a Saturday"),
    (D(2025, 11, 25), False, D(2025, 12, 29), "25 Dec 2025 Thursday, 26 Friday, weekend"),
    (D(2025, 11, 30), False, D(2025, 12, 30), "a Tuesday"),
    (D(2026, 11, 30), False, D(2026, 12, 30), "a Wednesday"),
    (D(2026, 12, 1), False, D(2027, 1, 4), "1 Jan Nieuwjaarsdag (Friday), weekend"),
    (
        D(2025, 3, 27),
        False,
        D(2025, 4, 28),
        "27 April 2025 is a Sunday; Koningsdag on the 26th (Saturday)",
    ),
    (D(2025, 3, 26), False, D(2025, 4, 28), "26 April 2025 Koningsdag on a Saturday, then Sunday"),
    (D(2026, 3, 27), False, D(2026, 4, 28), "27 April 2026 Koningsdag (Monday)"),
    (D(2026, 4, 5), False, D(2026, 5, 6), "5 May Bevrijdingsdag (Tuesday)"),
    (D(2026, 4, 25), False, D(2026, 5, 26), "25 May 2026 tweede pinksterdag (Monday)"),
    (
        D(2027, 2, 26),
        False,
        D(2027, 3, 30),
        "26 March 2027 Goede Vrijdag, weekend, 29 tweede paasdag",
    ),
    (D(2027, 4, 6), False, D(2027, 5, 7), "6 May 2027 Hemelvaartsdag"),
    (D(2027, 12, 24), False, D(2028, 1, 24), "a Monday"),
    (D(2028, 3, 14), False, D(2028, 4, 18), "14 April 2028 Goede Vrijdag, weekend, tweede paasdag"),
    (D(2029, 3, 2), False, D(2029, 4, 3), "2 April 2029 tweede paasdag"),
    (D(2029, 4, 10), False, D(2029, 5, 11), "10 May 2029 Hemelvaartsdag"),
    (D(2030, 4, 27), False, D(2030, 5, 27), "a Monday"),
    (D(2030, 5, 10), False, D(2030, 6, 11), "10 June 2030 tweede pinksterdag"),
    (D(2030, 11, 25), False, D(2030, 12, 27), "25 Dec 2030 Wednesday, 26 Thursday -> 27 Friday"),
    (D(2025, 9, 27), False, D(2025, 10, 27), "a Monday"),
    (D(2025, 10, 4), False, D(2025, 11, 4), "a Tuesday"),
    (D(2025, 12, 1), False, D(2026, 1, 2), "1 Jan 2026 Thursday -> 2 Jan Friday"),
    (D(2025, 7, 31), False, D(2025, 9, 1), "31 Aug 2025 Sunday -> Monday 1 Sep"),
    # Extended: three months from receipt.
    (D(2026, 8, 31), True, D(2026, 11, 30), "extended: 30 November 2026 is a Monday"),
    (D(2026, 2, 14), True, D(2026, 5, 15), "extended: 14 May 2026 Hemelvaartsdag"),
    (D(2026, 11, 30), True, D(2027, 3, 1), "extended: 28 Feb 2027 Sunday"),
    (D(2027, 11, 30), True, D(2028, 2, 29), "extended: leap year 2028, a Tuesday"),
    (D(2025, 9, 25), True, D(2025, 12, 29), "extended: Christmas 2025, then the weekend"),
    (D(2026, 1, 27), True, D(2026, 4, 28), "extended: 27 April 2026 Koningsdag"),
    (D(2028, 9, 30), True, D(2029, 1, 2), "extended: 30 Dec 2028 Saturday, Sunday, Nieuwjaarsdag"),
    (D(2029, 1, 31), True, D(2029, 4, 30), "extended: 30 April 2029 Monday"),
    (D(2030, 1, 31), True, D(2030, 4, 30), "extended: 30 April 2030 Tuesday"),
]


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("received", "extended", "expected", "why"), CASES, ids=[c[3] for c in CASES]
)
def test_the_deadline(received, extended, expected, why):
    assert rights_deadline(received, extended=extended) == expected


def test_paused_days_are_added_before_rolling_to_a_working_day():
    # 31 Aug + 1 month = 30 Sep; 3 days paused = 3 Oct 2026, a Saturday -> Monday 5 Oct.
    assert rights_deadline(D(2026, 8, 31), paused_days=3) == D(2026, 10, 5)


def test_an_extra_day_off_counts():
    assert rights_deadline(D(2026, 8, 31), extra_holidays={D(2026, 9, 30)}) == D(2026, 10, 1)


def test_an_extension_must_be_notified_within_the_first_month():
    assert extension_notice_deadline(D(2026, 1, 31)) == D(2026, 2, 28)
