"""Finding one breach for a board page: another board's breach is not found (404), a breach
the user may not reach with the capability is refused (403)."""

from django.shortcuts import get_object_or_404

from breaches.models import Breach
from privacyregister.access import BoardAccess, BoardRequest
from privacyregister.permissions import Capability


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
        # The schools are read once here: every check of the page asks for them (breach_reach).
        request.board.breaches.select_related(
            "school", "handler", "reporting_processor"
        ).prefetch_related("schools"),
        pk=pk,
    )
    request.access.require(capability, **breach_reach(breach))
    return breach


def follows_up(access: BoardAccess, breach: Breach) -> bool:
    """Who handles the breach or advises on it: they read who reported it and how to reach them,
    and the drafts of the notifications. A school leader who looks on does not: a parent may
    have reported about the school itself, and a teacher about their head."""
    reach = breach_reach(breach)
    return access.can(Capability.HANDLE_BREACHES, **reach) or access.can(
        Capability.ADVISE_BREACHES, **reach
    )
