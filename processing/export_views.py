"""The FG's export of the register (art. 30 AVG)."""

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from privacyregister.access import BoardRequest, board_view
from privacyregister.errors import NotFound
from privacyregister.permissions import Capability, Scope
from processing import export_jobs
from processing.forms import ExportFilterForm
from processing.models import RegisterExport

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",  # a CSV file per sheet
}
EXTENSIONS = {"pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}


def _form(request: BoardRequest, data: QueryDict | None = None) -> ExportFilterForm:
    """The filters; a schoolleider's export is always limited to the own school."""
    scope = request.access.scope(Capability.EXPORT_REGISTER)
    school_ids = (
        request.access.school_ids(Capability.EXPORT_REGISTER) if scope == Scope.SCHOOL else None
    )
    return ExportFilterForm(data, board=request.board, school_ids=school_ids)


def _page(request: BoardRequest, form: ExportFilterForm, status: int = 200) -> HttpResponse:
    exports = list(request.board.exports.select_related("exported_by").defer("content")[:50])
    # The list refreshes itself only while a file of this user is on its way.
    polling = any(
        export.exported_by_id == request.user.pk
        and export.status == RegisterExport.Status.PENDING
        and not export.interrupted
        for export in exports
    )
    context = {"form": form, "exports": exports, "polling": polling}
    if request.htmx:
        return render(request, "processing/includes/export_list.html", context, status=status)
    return render(request, "processing/export.html", context, status=status)


def _file(export: RegisterExport, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[export.format])
    stamp = timezone.localtime(export.exported_at).strftime("%Y%m%d-%H%M")
    name = f"register-{export.board.slug}-{stamp}.{EXTENSIONS[export.format]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@vary_on_headers("HX-Request")  # the same address answers htmx with the list alone
@board_view(Capability.EXPORT_REGISTER)
def export_page(request: BoardRequest) -> HttpResponse:
    return _page(request, _form(request))


# A POST: asking for an export writes its record (and the audit event), so a link or a
# prefetching browser must not do it.
@require_POST
@board_view(Capability.EXPORT_REGISTER)
def export_download(request: BoardRequest, format: str) -> HttpResponse:
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    export = export_jobs.export_start(
        actor=request.user, board=request.board, format=format, form=form
    )
    export_jobs.export_enqueue(export)
    messages.info(
        request,
        _("Het bestand wordt gemaakt. Zodra het klaar is, kunt u het hieronder downloaden."),
    )
    return redirect("export", board=request.board.slug)


@require_POST
@board_view(Capability.EXPORT_REGISTER)
def export_retry(request: BoardRequest, pk: int) -> HttpResponse:
    # Like the file, only the person who made an export asks for it again.
    export = get_object_or_404(request.board.exports, pk=pk, exported_by=request.user)
    if export.can_retry:
        export_jobs.export_retry(export=export)
        messages.info(request, _("Het bestand wordt opnieuw gemaakt."))
    elif export.status == RegisterExport.Status.PENDING:
        messages.info(request, _("Dit bestand wordt al gemaakt."))
    return redirect("export", board=request.board.slug)


@board_view(Capability.EXPORT_REGISTER)
def export_file(request: BoardRequest, pk: int) -> HttpResponse:
    # Only the person who made an export downloads it: it holds what their filters allowed.
    export = get_object_or_404(request.board.exports, pk=pk, exported_by=request.user)
    if export.status != RegisterExport.Status.READY or export.content is None:
        raise NotFound(_("Dit bestand is (nog) niet klaar."))
    return _file(export, bytes(export.content))
