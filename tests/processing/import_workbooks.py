"""Workbooks for the import tests, laid out by processing/register_sheets.py.

`register_workbook` writes a board's register as the export does (one row per version, the part
sheets keyed by Nr. and version); `workbook` writes rows given by column key, for bad input.
"""

import io
from datetime import datetime

from openpyxl import Workbook

from privacyregister.access import BoardAccess
from processing.register_entries import register_entries
from processing.register_sheets import ACTIVITIES, PARTS, REGISTER_SHEETS

IN_FORCE, DRAFT = "in werking", "concept"


def _cell(value):
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def workbook(rows: dict[str, list[dict]]) -> bytes:
    """A workbook with every register sheet and these rows (by sheet key, values by column key;
    a missing value is an empty cell)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in REGISTER_SHEETS:
        worksheet = book.create_sheet(str(sheet.title))
        worksheet.append([str(column.heading) for column in sheet.columns])
        for row in rows.get(sheet.key, []):
            worksheet.append([_cell(row.get(column.key)) for column in sheet.columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_rows(board, user) -> dict[str, list[dict]]:
    """The board's register (every status, drafts included) as rows of the sheets."""
    selection = register_entries(BoardAccess(user, board), {})
    rows: dict[str, list[dict]] = {sheet.key: [] for sheet in REGISTER_SHEETS}
    for entry in selection.entries:
        for version in entry.versions:
            data, fields = version.data, version.activity
            label = IN_FORCE if version.in_force else DRAFT
            rows[ACTIVITIES.key].append(
                {
                    **{column.key: data.get(column.key) for column in ACTIVITIES.columns},
                    "number": entry.number,
                    "version": label,
                    "schools": "alle scholen" if version.schools is None else version.schools,
                    "dpia_required": fields.dpia_required,
                    "dpia_done_on": fields.dpia_done_on,
                    "next_review_on": entry.activity.next_review_on,
                }
            )
            keys = {"number": entry.number, "activity": data["name"], "version": label}
            for sheet in PARTS:
                rows[sheet.key] += [{**keys, **part} for part in data[sheet.rows]]
    return rows


def register_workbook(board, user) -> bytes:
    return workbook(register_rows(board, user))


def activity(number: int | None, name: str, **values) -> dict:
    return {
        "number": number,
        "name": name,
        "version": DRAFT,
        "description": "Wat wij doen.",
        **values,
    }
