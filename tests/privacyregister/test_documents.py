"""Documents: PDFs rendered from templates that share one base, with a fetcher that serves only
the app's own static files, and spreadsheets; one module that every app uses."""

import ast
import http.server
import logging
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from privacyregister.documents import STATIC_PREFIX, StaticFilesOnly, render_pdf
from processing.pdf import render_statement_pdf
from tests.factories import BoardFactory, RightsRequestFactory, StatementVersionFactory

ROOT = Path(settings.BASE_DIR)
PDF_TEMPLATES = [
    "processing/templates/processing/register_pdf.html",
    "processing/templates/processing/statement_pdf.html",
    "retention/templates/retention/schedule_pdf.html",
    "rights/templates/rights/letter.html",
]


def pdf_languages(pdf: bytes) -> set[str]:
    """The /Lang entries of a PDF; WeasyPrint puts the catalogue in a compressed object stream."""
    found = set(re.findall(rb"/Lang \((\w+)\)", pdf))
    for stream in re.finditer(rb"stream\r?\n", pdf):
        try:
            found |= set(
                re.findall(
                    rb"/Lang \((\w+)\)", zlib.decompressobj().decompress(pdf[stream.end() :])
                )
            )
        except zlib.error:
            continue
    return {language.decode() for language in found}


def imported_modules(place: str) -> set[str]:
    """What the Python files of an app (or one module) import, as dotted names."""
    where = ROOT / place
    modules = set()
    for path in [where] if where.is_file() else where.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                modules |= {alias.name for alias in node.names}
    return modules


@pytest.mark.parametrize("app", ["retention", "rights"])
def test_retention_and_rights_make_their_documents_without_the_register_export_code(app):
    register_code = {"processing.register_pdf", "processing.export_jobs", "processing.pdf"}
    assert not imported_modules(app) & register_code


def test_the_documents_module_belongs_to_the_core_and_imports_no_feature_app():
    imported = imported_modules("privacyregister/documents.py")
    assert not {m for m in imported if m.split(".")[0] in {"processing", "retention", "rights"}}


@pytest.mark.parametrize("template", PDF_TEMPLATES)
def test_every_pdf_template_extends_the_one_base_with_its_language_and_stylesheet(template):
    source = (ROOT / template).read_text()
    assert source.startswith('{% extends "documents/pdf_base.html" %}')
    assert "<head" not in source
    assert "/static/" not in source
    assert "lang=" not in source


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/x.css",
        f"{STATIC_PREFIX}../../../etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_the_pdf_fetcher_refuses_anything_but_own_static_files(url):
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do)
        StaticFilesOnly().fetch(url)


def test_the_pdf_fetcher_serves_the_own_stylesheet():
    response = StaticFilesOnly().fetch(STATIC_PREFIX + "css/statement_pdf.css")
    assert b"@page" in response.read()


def test_rendering_a_pdf_never_reaches_the_network():
    requests = []

    class Spy(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Spy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        render_pdf(
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/evil.css">'
            f'<img src="http://127.0.0.1:{port}/pixel.png"><img src="file:///etc/passwd"><p>Tekst</p>'
        )
    finally:
        server.shutdown()
    assert requests == []


HIDDEN = '<p>Tekst<span class="visually-hidden"> alleen voor schermlezers</span></p>'


@pytest.mark.django_db
def test_a_statement_renders_without_a_rule_or_attribute_that_weasyprint_ignores(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    render_statement_pdf(StatementVersionFactory(html=HIDDEN))
    assert [record.getMessage() for record in caplog.records] == []


def page_image(pdf: bytes, page: int) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        Path(directory, "document.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "50",
                "-gray",
                "-f",
                str(page),
                "-l",
                str(page),
                "document.pdf",
                "page",
            ],
            cwd=directory,
            check=True,
        )
        [image] = Path(directory).glob("page*.pgm")
        return image.read_bytes()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm ontbreekt")
@pytest.mark.django_db
def test_visually_hidden_text_of_a_statement_is_not_printed():
    board = BoardFactory()
    with_hidden = render_statement_pdf(StatementVersionFactory(board=board, html=HIDDEN))
    without = render_statement_pdf(
        StatementVersionFactory(board=board, number=2, html="<p>Tekst</p>")
    )
    assert page_image(with_hidden, 2) == page_image(without, 2)  # page 1 is the cover


@pytest.mark.django_db
def test_a_letter_asked_for_in_english_is_tagged_english(client, officer):
    rights_request = RightsRequestFactory(board=officer.board)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(
        reverse(
            "rights_request_letter",
            kwargs={"board": officer.board.slug, "pk": rights_request.pk, "kind": "ontvangst"},
        )
    )
    assert response.status_code == 200
    assert pdf_languages(response.content) == {"en"}


@pytest.mark.django_db
def test_a_statement_is_tagged_in_its_own_language_whoever_asks():
    with translation.override("en"):
        pdf = render_statement_pdf(StatementVersionFactory())
    assert pdf_languages(pdf) == {settings.LANGUAGE_CODE}
