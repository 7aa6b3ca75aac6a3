"""The board settings page: the facts a statement tells about the board, its documents, its
logo and house colour; and how they reach the statement, the public page and the PDF."""

import io
import shutil
import struct
import subprocess
import tempfile
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from privacyregister.branding import contrast_ratio
from privacyregister.documents import BASE_URL, LOGO_PREFIX, StaticFilesOnly
from privacyregister.forms import DOCUMENTS_PREFIX
from privacyregister.limits import ROW_LIMIT, TEXT_LIMIT
from privacyregister.models import Board, BoardDocument, SecurityEvent
from processing.models import StatementVersion
from processing.pdf import render_statement_pdf
from processing.statements import statement_publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Logos go to a directory of this test alone."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(board: Board) -> str:
    return reverse("board_settings", kwargs={"board": board.slug})


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (300, 120), mode: str = "RGB", **save
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#0b4f8a" if mode != "1" else 0).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def page_data(client, board: Board, **changes) -> dict:
    """The settings form as the page sends it, with some fields changed."""
    data = form_data(client.get(url(board)))
    data.update(changes)
    return data


def stored_logos(media) -> list:
    directory = media / "logos"
    return sorted(directory.iterdir()) if directory.exists() else []


GOOD = {
    "privacy_email": "privacy@stichting-de-linde.nl",
    "privacy_phone": "0318 123 456",
    "visiting_address": "Lindelaan 1\n6711 AA Ede",
    "postal_address": "Postbus 100\n6710 BC Ede",
    "kvk_number": "41234567",
    "website": "https://www.stichting-de-linde.nl",
    "fg_name": "Mr. P. Toezicht",
    "fg_email": "fg@privacybureau.example",
    "fg_phone": "030 999 88 77",
    "fg_organisation": "",
    "fg_is_external": "on",
    "rights_request_instructions": "Mail ons of bel de administratie.",
    "complaint_authority_text": "Een klacht kan bij de Autoriteit Persoonsgegevens.",
    "house_colour": "#0B4F8A",
    f"{DOCUMENTS_PREFIX}-0-title": "Privacyreglement",
    f"{DOCUMENTS_PREFIX}-0-url": "https://www.stichting-de-linde.nl/privacyreglement.pdf",
}


def test_the_beheerder_keeps_the_statement_facts_of_the_board(client, beheerder, media):
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data["logo"] = upload(image_bytes())
    response = client.post(url(board), data)
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.privacy_phone == "0318 123 456"
    assert board.kvk_number == "41234567"
    assert board.fg_is_external is True
    assert board.house_colour == "#0b4f8a"  # one spelling
    assert board.logo.name.startswith("logos/") and board.logo.name.endswith(".png")
    assert [(d.title, d.url) for d in board.documents.all()] == [
        ("Privacyreglement", "https://www.stichting-de-linde.nl/privacyreglement.pdf")
    ]
    assert len(stored_logos(media)) == 1
    event = SecurityEvent.objects.get(action="board.settings_changed", board=board)
    assert "house_colour" in event.detail["fields"] and "documents" in event.detail["fields"]


def test_the_board_menu_leads_the_beheerder_to_the_settings(client, beheerder):
    page = client.get(reverse("schools", kwargs={"board": beheerder.board.slug}))
    assert url(beheerder.board) in page.content.decode()


def test_the_privacy_officer_has_no_settings_page_nor_the_menu_item(client, officer):
    board = officer.board
    assert client.get(url(board)).status_code == 403
    page = client.get(reverse("activity_list", kwargs={"board": board.slug}))
    assert url(board) not in page.content.decode()


BAD_FIELDS = [
    ("privacy_email", "geen-adres", "Voer een geldig e-mailadres in."),
    ("privacy_email", "", "Dit veld is verplicht."),
    ("privacy_phone", "0" * 31, "niet meer dan 30 tekens"),
    ("kvk_number", "1234", "Een KvK-nummer bestaat uit 8 cijfers."),
    ("website", "ftp://www.stichting.nl", "begint met http:// of https://"),
    ("website", "javascript:alert(1)", "begint met http:// of https://"),
    ("fg_email", "fg@", "Voer een geldig e-mailadres in."),
    ("fg_name", "", "Dit veld is verplicht."),
    ("rights_request_instructions", "x" * (TEXT_LIMIT + 1), "niet meer dan 10000 tekens"),
    ("complaint_authority_text", "x" * (TEXT_LIMIT + 1), "niet meer dan 10000 tekens"),
    ("house_colour", "#ffd700", "Deze kleur geeft te weinig contrast met de tekst"),
    ("house_colour", "#777777", "Deze kleur geeft te weinig contrast met de tekst"),
    ("house_colour", "rood", "Geef de kleur als # met zes tekens"),
    ("house_colour", "#0b4f8a; background: url(x)", "niet meer dan 7 tekens"),
    ("house_colour", "#0b4f8g", "Geef de kleur als # met zes tekens"),
    (f"{DOCUMENTS_PREFIX}-0-url", "javascript:alert(1)", "begint met http:// of https://"),
    (f"{DOCUMENTS_PREFIX}-0-url", "file:///etc/passwd", "begint met http:// of https://"),
    (f"{DOCUMENTS_PREFIX}-0-title", "", "Dit veld is verplicht."),
]


