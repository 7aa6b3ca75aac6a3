import pytest
from axe_playwright_python.sync_playwright import Axe

from privacyregister.roles import Role
from tests.factories import ActivityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"]}


def log_in(page, live_server, email: str, password: str = "een-lang-testwachtwoord") -> None:
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server.url + "/")


def assert_accessible(page) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_a_privacy_officer_logs_in_chooses_the_board_and_approves_an_activity(live_server, page):
    officer = MembershipFactory(
        user__email="pim@example.nl",
        board__name="Stichting Regenboogscholen",
        role=Role.PRIVACY_OFFICER,
    )
    ActivityFactory(board=officer.board, name="Leerlingadministratie")
    log_in(page, live_server, "pim@example.nl")
    page.get_by_role("link", name="Stichting Regenboogscholen").click()
    assert page.locator("h1").inner_text() == "Register van verwerkingen"
    assert_accessible(page)
    page.get_by_role("link", name="Leerlingadministratie").click()
    page.get_by_role("button", name="Vaststellen").click()
    # The approve page shows open advice and findings first; its button is the one that counts.
    page.get_by_role("button", name="Vaststellen").click()
    assert "De verwerking is vastgesteld." in page.locator(".messages").inner_text()
    assert_accessible(page)


def test_the_fg_reads_the_authorisation_matrix(live_server, page):
    fg = MembershipFactory(user__email="fg@example.nl", role=Role.FG)
    log_in(page, live_server, "fg@example.nl")
    page.goto(f"{live_server.url}/b/{fg.board.slug}/autorisatie/")
    assert page.locator("h1").inner_text() == "Autorisatiematrix"
    assert_accessible(page)


def test_the_login_page_has_no_accessibility_violations(live_server, page):
    page.goto(live_server.url + "/inloggen/")
    assert_accessible(page)
