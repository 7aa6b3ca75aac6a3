"""The register as a real spreadsheet (XLSX) and as CSV files in a ZIP: the version in force
per format, a header row that reads as one, real dates, a sheet per repeating part keyed by the
register number, the change log field by field, and no formulas from the register's text."""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from processing.register_xlsx import register_template
from tests.factories import ActivityFactory
from tests.forms import form_data
from tests.processing.test_exports import download

pytestmark = pytest.mark.django_db


def xlsx(client, board, **params):
    response = download(client, board.slug, "xlsx", **params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def records(sheet) -> list[dict]:
    """The rows of a sheet as {heading: value}."""
    headings, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(headings, row, strict=True)) for row in rows]


def csv_files(client, board, **params) -> dict[str, list[dict]]:
    response = download(client, board.slug, "csv", **params)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    files = {}
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            assert content.startswith("\ufeff".encode()), name
            reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
            files[name] = list(reader)
    return files


def test_an_approved_xlsx_holds_the_version_in_force_of_an_edited_activity_marked(
    client, officer, edited
):
    workbook = xlsx(client, officer.board, status="vastgesteld")
    [row] = records(workbook["Verwerkingen"])
    assert (row["Nr."], row["Verwerking"], row["Versie"]) == (
        edited.number,
        edited.name,
        "in werking",
    )
    assert row["Status"] == "vastgesteld"
    assert row["Nieuwere versie in bewerking"] == "ja"
    assert row["Eigenaar"] == str(officer.user)
    assert row["Vastgesteld door"] == str(officer.user)
    assert [p["Doel"] for p in records(workbook["Doelen"])] == ["Onderwijs geven"]


def test_an_xlsx_of_everything_gives_the_version_in_force_and_the_draft_as_two_rows(
    client, officer, edited
):
    workbook = xlsx(client, officer.board)
    rows = records(workbook["Verwerkingen"])
    assert [(r["Nr."], r["Versie"], r["Status"]) for r in rows] == [
        (edited.number, "in werking", "vastgesteld"),
        (edited.number, "concept", "concept"),
    ]
    assert rows[1]["Vastgesteld op"] is None  # the draft is not approved
    purposes = [(p["Nr."], p["Versie"], p["Doel"]) for p in records(workbook["Doelen"])]
    assert purposes == [
        (edited.number, "in werking", "Onderwijs geven"),
        (edited.number, "concept", "Onderwijs op afstand"),
    ]


def test_an_approved_csv_zip_holds_the_version_in_force_of_an_edited_activity_marked(
    client, officer, edited
):
    files = csv_files(client, officer.board, status="vastgesteld")
    [row] = files["01-verwerkingen.csv"]
    assert (row["Nr."], row["Versie"], row["Nieuwere versie in bewerking"]) == (
        str(edited.number),
        "in werking",
        "ja",
    )
    assert row["Vastgesteld op"] == "1-11-2025"
    assert [p["Doel"] for p in files["02-doelen.csv"]] == ["Onderwijs geven"]


def test_a_csv_zip_of_everything_gives_both_versions_and_a_file_per_sheet(client, officer, edited):
    files = csv_files(client, officer.board)
    assert list(files)[:3] == ["00-over-dit-bestand.csv", "01-verwerkingen.csv", "02-doelen.csv"]
    assert {"13-wijzigingen.csv", "12-ontvangers-en-verwerkers.csv"} <= set(files)
    assert [(r["Versie"], r["Status"]) for r in files["01-verwerkingen.csv"]] == [
        ("in werking", "vastgesteld"),
        ("concept", "concept"),
    ]
    assert [p["Doel"] for p in files["02-doelen.csv"]] == [
        "Onderwijs geven",
        "Onderwijs op afstand",
    ]


