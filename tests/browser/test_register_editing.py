"""The privacy officer's daily work, end to end in Chromium."""

import pytest
from django.utils import timezone

from privacyregister.roles import Role
from tests.browser.test_login_flow import assert_accessible, log_in
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    SchoolFactory,
    SubjectGroupFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_privacy_officer_creates_an_activity_and_approves_it(live_server, page):
    officer = MembershipFactory(user__email="pim@example.nl", role=Role.PRIVACY_OFFICER)
    board = officer.board
    pupils = SubjectGroupFactory(board=board, name="Leerlingen")
    DataCategoryFactory(
        board=board, name="Gezondheidsgegevens", kind="bijzonder", special_type="gezondheid"
    )
    RecipientFactory(board=board, name="Jeugdgezondheidszorg", kind="zorgpartner")
    rule = board.retention_rules.create(
        name="Leerlingdossier",
        period_amount=2,
        period_unit="jaren",
        start_event="einde_inschrijving",
    )
    log_in(page, live_server, "pim@example.nl")
    page.goto(f"{live_server.url}/b/{board.slug}/register/")
    page.get_by_role("button", name="Nieuwe verwerking").click()
    assert_accessible(page)
    page.locator("#id_name").fill("Leerlingzorg")
    page.get_by_label("Uitleg in gewone taal").fill(
        "Wij helpen leerlingen die extra zorg nodig hebben."
    )
    page.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    assert "Beschrijving is opgeslagen." in page.locator(".messages").inner_text()
    assert_accessible(page)  # the task list

    def part(title: str) -> None:
        page.locator(".task-list").get_by_role("link", name=title, exact=True).click()

    def save() -> None:
        page.locator("form").get_by_role("button", name="Opslaan", exact=True).click()

    part("Betrokkenen en gegevens")
    page.get_by_role("checkbox", name="Leerlingen", exact=True).check()
    page.locator("#id_gegevens-0-category").select_option(label="Gezondheidsgegevens")
    page.locator("#id_gegevens-0-subject_group").select_option(str(pupils.pk))
    save()
    part("Doelen en grondslagen")
    assert_accessible(page)
    page.locator("#id_doelen-0-description").fill("Passend onderwijs bieden")
    page.locator("#id_doelen-0-legal_basis").select_option("c")
    page.locator("#id_doelen-0-legal_basis_detail").fill("Wet passend onderwijs")
    page.locator("#id_doelen-0-special_category_exception").select_option("g")
    page.locator("#doelen").get_by_role("button", name="Rij toevoegen").click()
    page.locator("#id_doelen-1-description").fill("Ouders informeren over de zorg")
    page.locator("#id_doelen-1-legal_basis").select_option("e")
    page.locator("#id_doelen-1-legal_basis_detail").fill(
        "Onderwijs is een taak van algemeen belang"
    )
    save()
    part("Ontvangers en verwerkers")
    page.locator("#id_ontvangers-0-recipient").select_option(label="Jeugdgezondheidszorg")
    page.locator("#id_ontvangers-0-ground").select_option("a")
    page.locator("#id_ontvangers-0-ground_detail").fill("Met toestemming van de ouders")
    save()
    part("Bewaartermijnen")
    page.locator("#bewaartermijnen").get_by_label("Leerlingdossier").check()
    save()
    assert "Bewaartermijnen is opgeslagen." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Klaar: bekijk de verwerking").click()
    assert "Passend onderwijs bieden" in page.content()
    assert "Ouders informeren over de zorg" in page.content()
    page.get_by_role("button", name="Vaststellen").click()
    page.get_by_role("button", name="Vaststellen").click()  # on the approve page
    assert "vastgesteld op" in page.locator("hgroup").inner_text()
    activity = board.activities.get(name="Leerlingzorg")
    assert activity.purposes.count() == 2
    assert activity.retention_rules.get() == rule
    assert activity.recipients.get().ground == "a"


