"""The register pages make a fixed number of queries, however large the register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacyregister.models import Role
from processing.models import ProcessingActivity
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    MembershipFactory,
    RecipientFactory,
    RetentionRuleFactory,
    SchoolFactory,
    SubjectGroupFactory,
)

pytestmark = pytest.mark.django_db


def fill(board, count: int) -> list[ProcessingActivity]:
    school = SchoolFactory(board=board)
    group = SubjectGroupFactory(board=board)
    category = DataCategoryFactory(board=board)
    processor = RecipientFactory(board=board, kind="verwerker", dpa_status="getekend")
    rule = RetentionRuleFactory(board=board)
    made = []
    for i in range(count):
        activity = ActivityFactory(
            board=board,
            applies_to_all_schools=i % 2 == 0,
            status="vastgesteld",
            approved_at=timezone.now(),
        )
        activity.schools.add(school)
        activity.subject_groups.add(group)
        activity.processors.add(processor)
        activity.retention_rules.add(rule)
        activity.purposes.create(description="Doel", legal_basis="e")
        activity.data_categories.create(category=category, subject_group=group)
        made.append(activity)
    return made


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["activity_list", "lint"])
def test_list_pages_make_the_same_queries_for_10_and_200_activities(client, page):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    url = reverse(page, kwargs={"board": officer.board.slug})
    fill(officer.board, 10)
    few = queries(client, url)
    fill(officer.board, 190)
    assert queries(client, url) == few
    print(f"{page}: {few} queries at 200 activities")


def test_the_detail_page_makes_the_same_queries_in_a_register_of_200(client):
    officer = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(officer.user)
    first = fill(officer.board, 1)[0]
    url = reverse("activity_detail", kwargs={"board": officer.board.slug, "pk": first.pk})
    alone = queries(client, url)
    fill(officer.board, 199)
    assert queries(client, url) == alone
    print(f"activity_detail: {alone} queries at 200 activities")


def test_an_employee_list_is_constant_too(client):
    school = SchoolFactory()
    employee = MembershipFactory(board=school.board, role=Role.MEDEWERKER, school=school)
    client.force_login(employee.user)
    url = reverse("activity_list", kwargs={"board": school.board.slug})
    fill(school.board, 10)
    few = queries(client, url)
    fill(school.board, 190)
    assert queries(client, url) == few
