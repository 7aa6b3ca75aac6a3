"""The one gate every uploaded spreadsheet passes before the import reads it.

Nothing of an upload is trusted. It is refused, with a Dutch message that says what to change,
when it is too large, not an XLSX, a zip bomb, carries macros or links to other files, holds a
formula, or has more rows than an import takes. The archive is judged from its table of contents
before openpyxl opens it: Python's zipfile never gives more bytes of a member than the size its
table of contents declares (it stops there and fails the checksum), so the declared sizes bound
what any later reader decompresses, and no member is decompressed whole to decide. The sheets are
then streamed once (openpyxl's read-only mode) to find formulas and count rows, stopping at the
first refusal. The XML parser is expat 2.4 or later, which refuses entity expansion bombs.
"""

import io
import zipfile
from collections.abc import Iterable
from xml.etree import ElementTree

import openpyxl
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Data rows on one sheet (header rows not counted). Per sheet, not over all of them: the
# register's own export of 300 activities has some 5,500 rows over its sheets (a row per
# purpose, data category, recipient, …), and it must come back in; its largest sheet has ~2,000.
MAX_ROWS = 5_000
HEADER_ROWS = 1  # the first row of every sheet names its columns

# A register of a few hundred activities is a few MB of XML; a 10 MB upload of ordinary text
# compresses some 5 to 10 times. More than this is not a register.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Text compresses well, but not a hundredfold: a large member that does is padding (a bomb).
MAX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# An XLSX of all the register's sheets has some 30 members.
MAX_MEMBERS = 1_000
# The small parts read here to decide (content types, relationships) are kilobytes.
MAX_PART_BYTES = 1024 * 1024
# The last row a spreadsheet program can have; openpyxl believes any row number a file claims
# and yields every empty row up to it, so a row "r=999999999999" would keep it busy for days.
MAX_ROW_NUMBER = 1_048_576

CONTENT_TYPES = "[Content_Types].xml"
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
MACRO_TYPES = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ".xlsm",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ".xltm",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": ".xlam",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": ".xlsb",
    "application/vnd.ms-office.vbaProject": "vbaProject.bin",
}
# A part with this content type pulls cells from another workbook, wherever in the archive it is
# stored (xl/externalLinks/ is only where Excel puts it).
EXTERNAL_LINK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
# A cell that holds a web address gets a hyperlink relationship to it (Excel makes one when
# someone types an address): the address is shown, nothing is fetched when the file is opened.
HYPERLINK_TYPE_SUFFIX = "/hyperlink"


class SpreadsheetRefused(ValidationError):
    """An upload the import does not read; the message (Dutch) says why and what to change."""


def _not_xlsx() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "Dit bestand is geen Excel-werkmap (.xlsx). Sla het in uw spreadsheetprogramma op als "
            "Excel-werkmap (.xlsx) en upload het opnieuw."
        ),
        code="not_xlsx",
    )


def _too_large() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("Dit bestand is groter dan 10 MB. Een register past ruim in een kleiner bestand."),
        code="too_large",
    )


def _unpacks_too_large() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "Dit bestand wordt uitgepakt veel groter dan een register kan zijn. "
            "Het wordt niet gelezen."
        ),
        code="zip_bomb",
    )


def _macros(found: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "Dit bestand bevat macro's (%(found)s). Sla het op als Excel-werkmap (.xlsx) zonder "
            "macro's en upload het opnieuw."
        )
        % {"found": found},
        code="macros",
    )


def _external_link(found: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "Dit bestand haalt gegevens uit een ander bestand of van internet (%(found)s). "
            "Verbreek de koppelingen (in Excel: Gegevens, Koppelingen bewerken) en upload het "
            "opnieuw."
        )
        % {"found": found},
        code="external_link",
    )


def _part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_PART_BYTES:
        raise _unpacks_too_large()
    return archive.read(info)


