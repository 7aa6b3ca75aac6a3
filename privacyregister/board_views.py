"""Creating a board: for an installation operator, outside any board (roles.CREATE_BOARDS)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from privacyregister import services
from privacyregister.access import AuthenticatedHttpRequest
from privacyregister.forms import BoardCreateForm
from privacyregister.models import Board
from privacyregister.roles import CREATE_BOARDS

# What the last board_create did, for the page after it: kept in the operator's own session, so
# the page shows only a board this operator just created.
CREATED = "board_created"


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(CREATE_BOARDS, raise_exception=True)
def board_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BoardCreateForm(request.POST or None)
    if form.is_valid():
        try:
            created = services.board_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[CREATED] = {
                "board": created.board.pk,
                "installed": created.installed,
                "email": created.invitation.email,
            }
            return redirect("board_created", slug=created.board.slug)
    return render(request, "privacyregister/board_create.html", {"form": form})


@login_required
@permission_required(CREATE_BOARDS, raise_exception=True)
def board_created(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    summary = request.session.get(CREATED)
    if summary is None:
        raise Http404
    board = get_object_or_404(Board, pk=summary["board"], slug=slug)
    return render(
        request,
        "privacyregister/board_created.html",
        {"board": board, "installed": summary["installed"], "email": summary["email"]},
    )
