"""Anonymising closed breaches after the board's period (Board.breach_anonymise_after_years).

What art. 33(5) asks to document stays: the facts, the effects and the remedial action (nature,
consequences, the measures taken and proposed, each measure's description), the reasoning for
notifying or not (the motivation, the FG's advice, the reasons for a late notification or for
not informing the people concerned), the dates, the counts, the categories, the answers of the
decision aid, the AP's reference and the activities, processors and schools linked. What goes is
who reported and what they wrote in their own words: their name, e-mail address and telephone
number, the user who reported, the report's text, the owners of the measures, the actor of the
report on the timeline and the public reporter's IP address in the security log. The versions
simple-history kept are scrubbed the same way; otherwise the old values would still be in the
database, one click away in the history.
"""

import datetime

from django.db import transaction

from breaches.models import Breach, BreachEvent, BreachMeasure
from privacyregister.dates import add_months
from privacyregister.models import Board, SecurityEvent

ANONYMOUS = "(geanonimiseerd)"
# The reporter's own words may name them and others; a blank one stays blank, so the record
# still shows what was never written. The other free texts are the art. 33(5) record itself.
FREE_TEXTS = ("what_happened",)
REPORTER = {"reporter_name": "", "reporter_email": "", "reporter_phone": "", "reported_by": None}


def _scrub(queryset, pks: list[int], key: str) -> None:
    """Drop the reporter and their own words from these rows, a text only where it is not
    blank."""
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
        # Years counted as months are (29 February goes back to 28 February).
        before = add_months(now.date(), -12 * board.breach_anonymise_after_years)
        cutoff = datetime.datetime.combine(before, now.timetz())
        breaches = list(
            board.breaches.filter(
                status=Breach.Status.CLOSED, closed_at__lt=cutoff, anonymised_at=None
            )
        )
        if not breaches:
            continue
        pks = [breach.pk for breach in breaches]
        # Bulk updates on purpose: they write no new history version holding the old values.
        _scrub(Breach.objects.all(), pks, "pk")
        Breach.objects.filter(pk__in=pks).update(anonymised_at=now)
        history = Breach.history.model.objects.filter(id__in=pks)
        _scrub(history, pks, "id")
        # The first version was saved by whoever reported it.
        history.filter(history_type="+").update(history_user=None)
        # The description is the remedial action of art. 33(5) and stays; the owner goes.
        for measures in (
            BreachMeasure.objects.filter(breach__in=pks),
            BreachMeasure.history.model.objects.filter(breach_id__in=pks),
        ):
            measures.update(owner=None)
        _anonymise_timeline(pks)
        # The security log keeps the steps; the IP address of a report from the website is
        # the public reporter's.
        SecurityEvent.objects.filter(
            board=board,
            action__startswith="breaches.",
            detail__breach__in=[breach.reference for breach in breaches],
        ).update(ip_address=None)
        report[board.name] = len(pks)
    return report


def _anonymise_timeline(pks: list[int]) -> None:
    """The timeline keeps its steps and moments; a description can name people (who took it on,
    who got a reminder), so each becomes the name of its step. The reporter is not kept."""
    events = BreachEvent.objects.filter(breach__in=pks)
    events.filter(kind=BreachEvent.Kind.REPORTED).update(actor=None)
    for kind, label in BreachEvent.Kind.choices:
        events.filter(kind=kind).update(description=str(label)[:300])
