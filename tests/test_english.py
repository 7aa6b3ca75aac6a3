"""A user who picks English gets the product's pages in English: no Dutch interface text left.

The data in these tests has English names, so any Dutch on the page comes from the interface.
"""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from privacyregister.roles import Role
from processing.statements import statement_publish
from tests.factories import (
    ActivityFactory,
    BoardFactory,
    MembershipFactory,
    RetentionRuleFactory,
    RightsRequestFactory,
    SchoolFactory,
)
from tests.forms import attribute
from tests.processing.test_exports import pdf_text

pytestmark = pytest.mark.django_db

# Words of the Dutch interface that have no place on an English page (matched in any case, also
# inside longer words such as "schoolbestuur").
DUTCH_WORDS = [
    "Opslaan",
    "Annuleren",
    "Toevoegen",
    "Bewerken",
    "Verwerkingen",
    "Bewaartermijnen",
    "Geschiedenis",
    "Verzoeken",
    "Ontvangers",
    "jaren",
    "Privacyverklaring",
    "Inloggen",
    "Uitloggen",
    "Wachtwoord",
    "Terug",
    "bestuur",
]
# Text that a person reads without it being an element's content.
READ_ATTRIBUTES = ["title", "placeholder", "aria-label", "alt"]


def dutch_words_in(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    texts = [soup.get_text(" ")]
    texts += [
        attribute(tag, name, "") for name in READ_ATTRIBUTES for tag in soup.select(f"[{name}]")
    ]
    texts += [attribute(tag, "value", "") for tag in soup.select("input[type=submit][value]")]
    text = " ".join(texts).lower()
    return [word for word in DUTCH_WORDS if word.lower() in text]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def officer(english):
    board = BoardFactory(
        name="Oak Tree Schools",
        slug="oak-tree",
        privacy_email="privacy@oaktree.example",
        fg_name="D. Officer",
        fg_email="dpo@oaktree.example",
    )
    membership = MembershipFactory(board=board, role=Role.PRIVACY_OFFICER)
    english.force_login(membership.user)
    return membership


def english_register(board):
    school = SchoolFactory(board=board, name="Riverside Primary", slug="riverside")
    activity = ActivityFactory(
        board=board,
        name="Pupil records",
        description="What we record about pupils.",
        status="vastgesteld",
        approved_at=timezone.now(),
    )
    activity.purposes.create(description="Teaching", legal_basis="e", legal_basis_detail="WPO")
    activity.retention_rules.add(RetentionRuleFactory(board=board, name="Pupil file"))
    rights_request = RightsRequestFactory(board=board, requester_name="A. Parent")
    return school, activity, rights_request


def test_the_register_pages_are_english_for_a_user_who_chose_english(english, officer):
    board = officer.board
    school, activity, rights_request = english_register(board)
    on_board = {"board": board.slug}
    on_activity = {"board": board.slug, "pk": activity.pk}
    pages = [
        reverse("dashboard"),
        reverse("activity_list", kwargs=on_board),
        reverse("activity_detail", kwargs=on_activity),
        reverse("activity_edit", kwargs=on_activity),
        reverse("activity_create", kwargs=on_board),
        reverse("activity_history", kwargs=on_activity),
        reverse("lint", kwargs=on_board),
        reverse("retention_schedule", kwargs=on_board),
        reverse("retention_calculator", kwargs=on_board),
        reverse("retention_calendar", kwargs=on_board),
        reverse("rights_request_list", kwargs=on_board),
        reverse("rights_request_detail", kwargs={"board": board.slug, "pk": rights_request.pk}),
        reverse("statement_overview", kwargs=on_board),
        reverse("matrix", kwargs=on_board),
        reverse("term_list", kwargs={"board": board.slug, "kind": "ontvangers"}),
        reverse("export", kwargs=on_board),
    ]
    for page in pages:
        response = english.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert '<html lang="en"' in html, page
        assert dutch_words_in(html) == [], page


def test_a_statement_is_published_in_dutch_also_by_an_officer_who_chose_english(english, officer):
    """Parents read the statement in the school's language, whatever the editor's language;
    the page around it follows the reader."""
    board = officer.board
    english_register(board)
    with translation.override("en"):
        statement = statement_publish(
            actor=officer.user, board=board, school=None, change_summary="First."
        )
    assert "Privacyverklaring" in statement.html
    page = english.get(reverse("board_statement", kwargs={"board": board.slug})).content.decode()
    assert 'lang="nl"' in page
    assert "Download as PDF" in page
    pdf = english.get(
        reverse("board_statement_version_pdf", kwargs={"board": board.slug, "number": 1})
    )
    assert "Versie 1, gepubliceerd op" in pdf_text(pdf.content)  # the cover too


def test_the_login_page_is_english(english):
    response = english.get(reverse("login"))
    assert response.status_code == 200
    assert dutch_words_in(response.content.decode()) == []


def test_without_a_choice_the_pages_stay_dutch(client):
    content = client.get(reverse("login")).content.decode()
    assert "Inloggen" in content
    assert dutch_words_in(content) != []


def test_every_text_in_the_english_catalogue_is_translated():
    catalogue = Path(settings.BASE_DIR, "locale", "en", "LC_MESSAGES", "django.po").read_text()
    untranslated, fuzzy = [], []
    for entry in catalogue.split("\n\n")[1:]:  # the first entry is the header
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0]))
        translations = re.split(r"^msgstr(?:\[\d+\])? ", entry, flags=re.MULTILINE)[1:]
        if any(not "".join(re.findall(r'"(.*)"', text)) for text in translations):
            untranslated.append(msgid)
        if "#, fuzzy" in entry:
            fuzzy.append(msgid)
    assert untranslated == []
    assert fuzzy == []


def test_a_cached_statement_page_is_kept_apart_per_language(english, officer):
    """The Dutch page's ETag does not answer an English reader with a 304, and shared caches
    are told that the page depends on the language cookie."""
    english_register(officer.board)
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    url = reverse("board_statement_version", kwargs={"board": officer.board.slug, "number": 1})
    dutch = Client().get(url)
    assert "Cookie" in dutch["Vary"]
    response = english.get(url, HTTP_IF_NONE_MATCH=dutch["ETag"])
    assert response.status_code == 200
    assert "Download as PDF" in response.content.decode()
