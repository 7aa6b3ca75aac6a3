"""The pupils' and the English statement, published with the parents' statement."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from privacyregister.models import School
from processing.models import StatementVersion
from processing.statements import statement_publish
from tests.factories import (
    ActivityFactory,
    RetentionRuleFactory,
    SchoolFactory,
    SubjectGroupFactory,
)
from tests.processing.test_statements import needs_pdftotext, pdf_text, squeeze

pytestmark = pytest.mark.django_db

U_OR_UW = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


def text_of(html: str) -> str:
    return squeeze(strip_tags(html))


def article(page: str) -> str:
    """The statement itself, without the page around it."""
    return page[page.index("<article") : page.index("</article>")]


def test_a_demo_school_has_a_pupils_statement_in_je_and_jij(demo, client):
    response = client.get("/privacy/veluwse-onderwijsgroep/cortenbosch/leerlingen/")
    assert response.status_code == 200
    text = text_of(article(response.content.decode()))
    assert "Deze uitleg is voor jou als leerling van Veluws College Cortenbosch" in text
    assert re.search(r"\bje\b", text) and re.search(r"\bjij\b|\bjouw\b", text)
    assert not U_OR_UW.search(text), U_OR_UW.search(text)
    # The board's explanation for pupils, the data about pupils and who else sees it.
    assert "Zo kan je mentor zien hoe het gaat" in text
    assert "Camerabeelden" in text
    # The age rule of art. 5 UAVG, and whom to ask.
    assert "jonger dan 16 jaar" in text and "artikel 5 van de Uitvoeringswet AVG" in text
    assert "Vraag het eerst aan je mentor" in text
    assert "servicedesk@veluwseonderwijsgroep.nl" in text


def test_the_pupils_statement_leaves_out_activities_that_are_not_about_pupils(demo, client):
    text = text_of(client.get("/privacy/cpow/de-regenboog/leerlingen/").content.decode())
    assert "Onderwijs, toetsing en leerlingvolgsysteem" in text
    assert "Cameratoezicht" in text  # pupils, staff and visitors
    for staff_only in ("Personeelsadministratie en salaris", "Werving en selectie", "Stages"):
        assert staff_only not in text
    # The parents' statement of the same version does have them.
    parents = client.get("/privacy/cpow/de-regenboog/").content.decode()
    assert "Personeelsadministratie en salaris" in parents


def test_the_english_statement_of_a_demo_school(demo, client):
    response = client.get("/privacy/veluwse-onderwijsgroep/cortenbosch/en/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert '<div lang="en">' in page
    # The Dutch names in "In short" are marked up, not shown as escaped markup.
    assert "&lt;span" not in page and '<span lang="nl">Cameratoezicht</span>' in page
    text = text_of(page)
    # Fixed text translated (the .po), the board's English texts where it gave them ...
    assert "Who we are" in text and "Your rights and how to use them" in text
    assert "Enrolment and administration" in text
    assert "Keeping track of the pupils who attend our schools." in text
    assert "Please ask the school management." in text
    assert "Inschrijving en administratie" not in text
    # ... and otherwise the Dutch text, marked as Dutch.
    assert '<h3><span lang="nl">Onderwijsbegeleiding en zorg</span></h3>' in page
    assert (
        '<span lang="nl">Leerlingen volgen, begeleiden en hun voortgang in de '
        'schoolloopbaan bewaken.</span> <small class="in-dutch">'
    ) in page
    assert '<span lang="nl">Bent u het niet eens' in page  # no English complaint text
    assert "Some parts" in text or "Sommige delen" in text  # the note (msgid until translated)
    # Choices are labelled in English when the snapshot is made.
    assert "legal obligation (Art. 6(1)(c) GDPR)" in text


def test_each_variant_links_to_the_others(demo, client):
    base = "/privacy/veluwse-onderwijsgroep/cortenbosch/"
    parents = client.get(base).content.decode()
    assert f'href="{base}leerlingen/"' in parents and f'href="{base}en/"' in parents
    assert "Lees deze verklaring in het Engels" in parents
    pupils = client.get(f"{base}leerlingen/").content.decode()
    assert f'href="{base}"' in pupils and f'href="{base}en/"' in pupils
    english = client.get(f"{base}en/").content.decode()
    assert f'href="{base}"' in english and f'href="{base}leerlingen/"' in english
    # The board's statement addresses no pupils: English only.
    board = client.get("/privacy/veluwse-onderwijsgroep/privacyverklaring/").content.decode()
    assert 'href="/privacy/veluwse-onderwijsgroep/en/"' in board
    assert "leerlingen/" not in board
    assert client.get("/privacy/veluwse-onderwijsgroep/en/").status_code == 200


@needs_pdftotext
def test_the_pupils_and_english_pdfs_render(demo, client):
    base = "/privacy/veluwse-onderwijsgroep/cortenbosch/"
    pupils = client.get(f"{base}leerlingen.pdf")
    assert pupils["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(pupils.content))
    assert "Privacyverklaring voor leerlingen: Veluws College Cortenbosch" in text
    assert "Wat mag jij?" in text
    english = client.get(f"{base}en.pdf")
    text = squeeze(pdf_text(english.content))
    assert "Privacy statement Veluws College Cortenbosch" in text
    assert "Enrolment and administration" in text
    assert "Page 1 of" in text and "Pagina" not in text
    number = StatementVersion.objects.filter(school__slug="cortenbosch").latest().number
    assert client.get(f"{base}v{number}/en.pdf").content == english.content


def pupils_activity(board, group: str, **fields):
    activity = ActivityFactory.create(
        board=board, status="vastgesteld", approved_at=timezone.now(), **fields
    )
    activity.subject_groups.add(SubjectGroupFactory.create(board=board, name=group))
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="e", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board))
    return activity


@pytest.mark.parametrize(
    "audience, has_pupils",
    [
        (School.Audience.PUPILS_AND_PARENTS, True),
        (School.Audience.PARENTS, False),
        (School.Audience.STAFF, False),
    ],
)
def test_only_a_statement_that_addresses_pupils_has_a_pupils_variant(
    client, officer, audience, has_pupils
):
    school = SchoolFactory(board=officer.board, audience=audience)
    pupils_activity(officer.board, "Leerlingen", name="Leerlingvolgsysteem")
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=school, change_summary="x"
    )
    assert bool(statement.html_pupils) is has_pupils
    base = f"/privacy/{officer.board.slug}/{school.slug}/"
    assert client.get(f"{base}leerlingen/").status_code == (200 if has_pupils else 404)
    assert client.get(f"{base}v1/leerlingen.pdf").status_code == (200 if has_pupils else 404)
    assert client.get(f"{base}en/").status_code == 200


def test_a_staff_only_activity_is_not_in_the_pupils_statement(officer):
    school = SchoolFactory(board=officer.board)
    pupils_activity(officer.board, "Leerlingen", name="Leerlingvolgsysteem")
    pupils_activity(officer.board, "Medewerkers", name="Salarisadministratie")
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=school, change_summary="x"
    )
    assert "Leerlingvolgsysteem" in statement.html_pupils
    assert "Salarisadministratie" not in statement.html_pupils
    assert "Salarisadministratie" in statement.html


def test_published_variants_stay_as_they_were_when_the_register_changes(client, officer):
    school = SchoolFactory(board=officer.board)
    activity = pupils_activity(
        officer.board,
        "Leerlingen",
        name="Leerlingvolgsysteem",
        name_en="Pupil tracking",
        description_pupils="Wij bewaren je cijfers.",
    )
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=school, change_summary="x"
    )
    activity.name_en = "Something else"
    activity.description_pupils = "Iets anders."
    activity.save()
    base = f"/privacy/{officer.board.slug}/{school.slug}/v1/"
    english = client.get(f"{base}en/").content.decode()
    pupils = client.get(f"{base}leerlingen/").content.decode()
    assert "Pupil tracking" in english and "Something else" not in english
    assert "Wij bewaren je cijfers." in pupils and "Iets anders." not in pupils
    stored = StatementVersion.objects.get(pk=statement.pk)
    assert (stored.html_en, stored.html_pupils) == (statement.html_en, statement.html_pupils)


def test_a_version_published_before_the_variants_has_none(client, officer):
    # As the versions published before this feature: only the parents' statement.
    school = SchoolFactory(board=officer.board)
    StatementVersion.objects.create(
        board=officer.board,
        school=school,
        number=1,
        published_at=timezone.now(),
        published_by=officer.user,
        change_summary="x",
        snapshot={},
        html="<article>Oud</article>",
    )
    base = f"/privacy/{officer.board.slug}/{school.slug}/"
    page = client.get(base).content.decode()
    # No link to a variant (the report link's "datalek-melden/" ends in "en/" too).
    assert "Oud" in page and f"{base}leerlingen/" not in page and f'{base}en/"' not in page
    for variant in ("leerlingen/", "en/", "leerlingen.pdf", "en.pdf", "v1/en/"):
        response = client.get(base + variant)
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.mark.parametrize("slug", ["leerlingen", "en"])
def test_the_variants_words_cannot_be_a_school_slug(slug):
    school = SchoolFactory.build(board=SchoolFactory().board, slug=slug)
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "gereserveerd" in str(error.value)


def test_the_board_keeps_its_english_texts_on_the_settings_page(client, beheerder):
    from django.urls import reverse

    from tests.forms import form_data

    url = reverse("board_settings", kwargs={"board": beheerder.board.slug})
    data = form_data(client.get(url))
    data["rights_request_instructions_en"] = "Send your request to the school."
    data["complaint_authority_text_en"] = "You may complain to the Dutch authority."
    assert client.post(url, data).status_code == 302
    beheerder.board.refresh_from_db()
    assert beheerder.board.rights_request_instructions_en == "Send your request to the school."
    assert beheerder.board.complaint_authority_text_en.startswith("You may complain")
