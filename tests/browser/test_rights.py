import pytest

from rights.models import RightsRequest
from tests.browser.test_login_flow import assert_accessible, log_in
from workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_request_is_handled_end_to_end_on_the_demo(live_server, page):
    load_demo()
    log_in(page, live_server, "privacy@example.nl", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/b/cpow/verzoeken/")
    assert "dagen" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Verzoek registreren").click()
    page.get_by_label("School").select_option(label="CBS De Regenboog")
    page.get_by_label("Soort verzoek").select_option("inzage")
    page.get_by_label("Verzoek gedaan door").select_option("ouder")
    page.get_by_label("Naam verzoeker").fill("A. Ouder")
    page.get_by_label("Contactgegevens verzoeker").fill("a.ouder@example.nl")
    page.get_by_label("Ontvangen op").fill("2026-04-14")
    page.get_by_label("Ontvangen via").select_option("email")
    page.get_by_role("button", name="Registreren").click()
    assert "15 mei 2026" in page.locator("hgroup").inner_text()
    page.get_by_role("button", name="In behandeling nemen").click()
    page.get_by_text("Besluit en afsluiten").click()
    page.get_by_label("Motivering").fill("Inzage gegeven in het leerlingdossier.")
    page.get_by_role("button", name="Afsluiten").click()
    assert "afgehandeld" in page.locator("hgroup").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Besluit (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert RightsRequest.objects.get(requester_name="A. Ouder").status == "afgehandeld"
