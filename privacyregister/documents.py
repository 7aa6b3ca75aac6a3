"""Documents every part of the register hands out: PDFs rendered by WeasyPrint from a template
that extends documents/pdf_base.html, and spreadsheets written with openpyxl.

WeasyPrint gets a fetcher that serves only the app's own static files and the boards' logos and
house colours: whatever a document's text contains, rendering cannot read local files or reach
the network.
"""

import gc
import mimetypes
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from privacyregister.branding import colour_css, logo_read

# A base URL that cannot resolve: relative links in the document become URLs under it.
BASE_URL = "https://privacyregister.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
# The public URLs of a logo and a house colour (processing/public_urls.py), answered here from the
# storage and from the colour itself: nothing but a name of the strict form reaches the storage.
LOGO_PREFIX = BASE_URL + "privacy/logo/"
COLOUR = re.compile(re.escape(BASE_URL) + r"privacy/kleur/([0-9a-f]{6})\.css")


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, _headers=None):
        if url.startswith(LOGO_PREFIX):
            found = logo_read(url.removeprefix(LOGO_PREFIX))
            if found is None:
                raise ValueError(f"Geweigerd: geen logo van deze installatie: {url}")
            logo, logo_type = found
            return URLFetcherResponse(url, logo, {"Content-Type": logo_type})
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
def _without_cycle_collector() -> Iterator[None]:
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


def render_document(template_name: str, context: dict[str, Any]) -> bytes:
    """A PDF from a template that extends documents/pdf_base.html, in the active language.
    The base links its stylesheet under the prefix that StaticFilesOnly serves."""
    return render_pdf(render_to_string(template_name, {**context, "static_prefix": STATIC_PREFIX}))


def neutralise(value: object) -> str:
    """A cell that starts like a formula is shown as text (no formula injection in Excel)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_sheet(sheet: Worksheet, headings: Sequence, rows: Sequence[Iterable]) -> None:
    """A sheet of rows under a frozen heading row with filters, every cell plain text."""
    sheet.append([str(h) for h in headings])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(len(rows) + 1, 1)}"
    for index in range(1, len(headings) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30
