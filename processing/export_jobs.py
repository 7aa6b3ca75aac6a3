"""Exports are made by a task queue (settings.TASKS), not in the web process: a job waits in the
queue until a worker takes it, also across restarts, and one whose worker died is shown as
interrupted (RegisterExport.interrupted) and can be queued again."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from processing.exports import export_build
from processing.models import RegisterExport


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
