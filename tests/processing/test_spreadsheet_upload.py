"""The gate every uploaded spreadsheet passes (issue 19, "Bad input"): each case builds its file
here and is refused with a Dutch message that names what to change, or opens."""

import io
import os
import time
import zipfile

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from processing.spreadsheet_upload import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    SpreadsheetField,
    SpreadsheetRefused,
    open_spreadsheet,
)

MB = 1024 * 1024


def workbook_bytes(*sheets: tuple[str, list[list]]) -> bytes:
    """An XLSX as a spreadsheet program writes it: each sheet a heading row and its rows."""
    workbook = openpyxl.Workbook()
    for index, (title, rows) in enumerate(sheets or [("Verwerkingen", [])]):
        worksheet = workbook.worksheets[0] if index == 0 else workbook.create_sheet()
        worksheet.title = title
        worksheet.append(["Nr.", "Verwerking", "Versie"])
        for row in rows:
            worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rewritten(data: bytes, replace: dict[str, bytes] | None = None, add=()) -> bytes:
    """The XLSX `data` with some members' content replaced and members added."""
    replace = replace or {}
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add:
            target.writestr(name, content)
    return output.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(SpreadsheetRefused) as refused:
        open_spreadsheet(data)
    return refused.value.messages[0]


def test_a_valid_spreadsheet_opens_read_only_with_its_rows():
    data = workbook_bytes(("Verwerkingen", [[1, "Leerlingadministratie", "in werking"]]))

    workbook = open_spreadsheet(data)

    rows = list(workbook["Verwerkingen"].iter_rows(values_only=True))
    assert rows == [("Nr.", "Verwerking", "Versie"), (1, "Leerlingadministratie", "in werking")]
    assert workbook.read_only


def test_a_file_larger_than_10_mb_is_refused():
    data = workbook_bytes()
    data += b"\0" * (MAX_UPLOAD_BYTES + 1 - len(data))

    assert refusal(data) == (
        "Dit bestand is groter dan 10 MB. Een register past ruim in een kleiner bestand."
    )


NOT_XLSX = "Dit bestand is geen Excel-werkmap (.xlsx)."


def test_a_text_file_is_refused_as_not_an_xlsx():
    assert refusal(b"Nr.;Verwerking\n1;Leerlingadministratie\n").startswith(NOT_XLSX)


def test_a_renamed_pdf_is_refused_as_not_an_xlsx():
    assert refusal(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF").startswith(NOT_XLSX)


def test_an_old_excel_file_is_refused_as_not_an_xlsx():
    # An .xls is an OLE compound file, not a ZIP.
    ole = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504

    assert refusal(ole).startswith(NOT_XLSX)


def test_an_ods_spreadsheet_is_refused_as_not_an_xlsx():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
        ods.writestr("META-INF/manifest.xml", "<manifest:manifest/>")

    assert refusal(output.getvalue()).startswith(NOT_XLSX)


def test_a_word_document_is_refused_as_not_an_xlsx():
    # A ZIP with content types, but not those of a spreadsheet.
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as docx:
        docx.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )

    assert refusal(output.getvalue()).startswith(NOT_XLSX)


