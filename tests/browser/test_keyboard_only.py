"""The privacy officer's main journey without a mouse: log in, write an activity part by part,
offer it for review, and a colleague approves it (four eyes) — only Tab, Shift+Tab, typing,
Space and Enter. Every element that gets the focus must show it."""

import pytest

from privacyregister.roles import Role
from processing.models import ProcessingActivity
from tests.browser.test_login_flow import assert_accessible
from tests.factories import (
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    SubjectGroupFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-lang-testwachtwoord"
MAX_TABS = 120  # more than this to reach one control is itself a failure of the page


class Keyboard:
    """Moves through a page the way a keyboard user does and counts every key pressed."""

    def __init__(self, page) -> None:
        self.page = page
        self.presses = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.presses += 1  # one field filled, whatever its length

    def _focused(self) -> dict:
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
                const style = getComputedStyle(el);
                return {
                    name: (el.getAttribute('aria-label') || label || el.innerText || el.value || '')
                        .replace(/\\s+/g, ' ').trim(),
                    tag: el.tagName.toLowerCase(),
                    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                        || style.boxShadow !== 'none',
                };
            }"""
        )

    def tab_to(self, name: str, *, tag: str | None = None) -> None:
        """Tab on until the focus is on the control whose name starts with `name`."""
        for _ in range(MAX_TABS):
            self.press("Tab")
            focused = self._focused()
            if focused["name"].startswith(name) and (tag is None or focused["tag"] == tag):
                assert focused["visible"], f"the focus on {name!r} cannot be seen"
                return
        raise AssertionError(f"{name!r} cannot be reached with Tab on {self.page.url}")

    def activate(self, name: str, *, tag: str | None = None) -> None:
        """Tab to a link or button and press Enter; it opens a page."""
        self.tab_to(name, tag=tag)
        with self.page.expect_navigation():
            self.press("Enter")


def test_an_activity_is_written_offered_and_approved_with_the_keyboard_alone(live_server, page):
    officer = MembershipFactory(
        user__email="pim@example.nl", role=Role.PRIVACY_OFFICER, board__name="Stichting Kompas"
    )
    board = officer.board
    board.four_eyes = True
    board.save()
    MembershipFactory(user__email="bea@example.nl", role=Role.BEHEERDER, board=board)
    SubjectGroupFactory(board=board, name="Bezoekers")
    DataCategoryFactory(board=board, name="Camerabeelden")
    RecipientFactory(board=board, name="Beveiligingsbedrijf", kind="verwerker")
    page.set_default_timeout(10_000)
    keys = Keyboard(page)

    def log_in(email: str) -> None:
        page.goto(live_server.url + "/")
        keys.tab_to("E-mailadres")
        keys.type(email)
        keys.tab_to("Wachtwoord")
        keys.type(PASSWORD)
        with page.expect_navigation():
            keys.press("Enter")

    def save() -> None:
        keys.activate("Opslaan", tag="button")
        assert "is opgeslagen" in page.locator(".messages").inner_text(), page.locator(
            "main"
        ).inner_text()

    log_in("pim@example.nl")
    keys.activate("Stichting Kompas", tag="a")
    keys.activate("Nieuwe verwerking")
    keys.tab_to("Naam")
    keys.type("Cameratoezicht")
    keys.tab_to("Uitleg in gewone taal")
    keys.type("Bij de ingang hangen camera's om inbraak en vernieling te voorkomen.")
    save()
    assert_accessible(page)  # the task list

    keys.activate("Betrokkenen en gegevens", tag="a")
    keys.tab_to("Bezoekers", tag="input")
    keys.press("Space")
    keys.tab_to("Gegevens", tag="select")
    keys.type("Camerabeelden")  # a closed select chooses the option typed
    keys.tab_to("Van wie", tag="select")
    keys.type("Bezoekers")
    save()

    keys.activate("Doelen en grondslagen", tag="a")
    keys.tab_to("Doel", tag="textarea")
    keys.type("Inbraak en vernieling voorkomen en opsporen.")
    keys.tab_to("Grondslag", tag="select")
    keys.type("gerechtvaardigd")
    save()

    keys.activate("Klaar: bekijk de verwerking")
    keys.activate("Ter review aanbieden", tag="button")
    activity = ProcessingActivity.objects.get(board=board, name="Cameratoezicht")
    assert activity.status == "ter_review"
    # Four eyes: the one who wrote it is told why they cannot approve it, and no button is there.
    assert page.get_by_role("button", name="Vaststellen").count() == 0

    keys.activate("Uitloggen")
    log_in("bea@example.nl")
    keys.activate("Stichting Kompas", tag="a")
    keys.activate("Cameratoezicht", tag="a")
    keys.activate("Vaststellen", tag="button")
    assert_accessible(page)  # the approve page, with what the check found
    keys.activate("Vaststellen", tag="button")
    assert "vastgesteld" in page.locator(".messages").inner_text()
    activity.refresh_from_db()
    assert activity.is_approved
    subject_groups = list(activity.subject_groups.values_list("name", flat=True))
    assert subject_groups == ["Bezoekers"]
    assert activity.purposes.get().legal_basis == "f"
    print(f"keyboard journey: {keys.presses} key presses and fields")