def test_a_schoolleider_edits_the_own_local_activity_but_not_a_board_wide_one(live_server, page):
    school = SchoolFactory()
    MembershipFactory(
        user__email="anne@example.nl", board=school.board, role=Role.SCHOOLLEIDER, school=school
    )
    local = ActivityFactory(board=school.board, name="Cameratoezicht", applies_to_all_schools=False)
    local.schools.set([school])
    shared = ActivityFactory(board=school.board, name="Leerlingadministratie")
    log_in(page, live_server, "anne@example.nl")
    page.goto(f"{live_server.url}/b/{school.board.slug}/register/{local.pk}/")
    page.get_by_role("button", name="Bewerken").click()
    page.get_by_role("link", name="Beschrijving").click()  # a part of the task list
    page.get_by_label("Uitleg in gewone taal").fill("Camera's bij de ingang van onze school.")
    page.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    assert "Beschrijving is opgeslagen." in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/b/{school.board.slug}/register/{shared.pk}/")
    assert page.get_by_role("button", name="Bewerken").count() == 0
    response = page.goto(f"{live_server.url}/b/{school.board.slug}/register/{shared.pk}/bewerken/")
    assert response.status == 403


def test_two_people_editing_at_once_get_the_conflict_page_and_lose_nothing(live_server, browser):
    officer = MembershipFactory(user__email="pim@example.nl", role=Role.PRIVACY_OFFICER)
    MembershipFactory(user__email="bea@example.nl", board=officer.board, role=Role.BEHEERDER)
    activity = ActivityFactory(board=officer.board, name="Cameratoezicht", description="Begin")
    edit_url = (
        f"{live_server.url}/b/{officer.board.slug}/register/{activity.pk}/bewerken/beschrijving/"
    )
    first, second = browser.new_page(), browser.new_page()
    for person, email in [(first, "pim@example.nl"), (second, "bea@example.nl")]:
        log_in(person, live_server, email)
        person.goto(edit_url)
    first.get_by_label("Uitleg in gewone taal").fill("Uitleg van Pim")
    first.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    second.get_by_label("Uitleg in gewone taal").fill("Uitleg van Bea")
    second.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    conflict = second.get_by_role("alert")
    assert "Iemand anders heeft deze verwerking intussen opgeslagen" in conflict.inner_text()
    assert "Uitleg van Pim" in conflict.inner_text()
    assert second.get_by_label("Uitleg in gewone taal").input_value() == "Uitleg van Bea"
    activity.refresh_from_db()
    assert activity.description == "Uitleg van Pim"
    assert_accessible(second)
    second.locator("form").get_by_role("button", name="Opslaan", exact=True).click()
    activity.refresh_from_db()
    assert activity.description == "Uitleg van Bea"


def test_the_fg_comments_and_the_privacy_officer_resolves_it(live_server, browser):
    fg = MembershipFactory(user__email="fg@example.nl", role=Role.FG)
    MembershipFactory(user__email="pim@example.nl", board=fg.board, role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(
        board=fg.board, name="Cameratoezicht", status="vastgesteld", approved_at=timezone.now()
    )
    detail = f"{live_server.url}/b/{fg.board.slug}/register/{activity.pk}/"
    fg_page = browser.new_page()
    log_in(fg_page, live_server, "fg@example.nl")
    fg_page.goto(detail)
    assert fg_page.get_by_role("button", name="Bewerken").count() == 0
    fg_page.get_by_role("link", name="Advies geven").click()
    fg_page.get_by_label("Advies of opmerking").fill("Leg de belangenafweging vast.")
    fg_page.get_by_role("button", name="Advies plaatsen").click()
    officer_page = browser.new_page()
    log_in(officer_page, live_server, "pim@example.nl")
    officer_page.goto(detail)
    officer_page.get_by_role("link", name="Er is 1 open advies van de FG.").click()
    assert "Leg de belangenafweging vast." in officer_page.content()
    officer_page.get_by_role("link", name="Afhandelen").click()
    officer_page.get_by_label("Wat ermee is gedaan").fill("Afweging toegevoegd aan de DPIA.")
    officer_page.get_by_role("button", name="Afgehandeld").click()
    assert "Afgehandeld door" in officer_page.content()
    assert activity.comments.get().resolution == "Afweging toegevoegd aan de DPIA."
