"""The 72-hour clock of art. 33(1) AVG runs in clock hours: weekends and public holidays count,
and the change to and from summer time changes the hour on the wall, not the hours that pass."""

import datetime

import pytest

from breaches.clock import DUTCH_TIME, hours_left, notification_deadline, reminder_moments


def dutch(*args: int) -> datetime.datetime:
    return datetime.datetime(*args).replace(tzinfo=DUTCH_TIME)  # type: ignore[misc, arg-type]


@pytest.mark.parametrize(
    ("aware", "deadline"),
    [
        # Friday afternoon: the weekend counts, the deadline is Monday afternoon.
        (dutch(2026, 11, 20, 16, 30), dutch(2026, 11, 23, 16, 30)),
        # Thursday before Easter: Goede Vrijdag, Eerste Paasdag and Tweede Paasdag count.
        (dutch(2026, 4, 2, 9, 0), dutch(2026, 4, 5, 9, 0)),
        # Christmas Eve: both Christmas days count.
        (dutch(2026, 12, 24, 23, 59), dutch(2026, 12, 27, 23, 59)),
        # Koningsdag (Monday 27 April 2026) counts.
        (dutch(2026, 4, 25, 12, 0), dutch(2026, 4, 28, 12, 0)),
        # Summer time starts on Sunday 29 March 2026 at 02:00: 72 hours after Saturday noon is
        # Tuesday 13:00 on the wall.
        (dutch(2026, 3, 28, 12, 0), dutch(2026, 3, 31, 13, 0)),
        # Summer time ends on Sunday 25 October 2026 at 03:00: 72 hours after Saturday noon is
        # Tuesday 11:00 on the wall.
        (dutch(2026, 10, 24, 12, 0), dutch(2026, 10, 27, 11, 0)),
    ],
)
def test_the_deadline_is_72_clock_hours_after_the_board_became_aware(aware, deadline):
    result = notification_deadline(aware)
    assert result == deadline
    assert (result.hour, result.minute) == (deadline.hour, deadline.minute)
    # Subtracted in UTC: Python subtracts two times of one zone as wall-clock times.
    elapsed = result.astimezone(datetime.UTC) - aware.astimezone(datetime.UTC)
    assert elapsed == datetime.timedelta(hours=72)
    assert result.tzinfo == DUTCH_TIME


def test_an_aware_moment_given_in_utc_gives_the_same_deadline_in_dutch_time():
    utc = datetime.datetime(2026, 3, 28, 11, 0, tzinfo=datetime.UTC)  # 12:00 in Amsterdam
    assert notification_deadline(utc) == dutch(2026, 3, 31, 13, 0)


def test_a_moment_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        notification_deadline(datetime.datetime(2026, 3, 28, 12, 0))


@pytest.mark.parametrize(
    ("now", "left"),
    [
        (dutch(2026, 3, 28, 12, 0), 72),
        # Sunday noon in summer time is 23 real hours after Saturday noon.
        (dutch(2026, 3, 29, 12, 0), 49),
        (dutch(2026, 3, 31, 12, 30), 0),
        (dutch(2026, 3, 31, 13, 0), 0),
        (dutch(2026, 3, 31, 13, 0, 1), -1),
        (dutch(2026, 4, 1, 13, 0), -24),
    ],
)
def test_the_hours_left_count_down_in_whole_clock_hours_and_go_negative_when_missed(now, left):
    assert hours_left(notification_deadline(dutch(2026, 3, 28, 12, 0)), now) == left


def test_the_reminders_fall_at_24_and_48_hours_and_at_the_deadline_across_the_clock_change():
    assert reminder_moments(dutch(2026, 10, 24, 12, 0)) == [
        dutch(2026, 10, 25, 11, 0),
        dutch(2026, 10, 26, 11, 0),
        dutch(2026, 10, 27, 11, 0),
    ]
