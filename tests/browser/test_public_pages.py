"""Every public page on a 390 px wide phone: nothing scrolls sideways, and the pages parents
find (the list of boards, the search, a board's page) pass axe-core."""

import pytest

from privacyregister.models import Board
from privacyregister.roles import Role
from processing.statements import statement_publish
from tests.browser.test_login_flow import assert_accessible
from tests.factories import SchoolFactory
from workspace.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _second_version(board: Board) -> None:
    """A second statement with a renamed retention rule, so the change page shows a table row."""
    rule = board.retention_rules.filter(activities__status="vastgesteld").first()
    assert rule is not None
    rule.name = f"{rule.name} (bijgewerkt, met foto's)"
    rule.save()
    officer = board.memberships.filter(role=Role.PRIVACY_OFFICER).first()
    assert officer is not None
    statement_publish(
        actor=officer.user, board=board, school=None, change_summary="Bewaartermijn hernoemd."
    )


def test_no_public_page_is_wider_than_a_phone(live_server, browser):
    load_demo()
    _second_version(Board.objects.get(slug="cpow"))
    nothing_yet = SchoolFactory(name="De Nieuwe School")  # a board that has published nothing
    pages = {
        "besturen": ("/privacy/", True),
        "zoeken": ("/privacy/?zoek=heerhugowaard", True),
        "niets gevonden": ("/privacy/?zoek=onvindbaar", True),
        "bestuur": ("/privacy/cpow/", True),
        "verklaring bestuur": ("/privacy/cpow/privacyverklaring/", False),
        "verklaring school": ("/privacy/veluwse-onderwijsgroep/cortenbosch/", False),
        "school met die van het bestuur": ("/privacy/cpow/de-ark/", True),
        "versies": ("/privacy/cpow/versies/", True),
        "verschil": ("/privacy/cpow/verschil/", True),
        "versie": ("/privacy/cpow/v1/", False),
        "nog niet gepubliceerd": (f"/privacy/{nothing_yet.board.slug}/{nothing_yet.slug}/", True),
        "404": ("/privacy/cpow/bestaat-niet/v1/", True),
    }
    phone = browser.new_page(viewport=PHONE)
    phone.set_default_timeout(10_000)
    too_wide = {}
    for name, (path, check_accessibility) in pages.items():
        phone.goto(live_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        if check_accessibility:
            assert_accessible(phone)
    assert too_wide == {}
    phone.goto(live_server.url + "/privacy/cpow/verschil/")
    assert "met foto's" in phone.locator(".changes").inner_text()


def test_a_parent_searches_for_the_school_and_reads_the_statement_that_applies(live_server, page):
    load_demo()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/privacy/")
    page.get_by_label("Naam of plaats van de school").fill("broek op langedijk")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="CBS De Ark").click()
    assert "Deze school heeft geen eigen privacyverklaring." in page.locator("main").inner_text()
    assert "Privacyverklaring Stichting CPOW" in page.locator("h1").first.inner_text()
