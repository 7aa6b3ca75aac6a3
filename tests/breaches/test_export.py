"""The FG's register export carries the breach register: appendix D of the PDF and the sheet
"Datalekken" of the spreadsheet, only the breaches the exporter may see."""

import datetime
import io
import shutil

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from breaches import services
from breaches.models import Breach
from privacyregister.dates import dutch_moment
from privacyregister.roles import Role
from tests.factories import ActivityFactory, BreachFactory, MembershipFactory, SchoolFactory
from tests.processing.test_exports import download, pdf_text

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.PRIVACY_OFFICER)


def notified(board, officer_user, school=None) -> Breach:
    breach = services.breach_report(
        breach=BreachFactory.build(
            board=board,
            source=Breach.Source.STAFF,
            discovered_at=timezone.now() - 30 * HOUR,
            school=school,
        )
    )
    breach.nature = "Cijferlijst naar de verkeerde ouders gemaild"
    breach.approx_people = 28
    breach.consequences = "Ouders zien de cijfers van andere kinderen."
    breach.measures_taken = "Ouders gevraagd de mail te verwijderen."
    services.breach_assess(actor=officer_user, breach=breach)
    activity = ActivityFactory.create(board=board)
    services.breach_link(
        actor=officer_user, breach=breach, activities=[activity], processors=[], schools=[]
    )
    services.breach_decide(
        actor=officer_user,
        breach=breach,
        personal_data_involved=True,
        risk_unlikely=False,
        high_risk=False,
        motivation="Cijferlijsten van een klas waren een dag in te zien.",
    )
    services.breach_record_ap_notification(
        actor=officer_user,
        breach=breach,
        notified_at=timezone.now() - 2 * HOUR,
        reference="M-2026-123",
    )
    return breach


def sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content))["Datalekken"]
    return list(sheet.iter_rows(values_only=True))


def test_the_spreadsheet_has_a_sheet_of_breaches_with_the_decision_and_the_notification(
    client, officer
):
    breach = notified(officer.board, officer.user)
    fg = MembershipFactory(board=officer.board, role=Role.FG)
    client.force_login(fg.user)
    heading, row = sheet_rows(download(client, officer.board.slug, "xlsx").content)
    assert heading[:3] == ("Kenmerk", "Status", "Bekend bij het bestuur op")
    assert heading[3:13] == (
        "Wanneer ontdekt",
        "Wanneer gebeurd",
        "Aard van het lek",
        "Soorten persoonsgegevens",
        "Betrokkenen",
        "Aantal betrokkenen (ongeveer)",
        "Aantal gegevensrecords (ongeveer)",
        "Waarschijnlijke gevolgen",
        "Genomen maatregelen",
        "Voorgestelde maatregelen",
    )
    assert heading[13] == "Besluit"
    values = dict(zip(heading, row, strict=True))
    assert values["Aard van het lek"] == "Cijferlijst naar de verkeerde ouders gemaild"
    assert values["Aantal betrokkenen (ongeveer)"] == 28
    assert values["Waarschijnlijke gevolgen"] == "Ouders zien de cijfers van andere kinderen."
    assert values["Genomen maatregelen"] == "Ouders gevraagd de mail te verwijderen."
    assert values["Wanneer ontdekt"] is not None
    assert values["Kenmerk"] == breach.reference
    assert values["Besluit"] == "melden bij de AP, de betrokkenen niet informeren"
    assert values["Motivering"].startswith("Cijferlijsten")
    assert values["Meldnummer AP"] == "M-2026-123"
    assert values["Verwerkingen (registernummer)"] == str(breach.activities.get().number)
    about = load_workbook(io.BytesIO(download(client, officer.board.slug, "xlsx").content))
    assert "Datalekken" in [cell.value for cell in about["Over dit bestand"]["A"]]


def test_a_school_leader_exports_only_the_breaches_of_their_school(client, officer):
    school = SchoolFactory(board=officer.board)
    own = notified(officer.board, officer.user, school=school)
    notified(officer.board, officer.user, school=SchoolFactory(board=officer.board))
    leader = MembershipFactory(board=officer.board, role=Role.SCHOOLLEIDER, school=school)
    client.force_login(leader.user)
    rows = sheet_rows(download(client, officer.board.slug, "xlsx").content)
    assert [row[0] for row in rows[1:]] == [own.reference]


def test_the_breaches_of_the_chosen_period_only(client, officer):
    breach = notified(officer.board, officer.user)
    client.force_login(officer.user)
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=1)).isoformat()
    assert len(sheet_rows(download(client, officer.board.slug, "xlsx", start=later).content)) == 1
    rows = sheet_rows(download(client, officer.board.slug, "xlsx", end=today.isoformat()).content)
    assert rows[1][0] == breach.reference


def test_the_csv_export_has_a_file_of_breaches(client, officer):
    import zipfile

    notified(officer.board, officer.user)
    client.force_login(officer.user)
    archive = zipfile.ZipFile(io.BytesIO(download(client, officer.board.slug, "csv").content))
    assert any(name.endswith("-datalekken.csv") for name in archive.namelist())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")
def test_the_pdf_has_appendix_d_with_the_breaches(client, officer):
    breach = notified(officer.board, officer.user)
    client.force_login(officer.user)
    text = pdf_text(download(client, officer.board.slug, "pdf").content)
    assert text.count("Bijlage D: Datalekken") == 2  # contents and the appendix
    appendix = text[text.rindex("Bijlage D: Datalekken") :]
    assert breach.reference in appendix
    assert "Meldnummer AP M-2026-123" in appendix
    assert "melden bij de AP, de betrokkenen niet informeren" in appendix
    assert f"Bekend bij het bestuur op {dutch_moment(breach.aware_at)}" in appendix
    assert "Aard van het lek Cijferlijst naar de verkeerde ouders gemaild" in appendix
    assert "Aantal betrokkenen (ongeveer) 28" in appendix
