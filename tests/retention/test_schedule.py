import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from privacyregister.models import Board, User
from privacyregister.reference import read_fixture
from retention.services import schedule

pytestmark = pytest.mark.django_db
D = datetime.date


SEED_PERIODS = {
    "leerlingdossier": (2, "jaren"),
    "verwijzing-speciaal-onderwijs": (3, "jaren"),
    "verzuim-inschrijving": (5, "jaren"),
    "bekostiging": (7, "jaren"),
    "bezwaar-klachten": (5, "jaren"),
    "centraal-examen": (6, "maanden"),
    "camerabeelden": (4, "weken"),
    "personeelsdossier": (2, "jaren"),
    "loonbelasting-id": (5, "jaren"),
    "salarisadministratie": (7, "jaren"),
    "sollicitatiegegevens": (4, "weken"),
    "stagedossier": (2, "jaren"),
}


def test_every_seed_retention_period_is_a_default_with_its_source():
    defaults = {
        rule["reference_key"]: rule for rule in read_fixture("reference/retention_rules.json")
    }
    for key, (amount, unit) in SEED_PERIODS.items():
        assert (defaults[key]["period_amount"], defaults[key]["period_unit"]) == (amount, unit), key
        assert defaults[key]["legal_source"], key
    assert defaults["sollicitatiegegevens"]["exceptions"][0]["period_amount"] == 1


@pytest.mark.parametrize("board", ["cpow", "veluwse-onderwijsgroep"])
def test_every_demo_school_has_a_complete_schedule(demo, client, board):
    client.force_login(User.objects.get(email="fg@example.nl"))
    board_obj = Board.objects.get(slug=board)
    for school in board_obj.schools.all():
        rules = schedule(board_obj, school)
        names = set(rules.values_list("name", flat=True))
        assert {"Verzuim en in- en uitschrijving", "Gegevens voor de bekostiging"} <= names
        page = client.get(
            reverse("retention_schedule", kwargs={"board": board}), {"school": school.slug}
        )
        assert page.status_code == 200
        assert all(name in page.content.decode() for name in names)


def test_a_school_schedule_leaves_out_rules_of_other_schools_local_activities(demo):
    board = Board.objects.get(slug="cpow")
    with_camera = schedule(board, board.schools.get(slug="de-regenboog"))
    without_camera = schedule(board, board.schools.get(slug="de-wegwijzer"))
    assert with_camera.filter(name="Camerabeelden CPOW").exists()
    assert not without_camera.filter(name="Camerabeelden CPOW").exists()


def test_the_schedule_downloads_as_pdf_and_xlsx(demo, client):
    client.force_login(User.objects.get(email="fg@example.nl"))
    url = reverse("retention_schedule_download", kwargs={"board": "cpow", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(client.get(url, {"school": "de-regenboog"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Wat"
    assert "Camerabeelden CPOW" in [row[0] for row in rows]
    pdf = client.get(
        reverse("retention_schedule_download", kwargs={"board": "cpow", "format": "pdf"})
    )
    assert pdf.content.startswith(b"%PDF-")


def test_the_calculator_gives_the_destruction_date_per_rule(demo, client):
    client.force_login(User.objects.get(email="privacy-vog@example.nl"))
    url = reverse("retention_calculator", kwargs={"board": "veluwse-onderwijsgroep"})
    content = client.get(url, {"start": "2025-07-15"}).content.decode()
    assert "15 juli 2027" in content  # leerlingdossier: 2 years
    assert "15 juli 2030" in content  # verzuim: 5 years
    assert "12 augustus 2025" in content  # camera images: 4 weeks


def test_the_calculator_refuses_a_date_that_is_not_one(demo, client):
    client.force_login(User.objects.get(email="privacy-vog@example.nl"))
    url = reverse("retention_calculator", kwargs={"board": "veluwse-onderwijsgroep"})
    assert "Voer een geldige datum in." in client.get(url, {"start": "31-02-2025"}).content.decode()


def test_the_calendar_lists_what_falls_due_in_a_month(demo, client):
    client.force_login(User.objects.get(email="privacy-vog@example.nl"))
    url = reverse("retention_calendar", kwargs={"board": "veluwse-onderwijsgroep"})
    content = client.get(url, {"month": "2026-07"}).content.decode()
    assert "Leerlingdossier" in content  # pupils who left on 31 July 2024
    assert "31 juli 2024" in content
    assert "Camerabeelden" in content  # a standing duty
    school_year = client.get(url, {"school_year": "2025-2026"}).content.decode()
    assert "31 december 2025" in school_year  # funding records of school year 2018/19


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"month": "2026-13"}, "Kies een maand"),
        ({"school_year": "2025-2027"}, "van het ene jaar naar het volgende"),
    ],
)
def test_the_calendar_explains_bad_input(demo, client, params, message):
    client.force_login(User.objects.get(email="privacy-vog@example.nl"))
    url = reverse("retention_calendar", kwargs={"board": "veluwse-onderwijsgroep"})
    assert message in client.get(url, params).content.decode()


def test_the_reminder_command_runs_on_the_demo(demo):
    call_command("send_retention_reminders", dagen=400, verbosity=0)
    assert len(mail.outbox) >= 4
    assert {m.to[0] for m in mail.outbox} >= {"directie.de-regenboog@cpow.example"}
