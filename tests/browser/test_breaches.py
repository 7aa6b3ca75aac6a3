"""Issue 20 end to end in Chromium: a parent reports a leak on the board's public page, the
privacy officer handles it against the 72-hour clock, and the FG finds it in the export."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from breaches.models import Breach
from tests.browser.test_login_flow import assert_accessible, log_in
from workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WHAT = "Mijn dochter kreeg een e-mail met de cijferlijst van de hele klas 7b."


def test_a_parent_reports_a_leak_the_officer_handles_it_and_the_fg_sees_it_exported(
    live_server, page
):
    load_demo()
    page.set_default_timeout(30_000)

    # The parent: from the school's statement to the report form.
    page.goto(f"{live_server.url}/privacy/cpow/")
    page.get_by_role("link", name="Datalek melden").first.click()
    assert_accessible(page)
    page.get_by_label("Wat is er gebeurd?").fill(WHAT)
    page.get_by_label("Wanneer merkte u het?").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Bij welke school?").select_option(label="CBS De Regenboog")
    page.get_by_label("Uw e-mailadres").fill("ouder@example.nl")
    page.get_by_role("button", name="Melding versturen").click()
    breach = Breach.objects.get(what_happened=WHAT)
    assert breach.reference in page.locator("main").inner_text()
    assert_accessible(page)

    # The privacy officer: link the activity, decide, record the notification, close.
    log_in(page, live_server, "privacy@example.nl", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/b/cpow/datalekken/")
    page.get_by_role("link", name=breach.reference).click()
    assert "nog 71 uur" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Verwerkingen koppelen").click()
    activity = breach.board.activities.get(name="Onderwijs, toetsing en leerlingvolgsysteem")
    page.get_by_label(f"{activity.number}. {activity.name}").check()
    page.get_by_role("button", name="Koppelen").click()
    # The facts page, filled in from the register: the activity's groups of people and data.
    assert page.get_by_label("Betrokkenen", exact=True).input_value() == "Leerlingen"
    assert_accessible(page)
    page.get_by_label("Aantal betrokkenen (ongeveer)").fill("28")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Besluit: melden of niet").click()
    assert_accessible(page)
    page.locator("#id_personal_data_involved_0").check()  # ja
    page.locator("#id_risk_unlikely_1").check()  # nee
    page.locator("#id_high_risk_1").check()  # nee
    page.get_by_label("Motivering").fill(
        "Cijfers van 28 leerlingen bij één ouder; teruggevraagd, maar niet zeker verwijderd."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    assert "Melden bij de AP" in page.locator("main").inner_text()
    page.get_by_label("Gemeld op").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Meldnummer van de AP").fill("M-2026-1234")
    page.get_by_role("button", name="Vastleggen").first.click()
    assert "M-2026-1234" in page.locator("main").inner_text()
    page.get_by_role("link", name="Afsluiten").first.click()
    page.get_by_role("button", name="Afsluiten").click()
    breach.refresh_from_db()
    assert breach.status == Breach.Status.CLOSED
    assert breach.ap_reference == "M-2026-1234"
    assert list(breach.activities.all()) == [activity]

    # The FG: the breach is in the register's spreadsheet.
    page.context.clear_cookies()
    log_in(page, live_server, "fg@example.nl", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/b/cpow/export/")
    page.get_by_role("button", name="Excel", exact=True).click()
    page.get_by_text("Het bestand wordt gemaakt.").wait_for()
    with page.expect_download() as download:
        page.locator("table tbody tr").first.get_by_role("link", name="downloaden").click()
    with open(download.value.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read()))["Datalekken"]
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert breach.reference in cells
    assert "M-2026-1234" in cells
