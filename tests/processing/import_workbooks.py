"""Workbooks for the import tests: `register_workbook` is a board's register as the XLSX export
writes it; `workbook` writes rows given by column key on the sheets of register_sheets.py, for
files a person might make (and get wrong)."""

import io
from datetime import datetime

from openpyxl import Workbook

from privacyregister.access import BoardAccess
from processing import register_xlsx
from processing.register_entries import register_entries
from processing.register_sheets import REGISTER_SHEETS

DRAFT = "concept"


def _cell(value):
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def workbook(rows: dict[str, list[dict]]) -> bytes:
    """A workbook with every register sheet and these rows (by sheet key, values by column key;
    a missing value is an empty cell)."""
    book = Workbook(write_only=True)
    for sheet in REGISTER_SHEETS:
        worksheet = book.create_sheet(str(sheet.title))
        worksheet.append([str(column.heading) for column in sheet.columns])
        for row in rows.get(sheet.key, []):
            worksheet.append([_cell(row.get(column.key)) for column in sheet.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_workbook(board, user) -> bytes:
    """The board's register as the XLSX export writes it (every status, drafts included)."""
    return register_xlsx.export_xlsx(
        board=board,
        selection=register_entries(BoardAccess(user, board), {}),
        changes=[],
        filters=[],
        exported_by=user,
    )


def activity(number: int | None, name: str, **values) -> dict:
    return {
        "number": number,
        "name": name,
        "version": DRAFT,
        "description": "Wat wij doen.",
        **values,
    }
