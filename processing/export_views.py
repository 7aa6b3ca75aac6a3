"""The FG's export of the register (art. 30 AVG)."""

import threading

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from privacyregister.access import board_view
from privacyregister.errors import NotFound
from privacyregister.permissions import Capability, Scope
from processing.exports import (
    ExportFilterForm,
    build_in_background,
    export_build,
    export_start,
    runs_in_background,
)
from processing.models import RegisterExport

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _form(request: HttpRequest, *, bound: bool) -> ExportFilterForm:
    """The filters; a schoolleider's export is always limited to the own school."""
    scope = request.access.scope(Capability.EXPORT_REGISTER)
    school_ids = (
        request.access.school_ids(Capability.EXPORT_REGISTER) if scope == Scope.SCHOOL else None
    )
    data = request.GET if bound or request.GET else None
    return ExportFilterForm(data, board=request.board, school_ids=school_ids)


def _page(request: HttpRequest, form: ExportFilterForm, status: int = 200) -> HttpResponse:
    exports = request.board.exports.select_related("exported_by").defer("content")[:50]
    return render(
        request, "processing/export.html", {"form": form, "exports": exports}, status=status
    )


def _file(export: RegisterExport) -> HttpResponse:
    response = HttpResponse(bytes(export.content), content_type=CONTENT_TYPES[export.format])
    stamp = timezone.localtime(export.exported_at).strftime("%Y%m%d-%H%M")
    name = f"register-{export.board.slug}-{stamp}.{export.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@board_view(Capability.EXPORT_REGISTER)
def export_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _form(request, bound=False))


@board_view(Capability.EXPORT_REGISTER)
def export_download(request: HttpRequest, format: str) -> HttpResponse:
    form = _form(request, bound=True)
    if not form.is_valid():
        return _page(request, form, status=400)
    export = export_start(actor=request.user, board=request.board, format=format, form=form)
    if runs_in_background(export):
        transaction.on_commit(
            lambda: threading.Thread(
                target=build_in_background, args=[export.pk], daemon=True
            ).start()
        )
        messages.info(
            request,
            _(
                "De PDF van %(count)s verwerkingen wordt gemaakt. Ververs deze pagina over een "
                "minuut en download hem hieronder."
            )
            % {"count": export.activity_count},
        )
        return redirect("export", board=request.board.slug)
    return _file(export_build(export))


@board_view(Capability.EXPORT_REGISTER)
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the person who made an export downloads it: it holds what their filters allowed.
    export = get_object_or_404(request.board.exports, pk=pk, exported_by=request.user)
    if export.status != RegisterExport.Status.READY:
        raise NotFound(_("Dit bestand is (nog) niet klaar."))
    return _file(export)
