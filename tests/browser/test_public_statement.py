"""A parent reads the school's privacy statement: no login, on the web and as PDF."""

import pytest
from django.utils import timezone

from privacyregister.roles import Role
from processing.statements import statement_publish
from tests.browser.test_login_flow import assert_accessible
from tests.factories import ActivityFactory, MembershipFactory, RetentionRuleFactory, SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_reads_the_statement_follows_the_contents_and_downloads_the_pdf(live_server, page):
    school = SchoolFactory(name="CBS De Regenboog", slug="de-regenboog")
    officer = MembershipFactory(board=school.board, role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(
        board=school.board,
        name="Leerlingadministratie",
        status="vastgesteld",
        approved_at=timezone.now(),
    )
    activity.purposes.create(
        description="Uw kind inschrijven", legal_basis="c", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory(board=school.board, name="Leerlingdossier"))
    statement_publish(
        actor=officer.user, board=school.board, school=school, change_summary="Eerste versie."
    )

    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/privacy/{school.board.slug}/de-regenboog/")
    assert "Privacyverklaring CBS De Regenboog" in page.locator("h1").first.inner_text()
    assert_accessible(page)
    page.locator("nav.toc").get_by_role("link", name="Hoe lang wij gegevens bewaren").click()
    assert page.url.endswith("#bewaren")
    assert page.locator("#bewaren").is_visible()
    assert "Leerlingdossier" in page.locator("#bewaren").inner_text()
    with page.expect_download() as download:
        page.evaluate(
            "() => { const a = document.querySelector('a[href$=\".pdf\"]');"
            " a.setAttribute('download', ''); a.click(); }"
        )
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_the_public_page_reads_well_on_a_phone(live_server, browser):
    school = SchoolFactory(slug="de-ark")
    officer = MembershipFactory(board=school.board, role=Role.PRIVACY_OFFICER)
    statement_publish(
        actor=officer.user, board=school.board, school=school, change_summary="Eerste."
    )
    phone = browser.new_page(viewport={"width": 375, "height": 700})
    phone.goto(f"{live_server.url}/privacy/{school.board.slug}/de-ark/")
    # Nothing sticks out sideways: no horizontal scrolling on a small screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(phone)
