"""Every page of the benchmark stays within 15 SQL queries, whatever the size of the register.

Two generated boards, one of 15 and one of 150 activities: each page of `make bench` makes the
same number of queries on both, and at most QUERY_BUDGET, counted as the benchmark counts them.
The user is a privacy officer who logged in with two-factor authentication, as in production
(the device is looked up on every request).
"""

import importlib
import sys

import pytest
from django.core.management import call_command
from django.db import transaction

from benchmarks.pages import add_row_query_count, officer_session, pages, query_counts
from privacyregister.models import Board
from privacyregister.roles import Role

QUERY_BUDGET = 15
SIZES = {"klein": 15, "groot": 150}


@pytest.fixture(scope="module")
def boards(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for prefix, activities in SIZES.items():
            call_command(
                "generate_sector",
                boards=1,
                schools_per_board=5,
                activities_per_board=activities,
                prefix=prefix,
                jobs=1,
                verbosity=0,
            )
            _with_every_kind_of_row(Board.objects.get(slug=f"{prefix}-1"))
        yield
        transaction.set_rollback(True)


def _with_every_kind_of_row(board: Board) -> None:
    """The first activity gets a row of each kind, so its detail page reads them all."""
    activity = board.activities.filter(status="vastgesteld").order_by("pk").first()
    assert activity is not None
    dossier = activity.dossiers.create(name="Leerlingdossier")
    activity.data_categories.update(dossier=dossier)
    processor = board.recipients.filter(in_eea=False).first()
    assert processor is not None
    activity.processors.add(processor)
    activity.transfers.create(recipient=processor, country=processor.country, safeguard="scc")
    # Not one of generate_sector's cookie names: that one gives every 30th activity (by primary
    # key, which depends on the tests before) a "sessionid" cookie already.
    activity.cookies.create(name="taal", kind="functioneel", purpose="Taalkeuze", lifetime="1 dag")
    activity.comments.create(author=board.memberships.get(role=Role.FG).user, text="Nalopen.")


@pytest.mark.django_db
def test_every_benchmarked_page_makes_the_same_few_queries_for_a_small_and_a_large_register(
    boards,
):
    counts = {}
    for prefix in SIZES:
        board = Board.objects.get(slug=f"{prefix}-1")
        counts[prefix] = query_counts(pages(board), officer_session(board), host="testserver")
    print(counts["groot"])
    assert counts["klein"] == counts["groot"]
    assert {page: n for page, n in counts["groot"].items() if n > QUERY_BUDGET} == {}


@pytest.mark.django_db
def test_adding_a_row_to_a_part_makes_the_same_few_queries_for_a_small_and_a_large_register(
    boards,
):
    counts = {}
    for prefix in SIZES:
        board = Board.objects.get(slug=f"{prefix}-1")
        counts[prefix] = add_row_query_count(board, officer_session(board), host="testserver")
    assert counts["klein"] == counts["groot"] <= QUERY_BUDGET


def test_the_page_list_is_imported_without_changing_the_import_path():
    # benchmarks/run.py is the command line and puts the project on sys.path; what tests use
    # lives in benchmarks/pages.py, which does nothing when imported.
    before = list(sys.path)
    importlib.reload(importlib.import_module("benchmarks.pages"))
    assert sys.path == before


@pytest.mark.django_db
def test_the_htmx_answers_of_the_editor_stay_within_the_budget(
    client, officer, django_assert_max_num_queries
):
    from django.urls import reverse

    from tests.factories import RecipientFactory
    from tests.forms import form_data

    board = officer.board
    for n in range(20):
        RecipientFactory(board=board, name=f"Leverancier {n}")
    create = reverse("activity_create", kwargs={"board": board.slug})
    data = {**form_data(client.get(create)), "meer": "doelen"}
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.post(create, data, HTTP_HX_REQUEST="true").status_code == 200
    new_term = {
        "veld": "processors",
        "nieuw-processors-name": "Parnassys",
        "nieuw-processors-kind": "verwerker",
        "nieuw-processors-country": "NL",
    }
    terms = reverse("term_create", kwargs={"board": board.slug, "kind": "ontvangers"})
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.post(terms, new_term, HTTP_HX_REQUEST="true").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 12])
def test_adding_a_row_to_a_part_with_many_rows_stays_within_the_budget(
    client, officer, django_assert_max_num_queries, rows
):
    # Adding a row is not saving: the rows come back as typed, without looking each chosen
    # term up again (that made seven queries a row).
    from django.urls import reverse

    from tests.factories import ActivityFactory, DataCategoryFactory, SubjectGroupFactory
    from tests.forms import form_data

    board = officer.board
    activity = ActivityFactory(board=board)
    group = SubjectGroupFactory(board=board)
    for n in range(rows):
        activity.data_categories.create(
            category=DataCategoryFactory(board=board, name=f"Gegevens {n}"), subject_group=group
        )
    part = reverse(
        "activity_edit_part", kwargs={"board": board.slug, "pk": activity.pk, "part": "gegevens"}
    )
    data = {**form_data(client.get(part)), "meer": "gegevens"}
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.post(part, data, HTTP_HX_REQUEST="true")
    assert f'name="gegevens-{rows + 1}-category"' in response.text
