import pytest

from tests.browser.test_login_flow import assert_accessible, log_in
from workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_destruction_calendar_and_calculator_work_in_the_browser(live_server, page):
    load_demo()
    log_in(page, live_server, "privacy-vog@example.nl", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/b/veluwse-onderwijsgroep/bewaartermijnen/")
    assert "Leerlingdossier" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Vernietigingskalender").click()
    page.get_by_label("Of een schooljaar").fill("2025-2026")
    page.get_by_role("button", name="Toon").click()
    table = page.locator("table").inner_text()
    assert "Leerlingdossier" in table and "31 juli 2026" in table
    assert_accessible(page)
    page.goto(f"{live_server.url}/b/veluwse-onderwijsgroep/bewaartermijnen/rekenhulp/")
    page.get_by_label("Datum van de gebeurtenis").fill("2025-07-15")
    page.get_by_role("button", name="Bereken").click()
    assert "15 juli 2027" in page.locator("table").inner_text()