def test_the_header_row_is_bold_wrapped_frozen_and_filtered_with_the_columns_widths(
    client, officer, edited
):
    workbook = xlsx(client, officer.board)
    sheet = workbook["Verwerkingen"]
    assert sheet["A1"].font.bold and sheet["A1"].alignment.wrap_text
    # Below the header and beside the number and the name.
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == "A1:Y3"
    assert sheet.column_dimensions["A"].width == 6  # Nr.
    assert sheet.column_dimensions["G"].width == 60  # the plain-language description
    assert sheet["G2"].alignment.wrap_text
    assert workbook["Wijzigingen"].freeze_panes == "A2"


def test_dates_are_real_date_cells_shown_in_dutch(client, officer, edited):
    sheet = xlsx(client, officer.board)["Verwerkingen"]
    headings = [cell.value for cell in sheet[1]]
    approved = sheet.cell(2, headings.index("Vastgesteld op") + 1)
    assert approved.is_date and approved.value.date() == datetime.date(2025, 11, 1)
    assert approved.number_format == "[$-413]d mmmm yyyy"
    changed = sheet.cell(2, headings.index("Laatste wijziging") + 1)
    assert changed.is_date and changed.number_format == "d-m-yyyy hh:mm"
    # Excel has no time zones: the board's local time, without one.
    assert changed.value == timezone.localtime(edited.history.latest().history_date).replace(
        tzinfo=None, microsecond=0
    )


def test_a_part_sheet_is_keyed_by_the_register_number(client, officer):
    first = ActivityFactory(board=officer.board, name="Camera")
    second = ActivityFactory(board=officer.board, name="Administratie")
    first.purposes.create(description="Veiligheid", legal_basis="f")
    second.purposes.create(description="Leerlingen inschrijven", legal_basis="c")
    second.purposes.create(description="Bekostiging", legal_basis="c")
    workbook = xlsx(client, officer.board)
    purposes = records(workbook["Doelen"])
    assert [(p["Nr."], p["Verwerking"], p["Doel"]) for p in purposes] == [
        (first.number, "Camera", "Veiligheid"),
        (second.number, "Administratie", "Leerlingen inschrijven"),
        (second.number, "Administratie", "Bekostiging"),
    ]
    assert purposes[0]["Grondslag"].startswith("gerechtvaardigd belang")
    assert workbook["Doelen"].freeze_panes == "C2"


def test_the_change_sheet_names_the_field_with_its_old_and_new_value_and_who(
    client, officer, edited
):
    changes = records(xlsx(client, officer.board)["Wijzigingen"])
    changed = [c for c in changes if c["Oud"] == "Onderwijs geven"]
    assert changed, changes
    [row] = changed
    assert row["Nieuw"] == "Onderwijs op afstand"
    assert (row["Veld"], row["Wat"]) == ("doel", "doel gewijzigd: Onderwijs op afstand")
    assert (row["Nr."], row["Verwerking"], row["Wie"]) == (
        edited.number,
        "Leerlingvolgsysteem",
        str(officer.user),
    )
    assert isinstance(row["Wanneer"], datetime.datetime)


def test_an_approved_xlsx_names_an_activity_with_a_renamed_draft_once_as_in_force(
    client, officer, edited
):
    edited.name = "Leerlingvolgsysteem (nieuw)"
    edited.save()
    workbook = xlsx(client, officer.board, status="vastgesteld")
    [row] = records(workbook["Verwerkingen"])
    changes = records(workbook["Wijzigingen"])
    assert {c["Verwerking"] for c in changes} == {row["Verwerking"]} == {"Leerlingvolgsysteem"}


def test_an_added_row_stands_in_the_change_sheet_with_its_text_under_new(client, officer):
    activity = ActivityFactory(board=officer.board, name="Leerlingvolgsysteem")
    url = reverse(
        "activity_edit_part",
        kwargs={"board": officer.board.slug, "pk": activity.pk, "part": "doelen"},
    )
    data = form_data(client.get(url))
    data.update({"doelen-0-description": "Nieuw doel", "doelen-0-legal_basis": "e"})
    client.post(url, data)
    changes = records(xlsx(client, officer.board)["Wijzigingen"])
    assert {
        "Wat": "doel toegevoegd",
        "Veld": None,
        "Oud": None,
        "Nieuw": "Nieuw doel",
    }.items() <= next(c for c in changes if c["Wat"] == "doel toegevoegd").items()


