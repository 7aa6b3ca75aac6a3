import shutil
import subprocess
import tempfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity, StatementVersion
from processing.pdf import statement_pdf
from processing.statements import PublishRefused, statement_preview, statement_publish
from tests.factories import (
    ActivityFactory,
    RetentionRuleFactory,
    SchoolFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt")


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def squeeze(text: str) -> str:
    return " ".join(text.split())


def published(board: str, school: str) -> StatementVersion:
    return StatementVersion.objects.filter(board__slug=board, school__slug=school).latest()


SEED_004 = [
    "Leerlingdossier",
    "maximaal 2 jaar na einde inschrijving",
    "Verzuim en in- en uitschrijving",
    "maximaal 5 jaar",
    "minimaal 7 jaar na einde schooljaar",
    "minimaal 6 maanden na vaststelling examenuitslag",
    "Camerabeelden",
    "maximaal 4 weken na opname",
    "Cito",
    "gerechtvaardigd belang",
    "College voor Toetsen en Examens",
    "Speciaal zorgdossier",
    "Zorgcoördinator",
    "Interne leerlingbegeleider",
    "d.boersen@veluwseonderwijsgroep.nl",
    "Verenigde Staten",
    "_ga",
]
SEED_002 = [
    "fg@privacyopschool.nl",
    "privacy@cpow.nl",
    "Sollicitatiegegevens",
    "maximaal 4 weken na einde sollicitatieprocedure",
    "langer te bewaren voor een volgende vacature",
    "Salaris- en loonadministratie",
    "minimaal 7 jaar",
    "Camerabeelden CPOW",
    "maximaal 6 weken na opname",
    "Stagiaires",
    "Sollicitanten",
    "Medewerkers",
    "Voorgaande school",
    "Veilig Thuis",
    "profilering",
]


@pytest.mark.parametrize(
    ("board", "school", "facts"),
    [("veluwse-onderwijsgroep", "cortenbosch", SEED_004), ("cpow", "de-regenboog", SEED_002)],
)
def test_a_demo_school_statement_holds_the_seed_facts_in_html_and_pdf(
    demo, client, board, school, facts
):
    html = squeeze(client.get(f"/privacy/{board}/{school}/").content.decode())
    missing = [fact for fact in facts if fact not in html]
    assert missing == []
    if shutil.which("pdftotext"):
        text = squeeze(
            pdf_text(client.get(f"/privacy/{board}/{school}/privacyverklaring.pdf").content)
        )
        assert [fact for fact in facts if fact not in text] == []


def test_a_statement_covers_every_article_13_item(demo, client):
    html = client.get("/privacy/cpow/de-regenboog/").content.decode()
    for heading in [
        "Wie zijn wij",
        "De functionaris gegevensbescherming",
        "Welke gegevens van wie",
        "Waarvoor en op welke grondslag",
        "Toestemming en intrekken",
        "Met wie wij gegevens delen",
        "Beveiliging",
        "Hoe lang wij gegevens bewaren",
        "Geautomatiseerde besluiten en profilering",
        "Uw rechten en hoe u ze gebruikt",
        "Een klacht indienen",
        "Wijzigingen",
    ]:
        assert heading in html
    for right in [
        "jonger dan 16 jaar",
        "binnen één maand",
        "twee maanden langer",
        "Autoriteit Persoonsgegevens",
    ]:
        assert right in html


def test_a_school_statement_leaves_out_local_activities_of_other_schools(demo, client):
    with_camera = client.get("/privacy/veluwse-onderwijsgroep/cortenbosch/").content.decode()
    without_camera = client.get("/privacy/veluwse-onderwijsgroep/mheenpark/").content.decode()
    assert "Cameratoezicht" in with_camera
    assert "Cameratoezicht" not in without_camera


@needs_pdftotext
def test_the_pdf_has_a_title_page_contents_and_page_numbers(demo):
    statement = published("veluwse-onderwijsgroep", "cortenbosch")
    text = pdf_text(statement_pdf(statement))
    assert "Privacyverklaring Veluws College Cortenbosch" in squeeze(text)
    assert "Inhoud" in text
    assert "Pagina 1 van" in text
    assert StatementVersion.objects.get(pk=statement.pk).pdf is not None  # rendered once


def approved_activity(board, **fields) -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, status="vastgesteld", approved_at=timezone.now(), **fields
    )
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="e", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board))
    return activity


