import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_privacy_officer_logs_in_and_sees_the_board(live_server, page):
    membership = MembershipFactory(
        user__email="pim@example.nl", board__name="Stichting Regenboogscholen"
    )
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Inloggen"
    page.get_by_label("E-mailadres").fill(membership.user.email)
    page.get_by_label("Wachtwoord").fill("een-lang-testwachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/")
    assert "Stichting Regenboogscholen" in page.locator("main").inner_text()


def test_the_login_page_has_no_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/inloggen/")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()
