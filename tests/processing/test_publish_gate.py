"""The publish gate lints what will be published: the last approved version of each activity,
not the draft that is being worked on."""

import pytest
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity
from processing.statements import PublishRefused, statement_preview, statement_publish
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    RecipientFactory,
    RetentionRuleFactory,
    SubjectGroupFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def approved(board, *, with_purpose: bool = True, **fields) -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, status="vastgesteld", approved_at=timezone.now(), **fields
    )
    if with_purpose:
        activity.purposes.create(description="Onderwijs geven", legal_basis="e")
    activity.retention_rules.add(RetentionRuleFactory.create(board=board))
    return activity


def edit(client, activity: ProcessingActivity, part: str, **changes) -> None:
    """An edit through a part of the form: the activity becomes a draft, the approved version
    stays."""
    url = reverse(
        "activity_edit_part",
        kwargs={"board": activity.board.slug, "pk": activity.pk, "part": part},
    )
    data = form_data(client.get(url))
    data.update(changes)
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.changed_since_approval


def publish_page(client, board) -> str:
    return client.get(reverse("statement_publish_board", kwargs={"board": board.slug})).text


def test_an_error_in_a_draft_does_not_block_publishing_the_approved_version(client, officer):
    activity = approved(officer.board, name="Leerlingadministratie")
    edit(client, activity, "doelen", **{"doelen-0-DELETE": "on"})  # the draft now has no purpose

    assert "Publiceren kan nog niet" not in publish_page(client, officer.board)
    statement = statement_publish(
        actor=officer.user, board=officer.board, school=None, change_summary="x"
    )
    assert "Onderwijs geven" in statement.html  # the approved version, purpose and all


def test_an_error_in_the_approved_version_blocks_publishing_until_the_fix_is_approved(
    client, officer
):
    activity = approved(officer.board, name="Leerlingadministratie", with_purpose=False)
    edit(
        client,
        activity,
        "doelen",
        **{"doelen-0-description": "Onderwijs geven", "doelen-0-legal_basis": "e"},
    )  # fixed in the draft, not yet approved

    with pytest.raises(PublishRefused) as refused:
        statement_publish(actor=officer.user, board=officer.board, school=None, change_summary="x")
    assert [(f.activity.pk, f.code) for f in refused.value.findings] == [
        (activity.pk, "no_purpose")
    ]
    page = publish_page(client, officer.board)
    assert "Publiceren kan nog niet" in page
    assert "Leerlingadministratie" in page
    assert "in de vastgestelde versie" in page  # the fix is there, it needs approving
    assert not officer.board.statement_versions.exists()


def test_the_gate_reads_the_terms_and_rows_of_the_approved_version(client, officer):
    board = officer.board
    pupils = SubjectGroupFactory(board=board)
    health = DataCategoryFactory(board=board, kind="bijzonder", special_type="gezondheid")
    abroad = RecipientFactory(board=board, name="Cloud in de VS", in_eea=False)
    activity = approved(board)
    activity.data_categories.create(category=health, subject_group=pupils)
    activity.recipients.create(recipient=abroad, ground="b")
    edit(client, activity, "gegevens", **{"gegevens-0-DELETE": "on"})
    edit(client, activity, "ontvangers", **{"ontvangers-0-DELETE": "on"})
    # the draft is clean, the approved version is not

    with pytest.raises(PublishRefused) as refused:
        statement_publish(actor=officer.user, board=board, school=None, change_summary="x")
    codes = {f.code for f in refused.value.findings}
    assert codes == {"special_without_exception", "outside_eea_without_transfer"}


def test_a_term_deleted_after_approval_is_still_named_by_the_approved_version(client, officer):
    board = officer.board
    address = DataCategoryFactory(board=board, name="Naam en adres", kind="gewoon")
    activity = approved(board, name="Leerlingadministratie")
    activity.data_categories.create(
        category=address, subject_group=SubjectGroupFactory(board=board)
    )
    edit(
        client, activity, "gegevens", **{"gegevens-0-DELETE": "on"}
    )  # the draft no longer uses the term
    address.delete()  # allowed: no current activity uses it

    errors, preview, _changes = statement_preview(board, None)
    assert "Naam en adres" in preview
    statement = statement_publish(actor=officer.user, board=board, school=None, change_summary="x")
    assert "Naam en adres" in statement.html


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("privacy_email", "Vul het e-mailadres voor privacyvragen in bij de instellingen"),
        ("fg_name", "Vul de naam van de functionaris gegevensbescherming (FG) in"),
        ("fg_email", "Vul het e-mailadres van de functionaris gegevensbescherming (FG) in"),
    ],
)
def test_a_board_without_its_privacy_contact_or_fg_cannot_publish_until_they_are_filled_in(
    client, officer, field, message
):
    """A new board starts without them (issue 17): its statement would name no one to ask."""
    board = officer.board
    approved(board, name="Leerlingadministratie")
    setattr(board, field, "")
    board.save()

    with pytest.raises(PublishRefused) as refused:
        statement_publish(actor=officer.user, board=board, school=None, change_summary="x")
    assert refused.value.findings == []
    assert [message in fact for fact in refused.value.missing_facts] == [True]
    page = publish_page(client, board)
    assert "Publiceren kan nog niet" in page and message in page
    assert 'name="change_summary"' not in page
    lint = client.get(reverse("lint", kwargs={"board": board.slug})).text
    assert message in lint and "1 fout en" in lint
    assert not board.statement_versions.exists()

    setattr(board, field, "ingevuld@bestuur.example" if "email" in field else "F. Gegevens")
    board.save()
    statement_publish(actor=officer.user, board=board, school=None, change_summary="x")
    assert board.statement_versions.count() == 1
