"""PDF of a published statement, rendered from the stored HTML once and then kept with the
version (privacyregister/documents.py renders it)."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.safestring import mark_safe

from privacyregister.documents import render_document
from processing.models import StatementVersion


def render_statement_pdf(statement: StatementVersion) -> bytes:
    # The cover in the statement's language, not that of the first reader who asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_document(
            "processing/statement_pdf.html",
            {"statement": statement, "body": mark_safe(statement.html)},  # our own render
        )


def _render_and_keep(statement: StatementVersion) -> bytes:
    pdf = render_statement_pdf(statement)
    StatementVersion.objects.filter(pk=statement.pk).update(pdf=pdf)
    return pdf


def statement_pdf(statement: StatementVersion) -> bytes:
    """The PDF of a published version, rendered once and then kept with the version."""
    if statement.pdf is None:
        if connection.features.has_select_for_update:
            # Readers who ask for a new version's PDF at the same moment wait here for the
            # first one's render, and then find its PDF: one render instead of one each.
            with transaction.atomic():
                stored = (
                    StatementVersion.objects.select_for_update()
                    .values_list("pdf", flat=True)
                    .get(pk=statement.pk)
                )
                statement.pdf = stored if stored is not None else _render_and_keep(statement)
        else:
            # SQLite (development, demo) has no row locks; a read transaction held open during
            # the render would make a second reader's write fail instead of wait.
            statement.pdf = _render_and_keep(statement)
    return bytes(statement.pdf)
