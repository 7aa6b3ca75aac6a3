"""Stored lint findings: worked out again whenever something the rules read changes.

The rules (processing/lint.py) read an activity, its purposes, data, recipients and transfers,
its processors, the terms those point at and its retention rules. Every write to one of them
marks the activities it concerns; their findings are then worked out and stored. Signals,
not only the services, so that the admin, the vocabulary pages, the retention app and the
demo loader keep them right too. A use case that writes many rows (the edit page saves the
activity with all its formsets) defers the work to its end, so an activity is linted once.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from privacyregister.models import Board
from processing.lint import ERROR, Finding, activity_findings, lint_queryset
from processing.models import (
    ActivityDataCategory,
    ActivityFinding,
    ActivityRecipient,
    DataCategory,
    ProcessingActivity,
    Purpose,
    Recipient,
    Transfer,
)

BATCH = 500  # activities linted at a time when many change (a term used by all, a migration)

_pending: ContextVar[set[int] | None] = ContextVar("findings_pending", default=None)


def findings_refresh(activity_ids: Iterable[int]) -> None:
    """Work out and store the findings of these activities again."""
    ids = sorted(set(activity_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        activities = lint_queryset(ProcessingActivity.objects.filter(pk__in=batch))
        rows = [
            ActivityFinding(
                activity_id=activity.pk,
                position=position,
                severity=finding.severity,
                code=finding.code,
                anchor=finding.anchor,
                params=finding.params,
                applies_from=finding.applies_from,
                applies_until=finding.applies_until,
            )
            for activity in activities
            for position, finding in enumerate(activity_findings(activity))
        ]
        ActivityFinding.objects.filter(activity_id__in=batch).delete()
        ActivityFinding.objects.bulk_create(rows)


@contextmanager
def findings_deferred(*, refresh: bool = True) -> Iterator[None]:
    """Inside, writes only note which activities changed; their findings are worked out once
    at the end (not when it ends with an error: the transaction is then rolled back). With
    refresh=False they are not worked out at all: a restore brings its stored findings."""
    if _pending.get() is not None:  # within another use case: that one refreshes
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if refresh:
        findings_refresh(pending)


def _changed(activity_ids: Iterable[int]) -> None:
    pending = _pending.get()
    if pending is None:
        findings_refresh(activity_ids)
    else:
        pending.update(activity_ids)


def stored_findings(activities: QuerySet, today: date) -> list[Finding]:
    """The stored findings of these activities that hold today, as lint() gives them: by
    activity name, in the rules' order."""
    rows = (
        ActivityFinding.objects.filter(activity__in=activities)
        .applying_on(today)
        .select_related("activity")
        .order_by("activity__name", "activity_id", "position")
    )
    return [Finding(row.activity, row.severity, row.code, row.anchor, row.params) for row in rows]


def finding_counts(activities: QuerySet, today: date) -> dict[str, int]:
    """The number of errors and warnings that hold today, counted in the database."""
    return (
        ActivityFinding.objects.filter(activity__in=activities)
        .applying_on(today)
        .aggregate(
            errors=Count("pk", filter=Q(severity=ERROR)),
            warnings=Count("pk", filter=~Q(severity=ERROR)),
        )
    )


def with_finding_counts(activities: QuerySet, today: date) -> QuerySet:
    """Each activity with the number of its errors and warnings that hold today, for a badge
    per row: two counting subqueries in the list's own query, whatever the page size."""

    def counted(severity_filter: Q) -> Coalesce:
        rows = (
            ActivityFinding.objects.filter(severity_filter, activity=OuterRef("pk"))
            .applying_on(today)
            .values("activity")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return activities.annotate(
        error_count=counted(Q(severity=ERROR)), warning_count=counted(~Q(severity=ERROR))
    )


# What the rules read, and how to find the activities a change concerns.


def _activity_saved(sender, instance: ProcessingActivity, **kwargs) -> None:
    _changed([instance.pk])


def _with_its_activities(origin) -> bool:
    """Whether a delete started at an activity or a board: what goes with it leaves nothing to
    lint, and linting then would store findings for activities about to be deleted."""
    return getattr(origin, "model", type(origin)) in (ProcessingActivity, Board)


def _part_changed(sender, instance, origin=None, **kwargs) -> None:
    if not _with_its_activities(origin):
        _changed([instance.activity_id])


def _term_saved(sender, instance, **kwargs) -> None:
    if isinstance(instance, Recipient):
        _changed(_recipient_activities(instance))
    else:
        _changed(
            ActivityDataCategory.objects.filter(category=instance).values_list(
                "activity_id", flat=True
            )
        )


def _recipient_activities(recipient: Recipient) -> set[int]:
    return {
        *recipient.processed_activities.values_list("pk", flat=True),
        *recipient.activity_links.values_list("activity_id", flat=True),
    }


def _recipient_deleting(sender, instance: Recipient, origin=None, **kwargs) -> None:
    # Deleting a processor drops it from its activities without a signal of the link table.
    if not _with_its_activities(origin):
        instance._linted_activities = _recipient_activities(instance)


def _links_dropped(sender, instance: Recipient, **kwargs) -> None:
    _changed(getattr(instance, "_linted_activities", ()))


def _links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Processors or retention rules added to or removed from activities, from either side."""
    if isinstance(instance, ProcessingActivity):
        if action.startswith("post_"):
            _changed([instance.pk])
        return
    # From the other side: pk_set holds the activities, except for clear(), which gives none.
    if action == "pre_clear":
        links = ProcessingActivity.objects.filter(**{f"{_field_to(sender)}": instance}).values_list(
            "pk", flat=True
        )
        instance._linted_activities = set(links)
    elif action == "post_clear":
        _changed(getattr(instance, "_linted_activities", ()))
    elif action in ("post_add", "post_remove"):
        _changed(pk_set or ())


def _field_to(through) -> str:
    return next(
        name
        for name in ("processors", "retention_rules")
        if getattr(ProcessingActivity, name).through is through
    )


def _rule_deleting(sender, instance, origin=None, **kwargs) -> None:
    # Deleting a retention rule drops its links without a signal of the link table.
    if not _with_its_activities(origin):
        instance._linted_activities = set(instance.activities.values_list("pk", flat=True))


def connect() -> None:
    post_save.connect(_activity_saved, sender=ProcessingActivity)
    for part in (Purpose, ActivityDataCategory, ActivityRecipient, Transfer):
        post_save.connect(_part_changed, sender=part)
        post_delete.connect(_part_changed, sender=part)
    for term in (Recipient, DataCategory):
        post_save.connect(_term_saved, sender=term)
    pre_delete.connect(_recipient_deleting, sender=Recipient)
    post_delete.connect(_links_dropped, sender=Recipient)
    for name in ("processors", "retention_rules"):
        m2m_changed.connect(_links_changed, sender=getattr(ProcessingActivity, name).through)
    # Retention rules belong to the retention app, which builds on this one: reached through
    # the relation, not imported.
    rule = ProcessingActivity._meta.get_field("retention_rules").related_model
    pre_delete.connect(_rule_deleting, sender=rule)
    post_delete.connect(_links_dropped, sender=rule)
