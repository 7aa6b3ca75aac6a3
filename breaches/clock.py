"""The 72-hour clock of art. 33(1) AVG.

The term runs in clock hours from the moment the board became aware of the breach. Weekends and
public holidays count: the rule of Regulation 1182/71 that moves a term ending on a Saturday,
Sunday or holiday applies to terms in days, weeks and months, not to terms in hours
(../shared/LEGAL.md §7). So the deadline is the moment of awareness plus 72 real hours.

The one trap is summer time. Python adds a timedelta to a datetime in its own time zone as
wall-clock time: 12:00 on the Saturday before the clocks go forward, plus 72 hours, would give
12:00 on Tuesday, which is only 71 real hours later. The sum is therefore made in UTC and only the
result is shown in Europe/Amsterdam.
"""

import datetime
import zoneinfo

NOTIFY_WITHIN = datetime.timedelta(hours=72)
# The reminders, in hours after awareness, while no decision on notifying is recorded.
REMINDER_HOURS = (24, 48)
DUTCH_TIME = zoneinfo.ZoneInfo("Europe/Amsterdam")


def notification_deadline(aware_at: datetime.datetime) -> datetime.datetime:
    """The last moment to notify the Autoriteit Persoonsgegevens, in Dutch time."""
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must carry its time zone")
    utc = aware_at.astimezone(datetime.UTC)
    return (utc + NOTIFY_WITHIN).astimezone(DUTCH_TIME)


def hours_left(deadline: datetime.datetime, now: datetime.datetime) -> int:
    """Whole hours until the deadline, rounded down; negative once it has passed (-1 in the
    first hour after it). Subtracted in UTC, for the same reason as above."""
    remaining = deadline.astimezone(datetime.UTC) - now.astimezone(datetime.UTC)
    return int(remaining // datetime.timedelta(hours=1))


def reminder_moments(aware_at: datetime.datetime) -> list[datetime.datetime]:
    """When to remind the privacy officer while no decision is recorded: after 24 and 48 hours,
    and at the deadline itself."""
    utc = aware_at.astimezone(datetime.UTC)
    moments = [utc + datetime.timedelta(hours=hours) for hours in REMINDER_HOURS]
    return [moment.astimezone(DUTCH_TIME) for moment in [*moments, utc + NOTIFY_WITHIN]]
