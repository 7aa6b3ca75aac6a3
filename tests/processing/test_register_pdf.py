"""The register PDF an auditor accepts: the version in force, numbered activities with a contents
page, the changes field by field, and Dutch dates throughout."""

import re
import shutil

import pytest
from django.utils import timezone

from tests.factories import ActivityFactory
from tests.processing.test_exports import download, pdf_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext ontbreekt"),
]


def register_text(client, board, **params) -> str:
    response = download(client, board.slug, "pdf", **params)
    assert response.status_code == 200
    return pdf_text(response.content)


def activities_part(text: str) -> str:
    """The activities' tables: after the contents, which ends with the appendices, and before
    appendix A."""
    return text.split("Bijlage A: wijzigingen")[1].split("Bijlage C: open bevindingen", 1)[1]


def test_an_approved_export_shows_the_approved_text_and_says_a_newer_draft_waits(
    client, officer, edited
):
    text = register_text(client, officer.board, status="vastgesteld")
    register = activities_part(text)
    assert "Onderwijs geven" in register
    assert "Onderwijs op afstand" not in register  # only in the appendix, as a change
    assert "Er is een nieuwer concept van deze verwerking dat nog niet is vastgesteld." in register
    assert "Concept, nog niet vastgesteld" not in register


def test_an_export_of_everything_shows_the_version_in_force_and_then_the_draft_marked(
    client, officer, edited
):
    text = register_text(client, officer.board)
    register = activities_part(text)
    in_force = register.index("Vastgestelde versie, geldt nu")
    draft = register.index("Concept, nog niet vastgesteld")
    assert in_force < register.index("Onderwijs geven") < draft
    assert draft < register.index("Onderwijs op afstand")
    assert "Er is een nieuwer concept" not in text


def test_activities_are_numbered_and_listed_with_their_page_in_the_contents(client, officer):
    first = ActivityFactory(board=officer.board, name="Leerlingadministratie")
    second = ActivityFactory(board=officer.board, name="Cameratoezicht")
    text = register_text(client, officer.board)
    contents = text.split("Inhoud", 1)[1].split(f"{first.number}. {first.name}", 2)
    assert len(contents) == 3  # in the contents and as the heading of its table
    # Register order, each with the page its table starts on (cover 1, contents 2).
    assert re.search(
        rf"{first.number}\. Leerlingadministratie (\d+) {second.number}\. Cameratoezicht (\d+)",
        text,
    )
    pages = re.search(rf"{second.number}\. Cameratoezicht (\d+)", text)
    assert pages is not None and int(pages.group(1)) >= 3
    assert "Stand van het register op" in text
    # Never approved: its table is the draft, marked, under the numbered heading.
    assert f"{second.number}. Cameratoezicht Concept, nog niet vastgesteld Status" in text


def test_the_appendix_names_the_changed_field_with_its_old_and_new_value_and_who(
    client, officer, edited
):
    appendix = register_text(client, officer.board).split("Bijlage A: wijzigingen")[2]
    appendix = appendix.split("Bijlage B")[0]
    assert f"{edited.number}. Leerlingvolgsysteem" in appendix
    assert "doel gewijzigd" in appendix
    assert "Onderwijs geven → Onderwijs op afstand" in appendix
    assert str(officer.user) in appendix


def test_the_pdf_has_dutch_dates_and_no_iso_date_anywhere(client, officer, edited):
    edited.next_review_on = timezone.localdate().replace(month=3, day=1)
    edited.dpia_required, edited.dpia_done_on = True, edited.next_review_on
    edited.save()
    today = timezone.localdate()
    text = register_text(
        client, officer.board, start=today.replace(year=today.year - 1).isoformat()
    )
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), re.findall(
        r".{80}\d{4}-\d{2}-\d{2}.{20}", text
    )
    assert f"1 maart {today.year}" in text
    assert f"Stand van het register op {today.day} " in text


@pytest.mark.django_db
def test_creating_an_activity_is_one_line_that_counts_what_was_filled_in(officer):
    from privacyregister.access import BoardAccess
    from processing.history import register_changes
    from processing.register_entries import register_entries
    from processing.register_pdf import pdf_activities, pdf_changes

    activity = ActivityFactory.create(board=officer.board, name="Schoolfotograaf")
    activity.purposes.create(description="Foto's maken", legal_basis="a")
    activity.purposes.create(description="Foto's verkopen", legal_basis="a")
    selection = register_entries(BoardAccess(officer.user, officer.board), {})
    changes = pdf_changes(pdf_activities(selection), register_changes([activity.pk], None, None))
    [(_activity, [save])] = changes
    assert save.lines == [("verwerking toegevoegd, met 2 velden en rijen ingevuld", [])]


def test_the_pdf_tables_name_the_approver_without_reading_the_users_again(
    officer, edited, django_assert_num_queries
):
    from privacyregister.access import BoardAccess
    from processing.register_entries import register_entries
    from processing.register_pdf import pdf_activities

    selection = register_entries(BoardAccess(officer.user, officer.board), {})
    with django_assert_num_queries(0):
        [activity] = pdf_activities(selection)
    [approved] = [values for label, values in activity.tables[0].rows if label == "Vastgesteld"]
    assert approved == [f"1 november 2025 door {officer.user}"]


def _pdf_queries(officer, count: int) -> int:
    """The queries of register_pdf itself for `count` activities with every kind of row the
    findings read (register_entries has read them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from privacyregister.access import BoardAccess
    from processing.history import register_changes
    from processing.register_entries import register_entries
    from processing.register_pdf import register_pdf
    from tests.factories import DataCategoryFactory, RecipientFactory, SubjectGroupFactory

    board = officer.board
    for _i in range(count):
        activity = ActivityFactory.create(board=board)
        activity.purposes.create(description="Onderwijs geven", legal_basis="e")
        activity.data_categories.create(
            category=DataCategoryFactory.create(board=board),
            subject_group=SubjectGroupFactory.create(board=board),
        )
        recipient = RecipientFactory.create(board=board, in_eea=False)
        activity.recipients.create(recipient=recipient, ground="c")
        activity.processors.add(RecipientFactory.create(board=board))
        activity.transfers.create(recipient=recipient, country="US")
    selection = register_entries(BoardAccess(officer.user, board), {})
    changes = register_changes([entry.activity.pk for entry in selection.entries], None, None)
    with CaptureQueriesContext(connection) as queries:
        register_pdf(
            board=board, selection=selection, changes=changes, filters=[], exported_by=officer.user
        )
    return len(queries)


def test_the_pdf_lints_the_activities_as_read_without_reading_them_again(officer):
    assert _pdf_queries(officer, 10) <= 1  # the board's memberships (appendix B)


def test_appendix_c_says_which_findings_are_of_a_newer_draft(client, officer, edited):
    ActivityFactory(
        board=officer.board, name="Rooster", status="vastgesteld", approved_at=timezone.now()
    )
    text = register_text(client, officer.board, status="vastgesteld")
    appendix = " ".join(text.rsplit("Bijlage C: open bevindingen", 1)[1].split())
    assert f"{edited.number}. Leerlingvolgsysteem (in het concept): " in appendix
    assert "Rooster: " in appendix and "Rooster (in het concept)" not in appendix