def zip_bomb(uncompressed: int) -> bytes:
    """An XLSX with a worksheet of `uncompressed` bytes of zeros, written a chunk at a time so
    that the test never holds it whole; deflated it is some thousandth of that."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
        chunk = b"\0" * MB
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(uncompressed // MB):
                sheet.write(chunk)
    return output.getvalue()


BOMB = "Dit bestand wordt uitgepakt veel groter dan een register kan zijn. Het wordt niet gelezen."


def test_a_zip_bomb_of_200_mb_is_refused_without_unpacking_it():
    data = zip_bomb(200 * MB)
    assert len(data) < MB

    started = time.perf_counter()
    message = refusal(data)

    assert message == BOMB
    # Unpacking 200 MB would take seconds; reading the archive's table of contents takes none.
    assert time.perf_counter() - started < 0.1


def test_a_member_that_unpacks_more_than_a_hundredfold_is_refused():
    # 2 MB of zeros: small in total, but no sheet of text compresses to a thousandth.
    assert refusal(zip_bomb(2 * MB)) == BOMB


def test_an_archive_of_thousands_of_members_is_refused():
    data = rewritten(workbook_bytes(), add=[(f"xl/media/image{n}.png", b"") for n in range(1001)])

    assert refusal(data) == BOMB


def test_a_workbook_with_macros_is_refused_and_the_message_names_the_macros():
    data = rewritten(workbook_bytes(), add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")])

    assert refusal(data) == (
        "Dit bestand bevat macro's (xl/vbaProject.bin). Sla het op als Excel-werkmap (.xlsx) "
        "zonder macro's en upload het opnieuw."
    )


def test_a_macro_enabled_workbook_is_refused_by_its_content_type():
    data = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    xlsm = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )

    message = refusal(rewritten(data, {"[Content_Types].xml": xlsm}))

    assert message.startswith("Dit bestand bevat macro's (.xlsm).")


def test_a_workbook_with_external_links_is_refused_and_the_message_names_the_link():
    link = (
        "xl/externalLinks/externalLink1.xml",
        b'<externalLink><externalBook r:id="rId1"/></externalLink>',
    )

    message = refusal(rewritten(workbook_bytes(), add=[link]))

    assert message == (
        "Dit bestand haalt gegevens uit een ander bestand of van internet "
        "(xl/externalLinks/externalLink1.xml). Verbreek de koppelingen (in Excel: Gegevens, "
        "Koppelingen bewerken) en upload het opnieuw."
    )


def test_a_relationship_to_an_outside_target_is_refused():
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image" Target="https://example.org/track.png" '
        b'TargetMode="External"/></Relationships>'
    )

    message = refusal(
        rewritten(workbook_bytes(), add=[("xl/worksheets/_rels/sheet1.xml.rels", rels)])
    )

    assert "(xl/worksheets/_rels/sheet1.xml.rels)" in message


def test_a_relationship_to_an_outside_target_in_single_quotes_is_refused():
    rels = (
        b"<?xml version='1.0'?><Relationships xmlns='http://schemas.openxmlformats.org/package/"
        b"2006/relationships'><Relationship Id='rId1' Type='http://schemas.openxmlformats.org/"
        b"officeDocument/2006/relationships/image' Target='https://example.org/track.png' "
        b"TargetMode='External'/></Relationships>"
    )

    message = refusal(
        rewritten(workbook_bytes(), add=[("xl/worksheets/_rels/sheet1.xml.rels", rels)])
    )

    assert "(xl/worksheets/_rels/sheet1.xml.rels)" in message


def test_a_relationship_to_an_outside_target_written_with_a_character_reference_is_refused():
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image" Target="https://example.org/track.png" '
        b'TargetMode="&#69;xternal"/></Relationships>'
    )

    message = refusal(
        rewritten(workbook_bytes(), add=[("xl/worksheets/_rels/sheet1.xml.rels", rels)])
    )

    assert "(xl/worksheets/_rels/sheet1.xml.rels)" in message


def test_an_external_link_stored_elsewhere_is_refused_by_its_content_type():
    data = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    override = (
        b'<Override PartName="/xl/media/link1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'
    )
    link = ("xl/media/link1.xml", b'<externalLink><externalBook r:id="rId1"/></externalLink>')

    message = refusal(
        rewritten(data, {"[Content_Types].xml": types.replace(b"</Types>", override)}, add=[link])
    )

    assert message.startswith(
        "Dit bestand haalt gegevens uit een ander bestand of van internet (xl/media/link1.xml)."
    )


def test_a_web_address_made_into_a_link_is_no_external_link():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Verwerkers"
    workbook.active["A2"] = "https://www.parnassys.nl"
    workbook.active["A2"].hyperlink = "https://www.parnassys.nl"
    output = io.BytesIO()
    workbook.save(output)

    assert open_spreadsheet(output.getvalue()).sheetnames == ["Verwerkers"]


def test_a_formula_is_refused_naming_its_sheet_row_and_column():
    data = workbook_bytes(
        ("Verwerkingen", [[1, "Leerlingadministratie", "in werking"]]),
        ("Doelen", [[1, "a", "b"], [1, "a", "b"], [1, "a", '=HYPERLINK("https://x.nl")']]),
    )

    assert refusal(data) == (
        "Blad Doelen, rij 4, kolom C bevat een formule. Zet er de waarde in, zonder =."
    )


def test_text_that_begins_with_an_equals_sign_is_no_formula():
    workbook = openpyxl.Workbook()
    workbook.active["B2"] = "= 5 jaar na uitschrijving"
    workbook.active["B2"].data_type = "s"
    output = io.BytesIO()
    workbook.save(output)

    worksheet = open_spreadsheet(output.getvalue()).active

    assert worksheet["B2"].value == "= 5 jaar na uitschrijving"


def test_more_than_5000_data_rows_on_a_sheet_are_refused_at_the_first_row_over():
    data = workbook_bytes(
        ("Verwerkingen", [[n, "Verwerking", "in werking"] for n in range(3000)]),
        ("Doelen", [[n, "Doel", "in werking"] for n in range(MAX_ROWS + 1)]),
    )

    assert refusal(data) == (
        "Het blad Doelen heeft meer dan 5.000 rijen met gegevens (bij rij 5002). "
        "Verdeel het register over meer bestanden."
    )


def test_5000_data_rows_on_each_of_two_sheets_open():
    data = workbook_bytes(
        ("Verwerkingen", [[n, "Verwerking", "in werking"] for n in range(MAX_ROWS)]),
        ("Doelen", [[n, "Doel", "in werking"] for n in range(MAX_ROWS)]),
    )

    assert open_spreadsheet(data).sheetnames == ["Verwerkingen", "Doelen"]


def test_5000_data_rows_with_empty_rows_between_them_open():
    rows = [[n, "Verwerking", "in werking"] for n in range(MAX_ROWS)]
    data = workbook_bytes(("Verwerkingen", [*rows[:10], [], [None, ""], *rows[10:]]))

    assert open_spreadsheet(data).sheetnames == ["Verwerkingen"]


def test_only_the_sheets_the_import_reads_are_checked():
    data = workbook_bytes(
        ("Verwerkingen", [[1, "Leerlingadministratie", "in werking"]]),
        ("Wijzigingen", [["=1+1"], *[["gewijzigd"]] * (MAX_ROWS + 1)]),
    )

    workbook = open_spreadsheet(data, sheets=["Verwerkingen", "Doelen"])

    assert workbook.sheetnames == ["Verwerkingen", "Wijzigingen"]


def test_a_row_number_past_the_last_row_a_spreadsheet_can_have_is_refused_at_once():
    data = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = sheet.replace(
        b"</sheetData>",
        b'<row r="999999999999"><c r="A999999999999" t="n"><v>1</v></c></row></sheetData>',
    )

    started = time.perf_counter()
    message = refusal(rewritten(data, {"xl/worksheets/sheet1.xml": far}))

    assert message.startswith(NOT_XLSX)
    assert time.perf_counter() - started < 5


def test_a_damaged_workbook_is_refused_as_not_an_xlsx():
    data = workbook_bytes()
    broken = rewritten(data, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})

    assert refusal(broken).startswith(NOT_XLSX)


class UploadForm(forms.Form):
    spreadsheet = SpreadsheetField()


def posted(upload: SimpleUploadedFile) -> UploadForm:
    """The form as a view gets it: the file sent in a multipart request and parsed by Django."""
    request = RequestFactory().post("/import/", {"spreadsheet": upload})
    return UploadForm(request.POST, request.FILES)


def nearly_10_mb_workbook() -> bytes:
    # A valid workbook made nearly 10 MB by a member that does not compress (a picture would).
    filler = ("xl/media/image1.png", os.urandom(MAX_UPLOAD_BYTES - 64 * 1024))
    return rewritten(workbook_bytes(("Verwerkingen", [[1, "a", "b"]])), add=[filler])


def test_the_upload_form_accepts_a_workbook_of_nearly_10_mb():
    data = nearly_10_mb_workbook()
    assert MAX_UPLOAD_BYTES - 64 * 1024 < len(data) <= MAX_UPLOAD_BYTES

    form = posted(SimpleUploadedFile("register.xlsx", data))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["spreadsheet"].read() == data


def test_the_upload_form_refuses_a_file_over_10_mb_with_the_dutch_message():
    form = posted(SimpleUploadedFile("register.xlsx", b"x" * (MAX_UPLOAD_BYTES + 1)))

    assert not form.is_valid()
    assert form.errors["spreadsheet"] == [
        "Dit bestand is groter dan 10 MB. Een register past ruim in een kleiner bestand."
    ]


def test_the_upload_form_shows_why_a_file_is_refused():
    form = posted(SimpleUploadedFile("register.xlsx", b"Nr.;Verwerking\n"))

    assert not form.is_valid()
    assert form.errors["spreadsheet"][0].startswith(NOT_XLSX)
