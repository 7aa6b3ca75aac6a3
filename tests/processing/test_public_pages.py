"""The public pages a parent finds: the list of boards, the school search, a board's page with
its schools, a school that uses the board's statement, and the page of changes."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from processing.models import ProcessingActivity
from processing.statements import statement_publish
from tests.factories import ActivityFactory, RetentionRuleFactory

pytestmark = pytest.mark.django_db


def approved_activity(board, retention: str = "Leerlingdossier") -> ProcessingActivity:
    activity = ActivityFactory.create(
        board=board, name="Leerlingadministratie", status="vastgesteld", approved_at=timezone.now()
    )
    activity.purposes.create(
        description="Onderwijs geven", legal_basis="e", legal_basis_detail="WPO"
    )
    activity.retention_rules.add(RetentionRuleFactory.create(board=board, name=retention))
    return activity


def two_versions(officer, school=None) -> str:
    """Publishes twice with a renamed retention rule between; returns the change page."""
    board = officer.board
    activity = approved_activity(board)
    statement_publish(actor=officer.user, board=board, school=school, change_summary="Een.")
    activity.retention_rules.update(name="Foto's van de schoolreis")
    statement_publish(actor=officer.user, board=board, school=school, change_summary="Twee.")
    kwargs = {"board": board.slug} | ({"school": school.slug} if school else {})
    name = "school_statement_changes" if school else "board_statement_changes"
    return reverse(name, kwargs=kwargs)


def test_the_change_page_shows_an_apostrophe_as_an_apostrophe(client, officer):
    page = client.get(two_versions(officer)).text
    assert "&amp;#x27;" not in page and "&amp;amp;" not in page
    assert "Foto's van de schoolreis" in html.unescape(page)


def changed_lines(page: str) -> list[list[str]]:
    """Each added line of the change page as the texts of its elements, as a reader sees them."""
    return [
        [html.unescape(text) for text in re.split(r"<[^>]+>", added) if text.strip()]
        for added in re.findall(r"<ins>(.*?)</ins>", page, re.S)
    ]


def test_the_change_page_keeps_the_cells_of_a_table_row_apart(client, officer):
    page = client.get(two_versions(officer)).text
    row = next(line for line in changed_lines(page) if "Foto's van de schoolreis" in line[0])
    assert row[0] == "Foto's van de schoolreis"  # not run together with the next cell
    assert row[1] == "maximaal 2 jaar na einde inschrijving (uitschrijving)"
