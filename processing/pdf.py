"""PDF of a published statement, rendered from the stored HTML once and then kept with the
version (privacyregister/documents.py renders it). The pupils' and the English statement of a
version have their own PDF, kept the same way (statement_variants.Variant)."""

from django.db import connection, transaction
from django.utils import translation
from django.utils.safestring import mark_safe

from privacyregister.documents import render_document
from processing.models import StatementVersion
from processing.statement_variants import PARENTS, Variant


def render_statement_pdf(statement: StatementVersion, variant: Variant = PARENTS) -> bytes:
    # The cover in the statement's language, not that of the first reader who asks for it.
    with translation.override(variant.language_code):
        return render_document(
            "processing/statement_pdf.html",
            {
                "statement": statement,
                "title": variant.title,
                "body": mark_safe(getattr(statement, variant.html_field)),  # our own render
            },
        )


def _render_and_keep(statement: StatementVersion, variant: Variant) -> bytes:
    pdf = render_statement_pdf(statement, variant)
    StatementVersion.objects.filter(pk=statement.pk).update(**{variant.pdf_field: pdf})
    return pdf


def statement_pdf(statement: StatementVersion, variant: Variant = PARENTS) -> bytes:
    """The PDF of a published version, rendered once and then kept with the version."""
    if getattr(statement, variant.pdf_field) is None:
        if connection.features.has_select_for_update:
            # Readers who ask for a new version's PDF at the same moment wait here for the
            # first one's render, and then find its PDF: one render instead of one each.
            with transaction.atomic():
                stored = (
                    StatementVersion.objects.select_for_update()
                    .values_list(variant.pdf_field, flat=True)
                    .get(pk=statement.pk)
                )
                setattr(
                    statement,
                    variant.pdf_field,
                    stored if stored is not None else _render_and_keep(statement, variant),
                )
        else:
            # SQLite (development, demo) has no row locks; a read transaction held open during
            # the render would make a second reader's write fail instead of wait.
            setattr(statement, variant.pdf_field, _render_and_keep(statement, variant))
    return bytes(getattr(statement, variant.pdf_field))
