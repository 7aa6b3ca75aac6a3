"""Use cases for retention rules."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from privacyregister.dates import LONGEST_PERIOD, PeriodUnit, add_months
from privacyregister.models import Board, School
from privacyregister.reference import read_fixture
from retention.models import RetentionException, RetentionReminder, RetentionRule


@transaction.atomic
def retention_rule_create(*, board: Board, data: dict) -> RetentionRule:
    """Create a rule from fixture data; the subject group is named, exceptions are nested."""
    fields = dict(data)
    exceptions = fields.pop("exceptions", [])
    group_name = fields.pop("subject_group", None)
    rule = RetentionRule(board=board, **fields)
    if group_name:
        # A default brings its subject group along when the board does not have it yet.
        rule.subject_group, _created = board.subject_groups.get_or_create(name=group_name)
    rule.full_clean()
    rule.save()
    for exception_data in exceptions:
        exception = RetentionException(rule=rule, **exception_data)
        exception.full_clean()
        exception.save()
    return rule


def retention_rules_add_missing(*, board: Board, rules: list[dict]) -> int:
    existing = set(board.retention_rules.values_list("name", flat=True))
    missing = [rule for rule in rules if rule["name"] not in existing]
    for data in missing:
        retention_rule_create(board=board, data=data)
    return len(missing)


def missing_defaults(board: Board) -> list[dict]:
    """Reference rules the board has not adopted (matched by reference key)."""
    adopted = set(
        board.retention_rules.exclude(reference_key="").values_list("reference_key", flat=True)
    )
    return [
        rule
        for rule in read_fixture("reference/retention_rules.json")
        if rule["reference_key"] not in adopted
    ]


def retention_rule_adopt(*, board: Board, reference_key: str) -> RetentionRule:
    [default] = [rule for rule in missing_defaults(board) if rule["reference_key"] == reference_key]
    return retention_rule_create(board=board, data=default)


def board_install_default_retention_rules(*, board: Board) -> int:
    return retention_rules_add_missing(
        board=board, rules=read_fixture("reference/retention_rules.json")
    )


def install_for_new_board(*, board: Board, **kwargs: object) -> dict[str, int]:
    """Receiver of privacyregister.signals.board_created (connected in apps.py)."""
    return {_("bewaartermijnen"): board_install_default_retention_rules(board=board)}


def schedule(board: Board, school: School | None = None):
    """The board's rules, or the rules of the activities that apply to one school."""
    rules = board.retention_rules.select_related("subject_group").prefetch_related(
        "exceptions", "data_categories"
    )
    if school is not None:
        activities = board.activities.for_schools([school.pk])
        rules = rules.filter(activities__in=activities).distinct()
    return rules.order_by("subject_group__name", "name")


# Start events that happen on a fixed day of the year for most people: pupils leave at the end
# of the school year, the books close at the end of the calendar year, exam results in July.
# Other events (a recording, the end of a contract) happen any day: they are a standing duty.
CALENDAR_EVENTS: dict[str, tuple[int, int]] = {
    RetentionRule.StartEvent.END_OF_SCHOOL_YEAR: (7, 31),
    RetentionRule.StartEvent.END_OF_ENROLMENT: (7, 31),
    RetentionRule.StartEvent.END_OF_FINANCIAL_YEAR: (12, 31),
    RetentionRule.StartEvent.EXAM_RESULT: (7, 15),
}


@dataclass(frozen=True)
class Duty:
    """Destroy by `due_on` what the rule keeps from a start event on `start`."""

    rule: RetentionRule
    start: datetime.date
    due_on: datetime.date


@dataclass(frozen=True)
class StandingDuty:
    """A rule whose start event is not on the calendar: due continuously."""

    rule: RetentionRule


def calculate(rules, start: datetime.date) -> list[tuple]:
    """Per rule: archive from and destroy by, for a start event on `start`; both None for a rule
    whose stored period is invalid, so that one such rule does not break the whole board."""
    return [
        (rule, rule.archive_from(start), rule.destroy_by(start))
        if rule.period_is_valid
        else (rule, None, None)
        for rule in rules
    ]


def duties(
    rules: Iterable[RetentionRule], first: datetime.date, last: datetime.date
) -> tuple[list[Duty], list[StandingDuty]]:
    """What falls due between first and last (inclusive), and the standing duties. A rule whose
    stored period is invalid is left out (the calendar names it)."""
    due: list[Duty] = []
    standing: list[StandingDuty] = []
    for rule in rules:
        if not rule.period_is_valid:
            continue
        if rule.start_event not in CALENDAR_EVENTS:
            standing.append(StandingDuty(rule))
            continue
        month, day = CALENDAR_EVENTS[rule.start_event]
        # A period is at most a hundred years, so older start events cannot fall due now.
        for year in range(first.year - LONGEST_PERIOD[PeriodUnit.YEARS], last.year + 1):
            start = datetime.date(year, month, day)
            due_on = rule.destroy_by(start)
            if first <= due_on <= last:
                due.append(Duty(rule, start, due_on))
    return sorted(due, key=lambda d: (d.due_on, d.rule.name)), standing


def school_year(label: str) -> tuple[datetime.date, datetime.date]:
    """'2025-2026' -> 1 August 2025 to 31 July 2026."""
    first_year = int(label.split("-")[0])
    return datetime.date(first_year, 8, 1), datetime.date(first_year + 1, 7, 31)


def month_range(label: str) -> tuple[datetime.date, datetime.date]:
    """'2026-07' -> the first and last day of July 2026."""
    year, month = (int(part) for part in label.split("-"))
    first = datetime.date(year, month, 1)
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def send_retention_reminders(today: datetime.date, days_ahead: int = 30) -> int:
    """E-mail each school the destruction duties due in the coming days, each duty once."""
    sent = 0
    last = today + datetime.timedelta(days=days_ahead)
    for school in School.objects.select_related("board").order_by("board__name", "name"):
        recipient = school.director_email or school.board.privacy_email
        due, _standing = duties(schedule(school.board, school), today, last)
        already = set(
            RetentionReminder.objects.filter(
                school=school, due_on__range=(today, last)
            ).values_list("rule_id", "due_on")
        )
        new = [d for d in due if (d.rule.pk, d.due_on) not in already]
        if not new:
            continue
        context = {"school": school, "duties": new, "site_url": settings.SITE_URL}
        send_mail(
            subject=_("Te vernietigen gegevens voor %(school)s") % {"school": school.name},
            message=render_to_string("retention/reminder_email.txt", context),
            from_email=None,
            recipient_list=[recipient],
        )
        RetentionReminder.objects.bulk_create(
            RetentionReminder(school=school, rule=d.rule, due_on=d.due_on) for d in new
        )
        sent += 1
    return sent