@pytest.mark.parametrize(
    ("field", "value", "message"), BAD_FIELDS, ids=[f"{f}={v[:20]}" for f, v, _ in BAD_FIELDS]
)
def test_bad_input_gets_a_dutch_message_and_nothing_is_saved(
    client, beheerder, media, field, value, message
):
    board = beheerder.board
    before = Board.objects.values().get(pk=board.pk)
    data = page_data(client, board, **{**GOOD, field: value})
    data["logo"] = upload(image_bytes())  # a good logo is not kept either
    response = client.post(url(board), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Board.objects.values().get(pk=board.pk) == before
    assert not BoardDocument.objects.exists()
    assert stored_logos(media) == []
    assert not SecurityEvent.objects.filter(action="board.settings_changed").exists()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG file whose header claims a huge image (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + width // 8) * 64)  # far too few rows: never decoded
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
BAD_LOGOS = {
    "svg": (SVG, "logo.svg", "image/svg+xml"),
    "svg-named-png": (SVG, "logo.png", "image/png"),
    "text-named-png": (b"Dit is geen afbeelding.", "logo.png", "image/png"),
    "gif": (image_bytes("GIF", mode="P"), "logo.gif", "image/gif"),
    "gif-named-png": (image_bytes("GIF", mode="P"), "logo.png", "image/png"),
    "truncated-png": (image_bytes(size=(600, 600), mode="RGB")[:60], "logo.png", "image/png"),
    "over-1-MB": (image_bytes() + b"\0" * (1024 * 1024), "logo.png", "image/png"),
    "25-megapixels": (image_bytes(size=(5000, 5000), mode="1"), "logo.png", "image/png"),
    "bomb-400-megapixels": (png_claiming(20000, 20000), "logo.png", "image/png"),
    "bomb-100-megapixels": (png_claiming(10000, 10000), "logo.png", "image/png"),
}


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # what is tested
@pytest.mark.parametrize("kind", BAD_LOGOS)
def test_only_a_png_or_jpeg_of_at_most_1_mb_is_a_logo(client, beheerder, media, kind):
    content, name, content_type = BAD_LOGOS[kind]
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data["logo"] = upload(content, name, content_type)
    response = client.post(url(board), data)
    assert response.status_code == 200
    assert "Dit bestand is geen bruikbaar logo." in response.content.decode()
    board.refresh_from_db()
    assert not board.logo and board.house_colour == "" and stored_logos(media) == []


def test_the_logo_is_re_encoded_without_metadata_and_at_most_1000_pixels(client, beheerder, media):
    exif = Image.Exif()
    exif[0x010E] = "Geheime beschrijving"  # ImageDescription
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # GPS
    photo = image_bytes("JPEG", size=(2000, 800), exif=exif.tobytes(), comment=b"van de camera")
    assert b"Geheime beschrijving" in photo
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data["logo"] = upload(photo, "foto.jpg", "image/jpeg")
    assert client.post(url(board), data).status_code == 302
    board.refresh_from_db()
    assert board.logo.name.endswith(".jpg")
    stored = default_storage.open(board.logo.name).read()
    assert b"Geheime beschrijving" not in stored and b"van de camera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (1000, 400)
        assert not image.getexif() and "comment" not in image.info


def test_a_png_logo_loses_its_text_chunks_and_keeps_transparency(client, beheerder, media):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Iemand van kantoor")
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data["logo"] = upload(image_bytes(mode="RGBA", pnginfo=info))
    assert client.post(url(board), data).status_code == 302
    board.refresh_from_db()
    stored = default_storage.open(board.logo.name).read()
    assert b"Iemand van kantoor" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.mode == "RGBA" and "Author" not in image.info


def test_the_logo_can_be_taken_away(client, beheerder, media):
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data["logo"] = upload(image_bytes())
    client.post(url(board), data)
    assert client.post(url(board), page_data(client, board, remove_logo="on")).status_code == 302
    board.refresh_from_db()
    assert not board.logo


def test_a_logo_put_in_another_way_is_refused_by_the_model(beheerder):
    board = beheerder.board
    board.logo.name = "logos/zelfgemaakt.svg"  # as the Django admin would store an upload
    with pytest.raises(Exception, match="Upload het logo op de pagina Bestuursgegevens"):
        board.full_clean()


def test_the_contrast_rule_follows_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54  # the lightest grey that passes
    assert contrast_ratio("#777777", "#ffffff") < 4.5


def test_more_document_rows_than_the_limit_are_refused_before_any_row_is_built(client, beheerder):
    board = beheerder.board
    data = page_data(client, board, **GOOD)
    data[f"{DOCUMENTS_PREFIX}-TOTAL_FORMS"] = str(ROW_LIMIT + 1)
    response = client.post(url(board), data)
    assert response.status_code == 400
    assert not BoardDocument.objects.exists()


def test_the_settings_page_makes_a_bounded_number_of_queries(
    client, beheerder, django_assert_max_num_queries
):
    board = beheerder.board
    BoardDocument.objects.bulk_create(
        BoardDocument(board=board, title=f"Document {n}", url=f"https://example.nl/{n}")
        for n in range(ROW_LIMIT - 1)
    )
    with django_assert_max_num_queries(10):
        assert client.get(url(board)).status_code == 200
    data = page_data(client, board)
    # Django's model formsets look each posted row up by its id: at most ROW_LIMIT of them.
    with django_assert_max_num_queries(ROW_LIMIT + 12):
        assert client.post(url(board), data).status_code == 302


# The statement, the public page and the PDF.


def save_settings(client, board: Board, logo: bytes | None = None, **changes) -> None:
    data = page_data(client, board, **{**GOOD, **changes})
    if logo is not None:
        data["logo"] = upload(logo)
    response = client.post(url(board), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_statement_tells_everything_on_the_settings_page(client, beheerder, media):
    board = beheerder.board
    save_settings(client, board, logo=image_bytes())
    board.refresh_from_db()
    html = statement_publish(
        actor=beheerder.user, board=board, school=None, change_summary="Eerste."
    ).html
    assert "privacy@stichting-de-linde.nl" in html and "0318 123 456" in html
    assert "Postbus 100<br>6710 BC Ede" in html
    assert "41234567" in html
    assert '<a href="https://www.stichting-de-linde.nl">' in html
    # External, also without an organisation.
    assert "Mr. P. Toezicht (extern)" in html
    assert "fg@privacybureau.example" in html and "030 999 88 77" in html
    assert "Mail ons of bel de administratie." in html
    assert "Een klacht kan bij de Autoriteit Persoonsgegevens." in html
    assert (
        '<a href="https://www.stichting-de-linde.nl/privacyreglement.pdf">Privacyreglement</a>'
        in html
    )
    assert f'src="/privacy/logo/{board.logo_file}"' in html
    assert 'href="/privacy/kleur/0b4f8a.css"' in html
    assert 'class="statement huisstijl"' in html


def test_a_statement_without_logo_colour_or_documents_stays_as_it_was(client, beheerder):
    html = statement_publish(
        actor=beheerder.user, board=beheerder.board, school=None, change_summary="x"
    ).html
    assert "huisstijl" not in html and "statement-logo" not in html
    assert 'id="documenten"' not in html


def test_a_published_version_keeps_its_logo_colour_and_documents(client, beheerder, media):
    board = beheerder.board
    first_logo = image_bytes(size=(200, 100))
    save_settings(client, board, logo=first_logo)
    board.refresh_from_db()
    first = statement_publish(actor=beheerder.user, board=board, school=None, change_summary="1")
    first_name = board.logo_file
    save_settings(
        client,
        board,
        logo=image_bytes(size=(100, 100)),
        house_colour="#7a1f1f",
        **{f"{DOCUMENTS_PREFIX}-0-title": "Nieuw reglement"},
    )
    board.refresh_from_db()
    assert board.logo_file != first_name
    second = statement_publish(actor=beheerder.user, board=board, school=None, change_summary="2")
    first.refresh_from_db()
    assert first.snapshot["board"]["logo"] == first_name
    assert first.snapshot["board"]["house_colour"] == "#0b4f8a"
    assert "Privacyreglement" in first.html and "Nieuw reglement" not in first.html
    assert "Nieuw reglement" in second.html and board.logo_file in second.html
    # The first version's logo is still there to be shown.
    assert client.get(reverse("public_logo", kwargs={"name": first_name})).status_code == 200


def test_the_public_page_shows_the_logo_and_serves_it_safely(client, beheerder, media):
    board = beheerder.board
    save_settings(client, board, logo=image_bytes())
    board.refresh_from_db()
    statement_publish(actor=beheerder.user, board=board, school=None, change_summary="x")
    client.logout()
    page = client.get(reverse("board_statement", kwargs={"board": board.slug}))
    assert f'src="/privacy/logo/{board.logo_file}"' in page.content.decode()
    logo = client.get(reverse("public_logo", kwargs={"name": board.logo_file}))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in logo["Cache-Control"]
    assert Image.open(io.BytesIO(logo.content)).format == "PNG"
    colour = client.get(reverse("public_colour", kwargs={"colour": "0b4f8a"}))
    assert colour["Content-Type"].startswith("text/css")
    css = colour.content.decode()
    assert css.startswith(":root { --huiskleur: #0b4f8a; }\n")
    assert "--utrecht-button-primary-action-background-color: #0b4f8a;" in css


@pytest.mark.parametrize(
    "path",
    [
        "/privacy/logo/" + "0" * 64 + ".png",  # no such logo
        "/privacy/logo/" + "0" * 64 + ".svg",
        "/privacy/logo/../../manage.py",
        "/privacy/logo/%2e%2e%2fmanage.py",
        "/privacy/kleur/red.css",
        "/privacy/kleur/0b4f8a;x.css",
    ],
)
def test_nothing_but_a_stored_logo_or_a_colour_is_served_there(client, path):
    assert client.get(path).status_code == 404


def test_the_pdf_renderer_reads_the_logo_from_the_storage(client, beheerder, media):
    board = beheerder.board
    save_settings(client, board, logo=image_bytes())
    board.refresh_from_db()
    response = StaticFilesOnly().fetch(LOGO_PREFIX + board.logo_file)
    assert response.headers["Content-Type"] == "image/png"
    assert response.read() == default_storage.open(board.logo.name).read()
    colour = StaticFilesOnly().fetch(BASE_URL + "privacy/kleur/0b4f8a.css")
    assert b"--huiskleur: #0b4f8a" in colour.read()


def crafted_urls(media, logo_file: str) -> list[str]:
    name = logo_file.removesuffix(".png")
    return [
        LOGO_PREFIX + "../geheim.png",
        LOGO_PREFIX + "..%2fgeheim.png",
        LOGO_PREFIX + "%2e%2e/geheim.png",
        LOGO_PREFIX + name + ".svg",
        LOGO_PREFIX + logo_file + "/../../geheim.png",
        LOGO_PREFIX + logo_file + "?x=../../geheim.png",
        LOGO_PREFIX + "/" + str(media / "geheim.png"),
        BASE_URL + "media/geheim.png",
        BASE_URL + "privacy/kleur/0b4f8a.css/../../geheim.png",
        BASE_URL + "privacy/kleur/../../../etc/passwd",
        "file://" + str(media / "geheim.png"),
        "file:///etc/passwd",
        "https://example.com/privacy/logo/" + logo_file,
    ]


def test_a_crafted_url_cannot_make_the_pdf_renderer_read_another_file(client, beheerder, media):
    board = beheerder.board
    save_settings(client, board, logo=image_bytes())
    board.refresh_from_db()
    (media / "geheim.png").write_bytes(image_bytes())
    (media / "logos" / (board.logo_file.removesuffix(".png") + ".svg")).write_bytes(SVG)
    for crafted in crafted_urls(media, board.logo_file):
        with pytest.raises(ValueError):
            StaticFilesOnly().fetch(crafted)


@pytest.mark.skipif(not shutil.which("pdfimages"), reason="pdfimages ontbreekt")
def test_the_pdf_carries_the_logo(client, beheerder, media):
    board = beheerder.board
    save_settings(client, board, logo=image_bytes(size=(400, 160)))
    board.refresh_from_db()
    statement = statement_publish(
        actor=beheerder.user, board=board, school=None, change_summary="x"
    )
    pdf = render_statement_pdf(StatementVersion.objects.get(pk=statement.pk))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        listing = subprocess.run(
            ["pdfimages", "-list", file.name], capture_output=True, text=True, check=True
        ).stdout
    assert " 400   160 " in listing


def test_the_beheerder_sets_when_closed_requests_and_breaches_are_anonymised(client, beheerder):
    board = beheerder.board
    page = client.get(url(board)).content.decode()
    assert "Afgesloten datalekken anonimiseren na (jaren)" in page
    data = page_data(
        client, board, **GOOD, rights_purge_after_days="730", breach_anonymise_after_years="7"
    )
    assert client.post(url(board), data).status_code == 302
    board.refresh_from_db()
    assert (board.rights_purge_after_days, board.breach_anonymise_after_years) == (730, 7)


def test_a_breach_period_of_zero_years_is_refused(client, beheerder):
    board = beheerder.board
    data = page_data(client, board, **GOOD, breach_anonymise_after_years="0")
    assert client.post(url(board), data).status_code == 200
    board.refresh_from_db()
    assert board.breach_anonymise_after_years == 5