def test_a_save_of_the_activity_that_changed_no_visible_field_has_no_change_row(
    client, officer, edited
):
    edited.save()  # a new version of the activity with no field a person sees changed
    changes = records(xlsx(client, officer.board)["Wijzigingen"])
    assert [c for c in changes if c["Wat"] == "verwerking gewijzigd" and not c["Veld"]] == []
    assert [c for c in changes if c["Wat"] == "verwerking gewijzigd"]  # the real one stays


def test_cells_that_look_like_formulas_stay_text_in_both_formats(client, officer):
    activity = ActivityFactory(
        board=officer.board, name='=HYPERLINK("http://kwaad.example","klik")', description="+1+1"
    )
    activity.purposes.create(description="@SUM(A1)", legal_basis="e")
    workbook = xlsx(client, officer.board)
    sheet = workbook["Verwerkingen"]
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s"
    assert records(sheet)[0]["Uitleg in gewone taal"] == "'+1+1"
    assert records(workbook["Doelen"])[0]["Doel"] == "'@SUM(A1)"
    files = csv_files(client, officer.board)
    assert files["01-verwerkingen.csv"][0]["Verwerking"].startswith("'=")
    assert files["02-doelen.csv"][0]["Doel"] == "'@SUM(A1)"


def test_the_first_sheet_says_whose_register_when_by_whom_and_what_each_sheet_holds(
    client, officer, edited
):
    workbook = xlsx(client, officer.board, status="vastgesteld")
    assert workbook.sheetnames[0] == "Over dit bestand"
    about = dict(workbook["Over dit bestand"].iter_rows(values_only=True))
    assert about["Register van verwerkingen"] == officer.board.name
    assert isinstance(about["Peilmoment"], datetime.datetime)
    assert about["Geëxporteerd door"] == str(officer.user)
    assert about["Status"] == "vastgesteld"
    for title in workbook.sheetnames[1:]:
        assert about[title], title


def test_the_board_wide_sheet_lists_every_recipient_with_its_processing_agreement(client, officer):
    officer.board.recipients.create(
        name="Cloudleverancier",
        kind="verwerker",
        country="US",
        in_eea=False,
        dpa_status="getekend",
        dpa_signed_on=datetime.date(2025, 3, 1),
    )
    [row] = records(xlsx(client, officer.board)["Ontvangers en verwerkers"])
    assert (row["Naam"], row["Binnen de EER"]) == ("Cloudleverancier", "nee")
    assert row["Getekend op"].date() == datetime.date(2025, 3, 1)


def test_the_blank_template_opens_with_every_sheet_and_explains_each_column():
    from processing.register_sheets import REGISTER_SHEETS

    workbook = load_workbook(io.BytesIO(register_template()))
    assert workbook.sheetnames == ["Uitleg", *(str(sheet.title) for sheet in REGISTER_SHEETS)]
    for sheet in REGISTER_SHEETS:
        headings = [cell.value for cell in workbook[str(sheet.title)][1]]
        assert headings == [str(column.heading) for column in sheet.columns]
        assert workbook[str(sheet.title)].max_row == 1
    explanation = records(workbook["Uitleg"])
    assert len(explanation) == sum(len(sheet.columns) for sheet in REGISTER_SHEETS)
    basis = next(r for r in explanation if (r["Blad"], r["Kolom"]) == ("Doelen", "Grondslag"))
    assert basis["Verplicht"] == "ja"
    assert "gerechtvaardigd belang" in basis["Toegestane waarden"]
    access = next(r for r in explanation if (r["Blad"], r["Kolom"]) == ("Toegang", "Toegang"))
    assert access["Toegestane waarden"]
    dpia = next(r for r in explanation if r["Kolom"] == "DPIA nodig")
    assert (dpia["Verplicht"], dpia["Toegestane waarden"]) == ("nee", "ja; nee")