def _check_members(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _unpacks_too_large()
    if sum(info.file_size for info in members) > MAX_UNCOMPRESSED_BYTES:
        raise _unpacks_too_large()
    for info in members:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_RATIO:
            raise _unpacks_too_large()


def _check_parts(archive: zipfile.ZipFile) -> None:
    names = {info.filename.lower(): info for info in archive.infolist()}
    for name in names:
        if name.endswith("vbaproject.bin"):
            raise _macros(names[name].filename)
    for name in names:
        if name.startswith("xl/externallinks/"):
            raise _external_link(names[name].filename)
    if CONTENT_TYPES.lower() not in names:
        raise _not_xlsx()
    declared = _content_types(_part(archive, names[CONTENT_TYPES.lower()]))
    content_types = {content_type for _applies_to, content_type in declared}
    for macro_type, found in MACRO_TYPES.items():
        if macro_type.lower() in content_types:
            raise _macros(found)
    for applies_to, content_type in declared:
        if content_type == EXTERNAL_LINK_TYPE.lower():
            raise _external_link(applies_to)
    if not content_types & {spreadsheet_type.lower() for spreadsheet_type in SPREADSHEET_TYPES}:
        raise _not_xlsx()
    for name, info in names.items():
        if not name.endswith(".rels"):
            continue
        for relationship in _elements(_part(archive, info), "Relationship"):
            if _external(relationship):
                raise _external_link(info.filename)


def _elements(xml: bytes, local_name: str) -> list[ElementTree.Element]:
    """The elements named `local_name` (in whatever namespace) of a small XML part.

    Parsed, not searched with patterns: a pattern misses what the XML means but is written
    otherwise (single quotes, a character reference such as &#69;xternal, spaces), and a
    spreadsheet program reads the XML. The part's size is bounded by _part.
    """
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise _not_xlsx() from None
    return [element for element in root.iter() if element.tag.rpartition("}")[2] == local_name]


def _content_types(xml: bytes) -> list[tuple[str, str]]:
    """(what it applies to, content type in lower case) of every Override and Default in
    [Content_Types].xml: the part name of an Override, the extension of a Default. Media types
    are compared without regard to case (RFC 6838)."""
    found = []
    for kind, applies_to in (("Override", "PartName"), ("Default", "Extension")):
        for element in _elements(xml, kind):
            content_type = (element.get("ContentType") or "").strip().lower()
            found.append(((element.get(applies_to) or "").lstrip("/"), content_type))
    return found


def _external(relationship: ElementTree.Element) -> bool:
    """Whether a relationship points outside the file, other than a cell's web address.

    Any TargetMode other than Internal counts as outside: the standard knows only the two, and
    a program reading an unknown one may well fetch it.
    """
    mode = (relationship.get("TargetMode") or "Internal").strip().lower()
    if mode == "internal":
        return False
    return not (relationship.get("Type") or "").endswith(HYPERLINK_TYPE_SUFFIX)


def _formula(sheet: str, row: int, column: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _(
            "Blad %(sheet)s, rij %(row)s, kolom %(column)s bevat een formule. "
            "Zet er de waarde in, zonder =."
        )
        % {"sheet": sheet, "row": row, "column": get_column_letter(column)},
        code="formula",
    )


def _check_cells(workbook: openpyxl.Workbook, sheets: Iterable[str] | None) -> None:
    """Stream the sheets once: no formulas, at most MAX_ROWS rows of data on each."""
    names = workbook.sheetnames
    if sheets is not None:
        wanted = {str(name) for name in sheets}
        names = [name for name in names if name in wanted]
    for name in names:
        rows = 0
        worksheet = workbook[name]
        # The size a sheet claims for itself is the file's word: openpyxl would pad every row to
        # the claimed width and add empty rows up to the claimed height.
        worksheet.reset_dimensions()
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            if number > MAX_ROW_NUMBER:
                raise _not_xlsx()
            for column, cell in enumerate(cells, start=1):
                if cell.data_type == "f":
                    raise _formula(name, number, column)
            if number <= HEADER_ROWS or all(cell.value in (None, "") for cell in cells):
                continue
            rows += 1
            if rows > MAX_ROWS:
                raise SpreadsheetRefused(
                    _(
                        "Het blad %(sheet)s heeft meer dan %(limit)s rijen met gegevens (bij "
                        "rij %(row)s). Verdeel het register over meer bestanden."
                    )
                    % {
                        "limit": number_format(MAX_ROWS, force_grouping=True),
                        "sheet": name,
                        "row": number,
                    },
                    code="too_many_rows",
                )


def check_archive(data: bytes) -> None:
    """Refuse (SpreadsheetRefused) what is not a plain XLSX of a register's size, from its size
    and the archive's table of contents and small parts only: milliseconds, so a form can do it
    while the person waits. The cells are checked by open_spreadsheet."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_large()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _not_xlsx() from None
    with archive:
        _check_members(archive)
        _check_parts(archive)


def open_spreadsheet(data: bytes, *, sheets: Iterable[str] | None = None) -> openpyxl.Workbook:
    """The upload as a read-only workbook (formulas not evaluated), or SpreadsheetRefused.

    After check_archive, the sheets are streamed once to find formulas and count rows: some
    seconds for 5,000 rows, so this runs where the import runs (a job), not in a request.
    `sheets`: the names of the sheets the caller reads; only those are checked for formulas and
    counted, so that a sheet it ignores (the change log of an export) neither counts nor stops
    the upload. Without it, every sheet is checked. The checked sheets have their dimensions
    reset (see _check_cells): their rows come as long as the row's last cell in the file, so a
    reader pads short rows itself.
    """
    check_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        _check_cells(workbook, sheets)
    except SpreadsheetRefused:
        raise
    # The parts of a file a program wrote in its own way fail in many ways (a missing part, bad
    # XML, a style openpyxl does not know): to the person uploading, all are the same.
    except Exception:
        raise _not_xlsx() from None
    return workbook


class SpreadsheetField(forms.FileField):
    """An upload that check_archive accepts, refused by its size before a byte is read. Cleans
    to the uploaded file, read back to its start; the import opens it with open_spreadsheet."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Spreadsheet"))
        kwargs.setdefault(
            "help_text", gettext_lazy("Een Excel-werkmap (.xlsx) van hoogstens 10 MB.")
        )
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={
                    "accept": ".xlsx,application/vnd.openxmlformats-officedocument"
                    ".spreadsheetml.sheet"
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        # Django has the upload's size from the request (streamed to a temporary file above
        # FILE_UPLOAD_MAX_MEMORY_SIZE): a file too large is refused without reading it.
        if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
            raise _too_large()
        upload.seek(0)
        check_archive(upload.read())
        upload.seek(0)
        return upload
