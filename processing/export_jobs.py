"""The life of a register export: recorded when asked for, made by a task queue
(settings.TASKS) rather than in the web process, kept with its record.

A job waits in the queue until a worker takes it, also across restarts, and one whose worker died
is shown as interrupted (RegisterExport.interrupted) and can be queued again."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from privacyregister import audit
from privacyregister.access import BoardAccess
from privacyregister.models import Board
from processing import register_xlsx
from processing.forms import ExportFilterForm
from processing.history import register_changes
from processing.models import RegisterExport
from processing.register_appendices import register_appendices
from processing.register_entries import export_activities, register_entries
from processing.register_pdf import register_pdf

logger = logging.getLogger(__name__)


def _filters_as_data(cleaned: dict) -> dict:
    return {
        "school": cleaned["school"].pk if cleaned.get("school") else None,
        "status": cleaned.get("status") or "",
        "start": cleaned["start"].isoformat() if cleaned.get("start") else None,
        "end": cleaned["end"].isoformat() if cleaned.get("end") else None,
    }


def _filters_from_data(board: Board, data: dict) -> dict:
    return {
        "school": board.schools.get(pk=data["school"]) if data["school"] else None,
        "status": data["status"],
        "start": datetime.date.fromisoformat(data["start"]) if data["start"] else None,
        "end": datetime.date.fromisoformat(data["end"]) if data["end"] else None,
    }


def export_start(*, actor, board: Board, format: str, form: ExportFilterForm) -> RegisterExport:
    """Record the export (who, when, which filters) before anything is made."""
    audit.record(
        "processing.register.exported",
        actor=actor,
        board=board,
        format=format,
        filters=dict(form.description()),
    )
    return RegisterExport.objects.create(
        board=board,
        exported_by=actor,
        format=format,
        filters=_filters_as_data(form.cleaned_data),
        description=form.description(),
        activity_count=export_activities(BoardAccess(actor, board), form.cleaned_data).count(),
    )


WRITERS = {
    RegisterExport.Format.PDF: register_pdf,
    RegisterExport.Format.XLSX: register_xlsx.export_xlsx,
    RegisterExport.Format.CSV: register_xlsx.export_csv,
}


def export_build(export: RegisterExport) -> RegisterExport:
    """Make the file of an export and keep it with the record."""
    board = export.board
    cleaned = _filters_from_data(board, export.filters)
    try:
        # Made with the rights of the one who asked for it, as they are when it is made.
        access = BoardAccess(export.exported_by, board)
        selection = register_entries(access, cleaned)
        changes = register_changes(
            [entry.activity.pk for entry in selection.entries], cleaned["start"], cleaned["end"]
        )
        content = WRITERS[RegisterExport.Format(export.format)](
            board=board,
            selection=selection,
            changes=changes,
            filters=export.description,
            exported_by=export.exported_by,
            appendices=register_appendices(access, cleaned),
        )
    except Exception:
        logger.exception("Export %s mislukt", export.pk)
        export.status = RegisterExport.Status.FAILED
        # An interrupted job that fails late never replaces the file its retry made meanwhile.
        RegisterExport.objects.filter(pk=export.pk).exclude(
            status=RegisterExport.Status.READY
        ).update(status=export.status)
        return export
    export.content, export.status = content, RegisterExport.Status.READY
    RegisterExport.objects.filter(pk=export.pk).update(content=export.content, status=export.status)
    return export


@task()
def build_export(export_pk: int) -> None:
    export_build(RegisterExport.objects.select_related("board", "exported_by").get(pk=export_pk))


def export_enqueue(export: RegisterExport) -> None:
    # After the commit: a worker must find the export row, whatever the queue is kept in.
    transaction.on_commit(lambda: build_export.enqueue(export.pk))


def export_retry(*, export: RegisterExport) -> None:
    """Queue a failed or interrupted export again. If its first worker still finishes after
    all, both write the same file."""
    export.status, export.requested_at = RegisterExport.Status.PENDING, timezone.now()
    export.save(update_fields=["status", "requested_at"])
    export_enqueue(export)
