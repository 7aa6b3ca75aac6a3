"""The data categories of a retention rule, edited on the rule's form, are shown wherever the
rule is: the schedule page, its PDF and spreadsheet, and the privacy statement."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from processing.models import ProcessingActivity
from processing.statements import VersionFacts, build_snapshot, render_statement
from tests.factories import ActivityFactory, DataCategoryFactory, RetentionRuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(officer):
    rule = RetentionRuleFactory(board=officer.board, name="Camerabeelden")
    rule.data_categories.add(
        DataCategoryFactory(board=officer.board, name="Beeldopnamen"),
        DataCategoryFactory(board=officer.board, name="Kenteken"),
    )
    return rule


def test_the_schedule_page_shows_a_rules_data_categories(client, officer, rule):
    page = client.get(reverse("retention_schedule", kwargs={"board": officer.board.slug}))
    assert "Beeldopnamen, Kenteken" in page.text


def test_the_schedule_spreadsheet_has_a_column_of_data_categories(client, officer, rule):
    response = client.get(
        reverse(
            "retention_schedule_download", kwargs={"board": officer.board.slug, "format": "xlsx"}
        )
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Gegevens")
    assert rows[1][column] == "Beeldopnamen, Kenteken"


def test_the_statement_shows_a_rules_data_categories(officer, rule):
    activity = ActivityFactory(
        board=officer.board,
        status=ProcessingActivity.Status.APPROVED,
        approved_at=timezone.now(),
    )
    rule.activities.add(activity)
    snapshot = build_snapshot(officer.board, None)
    html = render_statement(
        snapshot,
        VersionFacts(number=1, published_at=timezone.now(), change_summary="", history=[]),
    )
    assert "Beeldopnamen, Kenteken" in html
