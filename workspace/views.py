"""The pages that show more than one app: the personal dashboard and a board's home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from privacyregister.access import AuthenticatedHttpRequest, BoardRequest, board_view
from privacyregister.models import Invitation
from privacyregister.permissions import Capability
from workspace.summary import board_summaries


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My boards, and in each what waits for me in my role (workspace/summary.py)."""
    invitations = Invitation.objects.for_user(request.user).select_related(
        "board", "school", "invited_by"
    )
    return render(
        request,
        "workspace/dashboard.html",
        {"summaries": board_summaries(request.user), "invitations": invitations},
    )


@board_view(Capability.VIEW_APPROVED_REGISTER)
def board_home(request: BoardRequest) -> HttpResponse:
    return redirect("activity_list", board=request.board.slug)
