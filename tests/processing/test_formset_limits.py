"""The row formsets of the activity form and of a retention rule: a posted row count is checked
before any row is built, so a tampered count costs nothing (issue 15, finding 1)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from privacyregister.roles import Role
from processing.forms import FORMSETS
from retention.models import RetentionException, RetentionRule
from tests.factories import ActivityFactory, MembershipFactory, RetentionRuleFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

REFUSED = "Het formulier is niet volledig of aangepast verstuurd"


@pytest.fixture
def activity(schoolleider):
    activity = ActivityFactory(board=schoolleider.board, applies_to_all_schools=False)
    activity.schools.add(schoolleider.school)
    return activity


@pytest.fixture
def create_url(activity):
    """The part of the activity with the purposes' rows."""
    return reverse(
        "activity_edit_part",
        kwargs={"board": activity.board.slug, "pk": activity.pk, "part": "doelen"},
    )


@pytest.fixture
def filled_in(client, create_url):
    data = form_data(client.get(create_url))
    data.update({"doelen-0-description": "Eerste doel"})
    return data


def test_a_huge_row_count_in_every_formset_is_refused_before_any_row_is_built(
    client, create_url, filled_in, activity, django_assert_max_num_queries
):
    for prefix, _heading, _formset in FORMSETS:
        filled_in[f"{prefix}-TOTAL_FORMS"] = "100000"
    # Building and rendering the rows costs queries per row: a bound on the queries is a bound
    # on the rows built (the old code built 2,000 rows per formset, 16,000 in all).
    with django_assert_max_num_queries(40):
        response = client.post(create_url, filled_in)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert 'name="doelen-1-description"' not in response.content.decode()
    assert not activity.purposes.exists()


@pytest.mark.parametrize("count", ["abc", "", "-1", "101", "99999999999999999999"])
def test_a_row_count_that_is_no_number_or_out_of_bounds_gives_a_dutch_400(
    client, create_url, filled_in, activity, count
):
    for extra in ({}, {"meer": "doelen"}):  # saving, and the "Rij toevoegen" button
        response = client.post(create_url, {**filled_in, "doelen-TOTAL_FORMS": count, **extra})
        assert response.status_code == 400, (count, extra)
        assert REFUSED in response.content.decode()
    assert not activity.purposes.exists()


def test_a_missing_management_form_gives_a_dutch_400(client, create_url, filled_in, activity):
    del filled_in["doelen-INITIAL_FORMS"]
    response = client.post(create_url, filled_in)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not activity.purposes.exists()


def test_the_add_row_button_for_an_unknown_formset_changes_nothing(client, create_url, filled_in):
    response = client.post(
        create_url, {**filled_in, "meer": "onbekend", "onbekend-TOTAL_FORMS": "x"}
    )
    assert response.status_code == 200
    assert 'name="doelen-1-description"' not in response.content.decode()


def test_the_add_row_button_stops_at_a_hundred_rows(client, create_url, filled_in, activity):
    filled_in["doelen-TOTAL_FORMS"] = "100"
    response = client.post(create_url, {**filled_in, "meer": "doelen"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Een onderdeel heeft hoogstens 100 rijen." in content
    assert 'name="doelen-99-description"' in content
    assert 'name="doelen-100-description"' not in content
    assert not activity.purposes.exists()


def test_editing_an_activity_with_a_tampered_row_count_changes_nothing(client, schoolleider):
    activity = ActivityFactory(board=schoolleider.board, applies_to_all_schools=False)
    activity.schools.add(schoolleider.school)
    url = reverse(
        "activity_edit_part",
        kwargs={"board": activity.board.slug, "pk": activity.pk, "part": "beveiliging"},
    )
    data = form_data(client.get(url))
    data.update({"security_measures": [], "cookies-TOTAL_FORMS": "100000"})
    response = client.post(url, data)
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.version == 1


@pytest.mark.parametrize("count", ["100000", "abc"])
def test_a_tampered_row_count_of_the_exceptions_of_a_rule_is_refused(client, count):
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER)
    client.force_login(membership.user)
    rule = RetentionRuleFactory(board=membership.board, name="Leerlingdossier")
    url = reverse("retention_rule_edit", kwargs={"board": rule.board.slug, "pk": rule.pk})
    data = form_data(client.get(url))
    data.update({"name": "Gewijzigd", "uitzonderingen-TOTAL_FORMS": count})
    response = client.post(url, data)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert RetentionRule.objects.get().name == "Leerlingdossier"
    assert not RetentionException.objects.exists()


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["page", "htmx"])
def test_the_row_limit_is_said_inside_the_rows_also_in_the_htmx_answer(
    client, create_url, filled_in, headers
):
    # The htmx answer is only the formset: a message at the top of the page went unseen.
    filled_in["doelen-TOTAL_FORMS"] = "100"
    response = client.post(create_url, {**filled_in, "meer": "doelen"}, **headers)
    rows = BeautifulSoup(response.content, "html.parser").find("fieldset", id="doelen")
    alert = rows.find(attrs={"role": "alert"})
    assert alert is not None
    assert alert.get_text(strip=True) == "Een onderdeel heeft hoogstens 100 rijen."
