"""The sector catalogue page: adopt standard activities, and see what changed in the catalogue
for activities adopted from it."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from privacyregister.access import BoardRequest, board_view
from privacyregister.permissions import Capability
from processing.catalogue import (
    catalogue,
    catalogue_adopt,
    catalogue_mark_seen,
    catalogue_update,
    entry_preview,
)
from processing.views import _activity


def _page(request: BoardRequest, status: int = 200) -> HttpResponse:
    adopted = {
        activity.catalogue_key: activity
        for activity in request.board.activities.exclude(catalogue_key="")
    }
    updates = [update for update in map(catalogue_update, adopted.values()) if update is not None]
    themes = [
        (
            theme,
            [
                {
                    "entry": entry,
                    "adopted": adopted.get(entry.key),
                    "preview": entry_preview(entry),
                }
                for entry in entries
            ],
        )
        for theme, entries in catalogue().by_theme()
    ]
    return render(
        request,
        "processing/catalogue.html",
        {
            "themes": themes,
            "updates": updates,
            "chosen": set(request.POST.getlist("entries")),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def catalogue_page(request: BoardRequest) -> HttpResponse:
    # Adopted activities hold for every school: the right to make a board-wide activity.
    request.access.require(Capability.EDIT_ACTIVITY, whole_board=True)
    if request.method == "GET":
        return _page(request)
    try:
        adopted = catalogue_adopt(
            actor=request.user, board=request.board, keys=request.POST.getlist("entries")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)d verwerking overgenomen als concept; controleer hem en stel hem vast.",
            "%(count)d verwerkingen overgenomen als concept; controleer ze en stel ze vast.",
            len(adopted),
        )
        % {"count": len(adopted)},
    )
    return redirect("activity_list", board=request.board.slug)


@require_POST
@board_view(Capability.EDIT_ACTIVITY, per_object=True)
def catalogue_seen(request: BoardRequest, pk: int) -> HttpResponse:
    """ "Gezien": the board has read what changed in the catalogue entry."""
    activity = _activity(request, pk, Capability.EDIT_ACTIVITY)
    try:
        version = int(request.POST["catalogue_version"])
    except (KeyError, ValueError) as error:
        raise BadRequest("catalogue_version") from error
    try:
        catalogue_mark_seen(actor=request.user, activity=activity, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Gezien: %(name)s volgt nu versie %(version)d van de catalogus.")
            % {"name": activity.name, "version": version},
        )
    if request.POST.get("back") == "catalogus":
        return redirect("catalogue", board=request.board.slug)
    return redirect("activity_detail", board=request.board.slug, pk=activity.pk)
