"""Anonymising closed breaches after the board's period (Board.breach_anonymise_after_years).

What art. 33(5) asks to document stays: the dates, the counts, the categories of data and
people, the answers of the decision aid, the AP's reference and the activities, processors and
schools linked. What can name someone goes: the reporter, and every free text, which is where
names of pupils, parents and staff end up. The versions simple-history kept are scrubbed the same
way; otherwise the old values would still be in the database, one click away in the history.
"""

import datetime

from django.db import transaction

from breaches.models import Breach, BreachEvent, BreachMeasure
from privacyregister.models import Board

ANONYMOUS = "(geanonimiseerd)"
# Free texts that may hold names; a blank one stays blank, so the record still shows what was
# never written.
FREE_TEXTS = (
    "what_happened",
    "nature",
    "consequences",
    "measures_taken",
    "measures_proposed",
    "decision_motivation",
    "fg_advice",
    "ap_late_reason",
    "subjects_not_informed_reason",
)
REPORTER = {"reporter_name": "", "reporter_email": "", "reporter_phone": "", "reported_by": None}


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year - years, day=28)


def _scrub(queryset, pks: list[int], key: str) -> None:
    """Replace the free texts of these rows, each only where it is not blank."""
    rows = queryset.filter(**{f"{key}__in": pks})
    rows.update(**REPORTER)
    for name in FREE_TEXTS:
        rows.exclude(**{name: ""}).update(**{name: ANONYMOUS})


@transaction.atomic
def anonymise_closed_breaches(now: datetime.datetime) -> dict[str, int]:
    """Anonymise the closed breaches of every board older than its period; returns the counts
    per board (by name), boards with none left out."""
    report = {}
    for board in Board.objects.order_by("name"):
        cutoff = _years_before(now, board.breach_anonymise_after_years)
        pks = list(
            board.breaches.filter(
                status=Breach.Status.CLOSED, closed_at__lt=cutoff, anonymised_at=None
            ).values_list("pk", flat=True)
        )
        if not pks:
            continue
        # Bulk updates on purpose: they write no new history version holding the old texts.
        _scrub(Breach.objects.all(), pks, "pk")
        Breach.objects.filter(pk__in=pks).update(anonymised_at=now)
        history = Breach.history.model.objects.filter(id__in=pks)
        _scrub(history, pks, "id")
        # The first version was saved by whoever reported it.
        history.filter(history_type="+").update(history_user=None)
        for measures in (
            BreachMeasure.objects.filter(breach__in=pks),
            BreachMeasure.history.model.objects.filter(breach_id__in=pks),
        ):
            measures.update(description=ANONYMOUS, owner=None)
        _anonymise_timeline(pks)
        report[board.name] = len(pks)
    return report


def _anonymise_timeline(pks: list[int]) -> None:
    """The timeline keeps its steps and moments; a description can name people (who took it on,
    who got a reminder), so each becomes the name of its step. The reporter is not kept."""
    events = BreachEvent.objects.filter(breach__in=pks)
    events.filter(kind=BreachEvent.Kind.REPORTED).update(actor=None)
    for kind, label in BreachEvent.Kind.choices:
        events.filter(kind=kind).update(description=str(label)[:300])
