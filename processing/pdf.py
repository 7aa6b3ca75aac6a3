"""PDF of a published statement, rendered by WeasyPrint from the stored HTML.

WeasyPrint gets a fetcher that serves only the app's own static files and the boards' logos and
house colours: whatever a statement text contains, rendering cannot read other files or reach
the network.
"""

import gc
import mimetypes
import re
from contextlib import contextmanager

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from privacyregister.branding import colour_css, logo_read
from processing.models import StatementVersion

# A base URL that cannot resolve: relative links in the document become URLs under it.
BASE_URL = "https://privacyregister.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
# The public URLs of a logo and a house colour (processing/public_urls.py), read here from the
# storage and the colour itself: nothing but a name of the strict form reaches the storage.
LOGO_PREFIX = BASE_URL + "privacy/logo/"
COLOUR = re.compile(re.escape(BASE_URL) + r"privacy/kleur/([0-9a-f]{6})\.css")


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if url.startswith(LOGO_PREFIX):
            found = logo_read(url.removeprefix(LOGO_PREFIX))
            if found is None:
                raise ValueError(f"Geweigerd: geen logo van deze installatie: {url}")
            body, content_type = found
            return URLFetcherResponse(url, body, {"Content-Type": content_type})
        if match := COLOUR.fullmatch(url):
            css = colour_css(f"#{match.group(1)}").encode()
            return URLFetcherResponse(url, css, {"Content-Type": "text/css"})
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"Geweigerd: alleen eigen statische bestanden, niet {url}")
        path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
        if not path:
            raise ValueError(f"Onbekend statisch bestand: {url}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


@contextmanager
def _without_cycle_collector():
    """WeasyPrint makes millions of short-lived objects, and Python's cycle collector walks them
    again and again: a fifth of the time of a large PDF (measured). It runs once afterwards."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_pdf(html: str) -> bytes:
    with _without_cycle_collector():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf(
            pdf_variant="pdf/ua-1"  # tagged, so screen readers can read the PDF too
        )


def render_statement_pdf(statement: StatementVersion) -> bytes:
    # The cover in the statement's language, not that of the first reader who asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "processing/statement_pdf.html",
            {"statement": statement, "body": mark_safe(statement.html)},  # noqa: S308 (our own render)
        )
    return render_pdf(html)


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