def test_versions_edits_in_progress_and_differences(client, officer):
    board = officer.board
    school = SchoolFactory(board=board, slug="de-ark")
    activity = approved_activity(board, name="Leerlingadministratie", description="Oude uitleg.")
    first = statement_publish(
        actor=officer.user, board=board, school=school, change_summary="Eerste."
    )
    assert first.number == 1

    # An edit in progress changes nothing for parents, not even after publishing again.
    data = form_data(
        client.get(
            reverse(
                "activity_edit_part",
                kwargs={"board": board.slug, "pk": activity.pk, "part": "beschrijving"},
            )
        )
    )
    data["description"] = "Nieuwe uitleg."
    client.post(
        reverse(
            "activity_edit_part",
            kwargs={"board": board.slug, "pk": activity.pk, "part": "beschrijving"},
        ),
        data,
    )
    public = f"/privacy/{board.slug}/de-ark/"
    assert "Oude uitleg." in client.get(public).content.decode()
    in_progress = statement_publish(
        actor=officer.user, board=board, school=school, change_summary="Tussendoor."
    )
    assert "Oude uitleg." in in_progress.html and "Nieuwe uitleg." not in in_progress.html
    assert "Leerlingadministratie" in in_progress.html  # the approved version stays in

    activity.refresh_from_db()
    client.post(
        reverse("activity_approve", kwargs={"board": board.slug, "pk": activity.pk}),
        {"version": activity.version},
    )
    third = statement_publish(
        actor=officer.user, board=board, school=school, change_summary="Uitleg verbeterd."
    )
    assert third.number == 3
    assert "Nieuwe uitleg." in client.get(public).content.decode()
    assert "Oude uitleg." in client.get(f"{public}v1/").content.decode()
    changes = client.get(f"{public}verschil/?van=1&naar=3").content.decode()
    assert '<del><span class="diff-cell">Oude uitleg.</span></del>' in changes
    assert '<ins><span class="diff-cell">Nieuwe uitleg.</span></ins>' in changes
    versions = client.get(f"{public}versies/").content.decode()
    assert "Uitleg verbeterd." in versions and "Eerste." in versions


def test_publishing_is_refused_while_the_lint_has_errors(client, officer):
    activity = ActivityFactory(
        board=officer.board, status="vastgesteld", approved_at=timezone.now()
    )
    with pytest.raises(PublishRefused) as refused:
        statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    assert {f.code for f in refused.value.findings} >= {"no_purpose", "no_retention"}
    page = client.get(reverse("statement_publish_board", kwargs={"board": officer.board.slug}))
    assert "Publiceren kan nog niet" in page.content.decode()
    assert activity.name in page.content.decode()
    client.post(
        reverse("statement_publish_board", kwargs={"board": officer.board.slug}),
        {"change_summary": "x"},
    )
    assert not officer.board.statement_versions.exists()


def test_publishing_from_the_page_creates_the_next_version(client, officer):
    approved_activity(officer.board)
    url = reverse("statement_publish_board", kwargs={"board": officer.board.slug})
    assert "Voorbeeld: nog niet gepubliceerd" in client.get(url).content.decode()
    client.post(url, {"change_summary": "Eerste versie."})
    client.post(url, {"change_summary": "Tweede versie."})
    assert list(
        officer.board.statement_versions.values_list("number", flat=True).order_by("number")
    ) == [
        1,
        2,
    ]


def test_a_concept_never_reaches_the_statement(officer):
    approved_activity(officer.board, name="Vastgesteld")
    ActivityFactory(board=officer.board, name="Nog een concept")
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=None, change_summary="x"
    )
    assert "Vastgesteld" in statement.html
    assert "Nog een concept" not in statement.html


INJECTION = (
    '<script>alert(1)</script><img src="file:///etc/passwd"><a href="http://127.0.0.1/">x</a>'
)


def test_free_text_is_escaped_in_the_page_and_the_pdf(client, officer):
    board = officer.board
    board.rights_request_instructions = INJECTION
    board.fg_name = INJECTION
    board.save()
    activity = approved_activity(
        board,
        name="Gevaarlijk <script>",
        description=INJECTION,
        consent_how_withdrawn=INJECTION,
        automated_logic=INJECTION,
        profiling=True,
        provision_requirement=INJECTION,
    )
    activity.purposes.create(description=INJECTION, legal_basis="a", legal_basis_detail=INJECTION)
    source = board.data_sources.create(name=INJECTION)
    activity.sources.create(source=source, note=INJECTION)
    activity.cookies.create(
        name="c", kind="functioneel", purpose=INJECTION, lifetime="<b>1 jaar</b>"
    )
    statement = statement_publish(
        actor=officer.user, board=board, school=None, change_summary=INJECTION
    )
    page = client.get(f"/privacy/{board.slug}/privacyverklaring/").content.decode()
    for html in (statement.html, page):
        assert "<script>" not in html
        assert '<img src="file:///etc/passwd">' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert statement_pdf(statement).startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "/privacy/onbekend-bestuur/",
        "/privacy/{board}/onbekende-school/",
        "/privacy/{board}/",
        "/privacy/{board}/privacyverklaring/",
        "/privacy/{board}/{school}/v9/",
        "/privacy/{board}/onbekende-school/privacyverklaring.pdf",
        "/privacy/{board}/{school}/versies/",
        "/privacy/{board}/{school}/verschil/?van=a",
    ],
)
def test_unknown_or_unpublished_statements_get_a_dutch_404(client, url):
    school = SchoolFactory()
    response = client.get(url.format(board=school.board.slug, school=school.slug))
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_a_reserved_word_cannot_be_a_school_slug():
    from django.core.exceptions import ValidationError

    school = SchoolFactory.build(board=SchoolFactory().board, slug="versies")
    with pytest.raises(ValidationError) as error:
        school.full_clean()
    assert "gereserveerd" in str(error.value)


