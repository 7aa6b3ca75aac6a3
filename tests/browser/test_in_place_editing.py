"""Rows and terms added in the activity editor without leaving the page (htmx)."""

import pytest
from playwright.sync_api import expect

from privacyregister.roles import Role
from tests.browser.test_login_flow import log_in
from tests.factories import ActivityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_two_purpose_rows_keeps_the_page_and_its_place_and_both_are_saved(live_server, page):
    officer = MembershipFactory(user__email="pim@example.nl", role=Role.PRIVACY_OFFICER)
    board = officer.board
    activity = ActivityFactory(board=board, name="Leerlingzorg")
    log_in(page, live_server, "pim@example.nl")
    part = f"{live_server.url}/b/{board.slug}/register/{activity.pk}/bewerken"
    page.goto(f"{part}/gegevens/")
    page.locator("#id_gegevens-0-note").fill("Alleen wat de zorg nodig heeft")
    # A new subject group from within the form: it comes back ticked, the rest stays as typed.
    page.locator("#id_subject_groups-lijst summary").click()
    page.locator("#id_nieuw-subject_groups-name").fill("Ouders")
    page.locator("#id_subject_groups-lijst").get_by_role("button", name="Toevoegen").click()
    page.get_by_role("checkbox", name="Ouders", exact=True).wait_for()
    assert page.get_by_role("checkbox", name="Ouders", exact=True).is_checked()
    assert page.locator("#id_gegevens-0-note").input_value() == "Alleen wat de zorg nodig heeft"
    page.locator("#id_gegevens-0-note").fill("")
    page.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    assert "is opgeslagen." in page.locator(".messages").inner_text()

    page.set_viewport_size({"width": 1366, "height": 500})
    page.goto(f"{part}/doelen/")
    page.locator("#id_doelen-0-description").fill("Passend onderwijs bieden")
    page.locator("#id_doelen-0-legal_basis").select_option("c")
    page.locator("#id_doelen-0-legal_basis_detail").fill("Wet passend onderwijs")
    page.evaluate("window.stillThisPage = true")
    for row, (purpose, basis) in enumerate(
        [("Ouders informeren", "e"), ("Zorg afstemmen met de GGD", "e")], start=1
    ):
        add_row = page.locator("#doelen").get_by_role("button", name="Rij toevoegen")
        # In the middle of the screen, as someone reading down the form has it.
        add_row.evaluate("button => button.scrollIntoView({block: 'center'})")
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 0
        add_row.click()
        # htmx focuses the new row's autofocus field when the swap settles, a moment after the
        # row appears: wait for the focus itself, then check the page did not move.
        expect(page.locator(f"#id_doelen-{row}-description")).to_be_focused()
        assert page.evaluate("window.scrollY") == scrolled  # the page keeps its place
        page.keyboard.type(purpose)
        page.locator(f"#id_doelen-{row}-legal_basis").select_option(basis)
        page.locator(f"#id_doelen-{row}-legal_basis_detail").fill("Taak van algemeen belang")
    assert page.evaluate("window.stillThisPage") is True  # no navigation happened
    assert page.locator("#id_doelen-0-description").input_value() == "Passend onderwijs bieden"

    page.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    assert "is opgeslagen." in page.locator(".messages").inner_text()
    assert set(activity.purposes.values_list("description", flat=True)) == {
        "Passend onderwijs bieden",
        "Ouders informeren",
        "Zorg afstemmen met de GGD",
    }
    assert list(activity.subject_groups.values_list("name", flat=True)) == ["Ouders"]
