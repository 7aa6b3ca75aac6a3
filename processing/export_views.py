"""The FG's export of the register (art. 30 AVG)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from privacyregister.access import board_view
from privacyregister.permissions import Capability, Scope
from processing.exports import (
    ExportFilterForm,
    change_log,
    export_activities,
    export_csv,
    export_pdf,
    export_xlsx,
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


@board_view(Capability.EXPORT_REGISTER)
def export_page(request: HttpRequest) -> HttpResponse:
    exports = request.board.exports.select_related("exported_by")[:50]
    return render(
        request, "processing/export.html", {"form": _form(request, bound=False), "exports": exports}
    )


@board_view(Capability.EXPORT_REGISTER)
def export_download(request: HttpRequest, format: str) -> HttpResponse:
    form = _form(request, bound=True)
    if not form.is_valid():
        exports = request.board.exports.select_related("exported_by")[:50]
        return render(
            request, "processing/export.html", {"form": form, "exports": exports}, status=400
        )
    board, cleaned = request.board, form.cleaned_data
    activities = list(export_activities(board, cleaned))
    if format == "csv":
        content = export_csv(activities)
    else:
        log = change_log(activities, cleaned.get("start"), cleaned.get("end"))
        if format == "xlsx":
            content = export_xlsx(board, activities, log)
        else:
            content = export_pdf(
                board=board,
                activities=activities,
                log=log,
                filters=form.description(),
                exported_by=request.user,
            )
    RegisterExport.objects.create(
        board=board,
        exported_by=request.user,
        format=format,
        filters=dict(form.description()),
        activity_count=len(activities),
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[format])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="register-{board.slug}-{stamp}.{format}"'
    )
    return response
