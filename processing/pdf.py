"""PDF of a published statement, rendered by WeasyPrint from the stored HTML.

WeasyPrint gets a fetcher that serves only the app's own static files: whatever a statement
text contains, rendering cannot read local files or reach the network.
"""

import gc
import mimetypes
from contextlib import contextmanager

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from processing.models import StatementVersion

# A base URL that cannot resolve: relative links in the document become URLs under it.
BASE_URL = "https://privacyregister.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
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
    html = render_to_string(
        "processing/statement_pdf.html",
        {"statement": statement, "body": mark_safe(statement.html)},  # noqa: S308 (our own render)
    )
    return render_pdf(html)


def statement_pdf(statement: StatementVersion) -> bytes:
    """The PDF of a published version, rendered once and then kept with the version."""
    if statement.pdf is None:
        statement.pdf = render_statement_pdf(statement)
        StatementVersion.objects.filter(pk=statement.pk).update(pdf=statement.pdf)
    return bytes(statement.pdf)