def test_a_published_version_cannot_be_changed(officer):
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=None, change_summary="x"
    )
    statement.html = "<p>Anders</p>"
    with pytest.raises(ValueError, match="kan niet worden gewijzigd"):
        statement.save()


def test_public_pages_are_cached_and_answer_304_when_unchanged(client, officer):
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    latest = client.get(f"/privacy/{officer.board.slug}/privacyverklaring/")
    assert latest["Cache-Control"] == "public, max-age=300"
    versioned = client.get(f"/privacy/{officer.board.slug}/v1/")
    assert "immutable" in versioned["Cache-Control"]
    again = client.get(
        f"/privacy/{officer.board.slug}/privacyverklaring/", HTTP_IF_NONE_MATCH=latest["ETag"]
    )
    assert again.status_code == 304
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="y")
    changed = client.get(
        f"/privacy/{officer.board.slug}/privacyverklaring/", HTTP_IF_NONE_MATCH=latest["ETag"]
    )
    assert changed.status_code == 200


def test_the_public_page_shows_a_new_version_at_once(client, officer):
    approved_activity(officer.board, name="Leerlingadministratie")
    latest = reverse("board_statement", kwargs={"board": officer.board.slug})
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="Een.")
    assert "Versie 1" in client.get(latest).text  # now in this worker's cache

    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="Twee.")
    assert "Versie 2" in client.get(latest).text


def test_a_numbered_version_is_the_same_page_for_ever_and_links_to_the_current_one(client, officer):
    """A numbered page is cached for a year: it cannot say whether a newer version exists."""
    approved_activity(officer.board, name="Leerlingadministratie")
    first = reverse("board_statement_version", kwargs={"board": officer.board.slug, "number": 1})
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="Een.")
    before = client.get(first)
    assert before["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Dit is versie 1 van deze verklaring." in before.text
    assert f'href="/privacy/{officer.board.slug}/privacyverklaring/"' in before.text

    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="Twee.")
    cache.clear()  # another worker, that renders the page anew
    assert client.get(first).content == before.content


def test_the_latest_version_does_not_call_itself_a_numbered_one(client, officer):
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="Een.")
    response = client.get(f"/privacy/{officer.board.slug}/privacyverklaring/")
    assert "Dit is versie" not in response.text


@pytest.mark.parametrize("suffix", ["v0/", "v0.pdf"])
def test_there_is_no_version_zero(client, officer, suffix):
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    response = client.get(f"/privacy/{officer.board.slug}/{suffix}")
    assert response.status_code == 404
    assert "immutable" not in response.get("Cache-Control", "")


def test_a_numbered_pdf_is_cached_for_a_year_and_the_latest_for_five_minutes(client, officer):
    statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    latest = client.get(f"/privacy/{officer.board.slug}/privacyverklaring.pdf")
    assert latest["Cache-Control"] == "public, max-age=300"
    numbered = client.get(f"/privacy/{officer.board.slug}/v1.pdf")
    assert numbered["Cache-Control"] == "public, max-age=31536000, immutable"
    assert numbered.content == latest.content


def test_the_preview_reads_no_earlier_versions_documents(officer):
    """The history of a statement needs titles and summaries; the earlier versions' HTML and
    PDFs (some 100 kB each, per variant) stay in the database. Only the current snapshot is
    read, to say what changes."""
    for summary in ("Een.", "Twee."):
        statement_publish(
            actor=officer.user, board=officer.board, school=None, change_summary=summary
        )
    with CaptureQueriesContext(connection) as context:
        statement_preview(officer.board, None)
    read = " ".join(query["sql"] for query in context.captured_queries)
    for name in StatementVersion.DOCUMENT_FIELDS:
        if name != "snapshot":
            assert f'"processing_statementversion"."{name}"' not in read


def test_every_variants_document_is_a_document_field():
    from processing.statement_variants import ENGLISH, PARENTS, PUPILS

    for variant in (PARENTS, PUPILS, ENGLISH):
        assert {variant.html_field, variant.pdf_field} <= set(StatementVersion.DOCUMENT_FIELDS)
