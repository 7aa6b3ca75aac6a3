import csv
import io
import shutil
import subprocess
import tempfile
import zipfile

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from privacyregister.models import User
from privacyregister.roles import Role
from processing.models import ProcessingActivity, RegisterExport
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db
VOG = "veluwse-onderwijsgroep"


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True, check=True
        )
    return " ".join(text.stdout.split())


def download(client, board: str, format: str, **params):
    """Ask for an export as the export page does (a POST that queues the job, which the test
    task backend runs at once) and fetch its file; or return the refusal."""
    url = reverse("export_download", kwargs={"board": board, "format": format})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, params)
    if response.status_code != 302:
        return response
    export = RegisterExport.objects.latest("pk")
    return client.get(reverse("export_file", kwargs={"board": board, "pk": export.pk}))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")
def test_the_pdf_holds_every_article_30_field_for_every_activity(client, demo):
    client.force_login(User.objects.get(email="fg@example.nl"))
    response = download(client, VOG, "pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-')
    text = pdf_text(response.content)
    for fact in [
        "Register van verwerkingen Veluwse Onderwijsgroep",
        "D. Boersen",
        "servicedesk@veluwseonderwijsgroep.nl",
        "Geëxporteerd door Frank FG",
        "Bijlage A: wijzigingen",
        "Bijlage B: autorisatiematrix en rollen",
        "Bijlage C: open bevindingen en adviezen",
        "Pagina 1 van",
    ]:
        assert fact in text
    for activity in ProcessingActivity.objects.filter(board__slug=VOG):
        assert activity.name in text
    # Every activity (and its draft, where it has one) has a table of the art. 30 fields, also
    # when a field is empty.
    tables = text.count("Persoonsgegevens per groep")
    assert tables >= ProcessingActivity.objects.filter(board__slug=VOG).count()
    for label in [
        "Doelen en grondslagen",
        "Betrokkenen",
        "Ontvangers",
        "Verwerkers",
        "Doorgifte buiten de EER",
        "Bewaartermijnen",
        "Beveiligingsmaatregelen",
    ]:
        assert text.count(label) >= tables


def csv_sheet(content: bytes, name: str = "01-verwerkingen.csv") -> list[list[str]]:
    """One CSV file of the ZIP that the CSV export is, as rows of cells."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = archive.read(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_xlsx_has_one_row_per_version_and_a_sheet_per_part(client, demo):
    client.force_login(User.objects.get(email="fg@example.nl"))
    workbook = load_workbook(io.BytesIO(download(client, "cpow", "xlsx").content))
    assert workbook.sheetnames == [
        "Over dit bestand",
        "Verwerkingen",
        "Doelen",
        "Gegevens",
        "Bronnen",
        "Ontvangers",
        "Verwerkers",
        "Doorgifte",
        "Beveiliging",
        "Toegang",
        "Bewaartermijnen",
        "Cookies",
        "Ontvangers en verwerkers",
        "Wijzigingen",
        "Datalekken",  # the breach register, for who may see it (breaches/export.py)
    ]
    sheet = workbook["Verwerkingen"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nr.", "Verwerking", "Versie", "Status")
    activities = ProcessingActivity.objects.filter(board__slug="cpow")
    # Every activity has a row; an approved one that is being edited has two.
    assert sorted({row[0] for row in rows[1:]}) == sorted(a.number for a in activities)
    assert (
        len(rows) - 1
        == activities.count()
        + activities.exclude(approved_at=None).exclude(status="vastgesteld").count()
    )
    camera = next(row for row in rows[1:] if row[1] == "Cameratoezicht")
    assert camera[2:4] == ("in werking", "vastgesteld")
    processors = list(workbook["Verwerkers"].iter_rows(values_only=True))
    assert (
        (
            camera[0],
            "Cameratoezicht",
            "in werking",
            "Beveiligingsbedrijf (camerasysteem)",
            "concept",  # the processing agreement
        )
        in [(*row[:4], row[-1]) for row in processors]
    )
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref.startswith("A1:")


def test_the_csv_opens_in_excel_with_accents(client, demo):
    client.force_login(User.objects.get(email="fg@example.nl"))
    content = download(client, VOG, "csv").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert all(archive.read(name).startswith("\ufeff".encode()) for name in archive.namelist())
    rows = csv_sheet(content)
    activities = ProcessingActivity.objects.filter(board__slug=VOG)
    assert {row[0] for row in rows[1:]} == {str(a.number) for a in activities}
    assert any(
        "Zorgcoördinator" in cell for row in csv_sheet(content, "09-toegang.csv") for cell in row
    )


def test_every_export_is_recorded_and_listed_for_the_fg(client, demo):
    fg = User.objects.get(email="fg@example.nl")
    client.force_login(fg)
    download(client, VOG, "csv", status="vastgesteld")
    export = RegisterExport.objects.filter(board__slug=VOG, format="csv").order_by("pk").last()
    assert (export.exported_by, export.format) == (fg, "csv")
    assert dict(export.description)["Status"] == "vastgesteld"
    assert export.filters["status"] == "vastgesteld"
    page = client.get(reverse("export", kwargs={"board": VOG})).content.decode()
    assert "vastgesteld" in page and "CSV" in page


def test_the_change_log_shows_an_edit_made_here(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER, user__full_name="Pim Privacy")
    activity = ActivityFactory(board=officer.board, name="Leerlingvolgsysteem")
    client.force_login(officer.user)
    edit = reverse(
        "activity_edit_part",
        kwargs={"board": officer.board.slug, "pk": activity.pk, "part": "doelen"},
    )
    data = form_data(client.get(edit))
    data.update(
        {
            "doelen-0-description": "Nieuw doel",
            "doelen-0-legal_basis": "e",
        }
    )
    client.post(edit, data)
    workbook = load_workbook(io.BytesIO(download(client, officer.board.slug, "xlsx").content))
    headings, *log = workbook["Wijzigingen"].iter_rows(values_only=True)
    assert any(
        (row[1], row[3], row[4], row[7])
        == ("Pim Privacy", "Leerlingvolgsysteem", "doel toegevoegd", "Nieuw doel")
        for row in log
    )


def test_cells_that_look_like_formulas_are_neutralised(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory(
        board=officer.board, name='=HYPERLINK("http://kwaad.example","klik")', description="+1+1"
    )
    client.force_login(officer.user)
    rows = csv_sheet(download(client, officer.board.slug, "csv").content)
    assert rows[1][1].startswith("'=")
    assert rows[1][rows[0].index("Uitleg in gewone taal")] == "'+1+1"
    sheet = load_workbook(io.BytesIO(download(client, officer.board.slug, "xlsx").content))[
        "Verwerkingen"
    ]
    assert sheet["B2"].value.startswith("'=")
    assert sheet["B2"].data_type == "s"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"school": "999999"}, "Selecteer een geldige keuze"),
        ({"start": "2026-05-01", "end": "2026-04-01"}, "De einddatum ligt vóór de begindatum."),
        ({"start": "geen datum"}, "Voer een geldige datum in."),
    ],
)
def test_bad_filters_give_a_message_and_no_export(client, params, message):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    response = download(client, officer.board.slug, "pdf", **params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RegisterExport.objects.exists()


def test_a_school_of_another_board_is_not_a_valid_filter(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    foreign = SchoolFactory()
    client.force_login(officer.user)
    response = download(client, officer.board.slug, "csv", school=foreign.pk)
    assert response.status_code == 400
    assert not RegisterExport.objects.exists()


def test_a_schoolleider_exports_only_the_own_school(client):
    school = SchoolFactory()
    other = SchoolFactory(board=school.board)
    leader = MembershipFactory(board=school.board, role=Role.SCHOOLLEIDER, school=school)
    shared = ActivityFactory(board=school.board, name="Voor iedereen")
    own = ActivityFactory(board=school.board, name="Eigen camera", applies_to_all_schools=False)
    own.schools.set([school])
    theirs = ActivityFactory(board=school.board, name="Andere camera", applies_to_all_schools=False)
    theirs.schools.set([other])
    client.force_login(leader.user)
    content = str(csv_sheet(download(client, school.board.slug, "csv").content))
    assert shared.name in content and own.name in content
    assert theirs.name not in content
    assert download(client, school.board.slug, "csv", school=other.pk).status_code == 400


def test_an_export_file_is_offered_to_its_maker_only(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    ActivityFactory.create_batch(2, board=officer.board)
    client.force_login(officer.user)
    assert download(client, officer.board.slug, "pdf").content.startswith(b"%PDF-")
    export = RegisterExport.objects.get()
    file_url = reverse("export_file", kwargs={"board": officer.board.slug, "pk": export.pk})
    colleague = MembershipFactory(board=officer.board, role=Role.FG)
    client.force_login(colleague.user)
    assert client.get(file_url).status_code == 404


def test_an_exports_period_is_described_with_dutch_dates(officer):
    import datetime

    from processing.forms import ExportFilterForm

    form = ExportFilterForm({"start": "2026-05-01", "end": "2026-11-24"}, board=officer.board)
    assert form.is_valid(), form.errors
    assert ("Wijzigingen", "1 mei 2026 – 24 november 2026") in form.description()
    assert datetime.date(2026, 5, 1).isoformat() not in str(form.description())
