"""Importing the register's own spreadsheet: upload, preview, commit (register_import.py)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from privacyregister.access import BoardRequest, board_view
from privacyregister.permissions import Capability
from processing import register_import, register_xlsx
from processing.export_views import CONTENT_TYPES
from processing.forms import RegisterImportCommitForm, RegisterImportForm
from processing.models import RegisterImport


def _import(request: BoardRequest, pk: int) -> RegisterImport:
    # Like an export, an upload is seen and committed only by the person who made it: the
    # commit is theirs in the history and the audit log.
    return get_object_or_404(
        request.board.imports.defer("content"), pk=pk, uploaded_by=request.user
    )


def _page(request: BoardRequest, form: RegisterImportForm, status: int = 200) -> HttpResponse:
    imports = request.board.imports.filter(uploaded_by=request.user).defer("content")[:20]
    return render(
        request, "processing/import.html", {"form": form, "imports": imports}, status=status
    )


@board_view(Capability.IMPORT_REGISTER)
def import_page(request: BoardRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, RegisterImportForm())
    form = RegisterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    record = register_import.import_start(
        actor=request.user, board=request.board, upload=form.cleaned_data["file"]
    )
    return redirect("register_import_detail", board=request.board.slug, pk=record.pk)


def _detail(
    request: BoardRequest, record: RegisterImport, form: RegisterImportCommitForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "processing/import_detail.html", {"record": record, "form": form}, status=status
    )


@board_view(Capability.IMPORT_REGISTER)
def import_detail(request: BoardRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    form = RegisterImportCommitForm(new_terms=bool(record.preview.get("new_terms")))
    return _detail(request, record, form)


@require_POST
@board_view(Capability.IMPORT_REGISTER)
def import_commit(request: BoardRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    if not record.can_commit:
        messages.info(request, _("Dit bestand kan niet (meer) worden doorgevoerd."))
        return redirect("register_import_detail", board=request.board.slug, pk=pk)
    form = RegisterImportCommitForm(request.POST, new_terms=bool(record.preview.get("new_terms")))
    if not form.is_valid():
        return _detail(request, record, form, status=400)
    register_import.import_confirm(
        record=record, create_terms=form.cleaned_data.get("create_terms", False)
    )
    return redirect("register_import_detail", board=request.board.slug, pk=pk)


@require_POST
@board_view(Capability.IMPORT_REGISTER)
def import_retry(request: BoardRequest, pk: int) -> HttpResponse:
    record = _import(request, pk)
    if not register_import.import_retry(record=record):
        messages.info(request, _("Deze import loopt nog of is al klaar."))
    return redirect("register_import_detail", board=request.board.slug, pk=pk)


@board_view(Capability.IMPORT_REGISTER)
def import_template(request: BoardRequest) -> HttpResponse:
    """The empty register to fill in: every sheet the import reads, after one that explains
    each column."""
    response = HttpResponse(register_xlsx.register_template(), content_type=CONTENT_TYPES["xlsx"])
    name = f"register-sjabloon-{request.board.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
