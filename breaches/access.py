"""Finding one breach for a board page: another board's breach is not found (404), a breach
the user may not reach with the capability is refused (403)."""

from django.shortcuts import get_object_or_404

from breaches.models import Breach
from privacyregister.access import BoardRequest


def breach_reach(breach: Breach) -> dict:
    """The schools a breach concerns, for BoardAccess.can: the school the reporter named and the
    schools linked in the assessment. A breach of no school is the board's own: only board-wide
    roles reach it."""
    schools = {school.pk for school in breach.schools.all()}
    if breach.school_id:
        schools.add(breach.school_id)
    return {"schools": schools}


def breach_for(request: BoardRequest, pk: int, capability: str) -> Breach:
    breach = get_object_or_404(
        request.board.breaches.select_related("school", "handler", "reporting_processor"), pk=pk
    )
    request.access.require(capability, **breach_reach(breach))
    return breach
