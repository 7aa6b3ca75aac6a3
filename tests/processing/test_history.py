"""The history page: paged before any difference is worked out, in plain words."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, strip_tags

from benchmarks.pages import TRANSACTION_CONTROL
from processing.models import ProcessingActivity
from processing.word_diff import MAX_WORDS, word_diff
from tests.factories import (
    ActivityFactory,
    DataCategoryFactory,
    SubjectGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HISTORY_QUERY_BUDGET = 15


def history_url(activity: ProcessingActivity, **params) -> str:
    url = reverse("activity_history", kwargs={"board": activity.board.slug, "pk": activity.pk})
    return url + "".join(f"?{key}={value}" for key, value in params.items())


def saved(board, times: int) -> ProcessingActivity:
    """An activity saved `times` times after its creation, as the edit page saves it: the
    activity (by someone, with a new owner), one of its rows, and now and then its terms."""
    activity = ActivityFactory.create(board=board)
    purpose = activity.purposes.create(description="Doel 0", legal_basis="e")
    groups = [
        SubjectGroupFactory.create(board=board, name=f"Groep {n} van {activity}") for n in range(3)
    ]
    for n in range(1, times + 1):
        activity.description = f"Versie {n}"
        # One word per name: random names can share a word ("van der"), which the word-by-word
        # marks then split, and the page no longer shows the new name in one piece.
        activity.owner = UserFactory.create(full_name=f"Eigenaar{n}")
        activity.save()
        purpose.description = f"Doel {n}"
        purpose.save()
        activity.subject_groups.set([groups[n % 3]])
    return activity


def queries_of(client, url: str) -> int:
    """SQL queries of a page, counted as the benchmark counts them."""
    client.get(url)  # the session is renewed on the first request
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return sum(not query["sql"].startswith(TRANSACTION_CONTROL) for query in context)


def test_the_history_page_makes_the_same_few_queries_for_5_and_200_saves(client, officer):
    few = saved(officer.board, 5)
    many = saved(officer.board, 200)

    counts = {saves: queries_of(client, history_url(a)) for saves, a in [(5, few), (200, many)]}

    assert counts[5] == counts[200]
    assert counts[200] <= HISTORY_QUERY_BUDGET


def test_every_page_of_the_history_makes_the_same_few_queries(client, officer):
    activity = saved(officer.board, 40)
    counts = {page: queries_of(client, history_url(activity, pagina=page)) for page in [1, 2, 5]}
    assert len(set(counts.values())) == 1
    assert counts[1] <= HISTORY_QUERY_BUDGET


def test_the_history_is_newest_first_across_the_activity_and_its_rows(client, officer):
    activity = saved(officer.board, 40)
    first_page = client.get(history_url(activity)).context["page"]
    last_page = client.get(history_url(activity, pagina=99)).context["page"]

    whens = [entry.when for entry in first_page] + [entry.when for entry in last_page]
    assert whens == sorted(whens, reverse=True)
    assert len(first_page) == 25
    # The first version of the activity and its first row are on the last page.
    assert last_page[-1].what == "verwerking toegevoegd"
    assert last_page[-2].what == "doel toegevoegd: Doel 0"


def test_a_changed_row_is_named_by_its_own_text_not_as_an_internal_record(client, officer):
    activity = saved(officer.board, 2)
    content = client.get(history_url(activity)).text

    assert "doel gewijzigd: Doel 2" in content
    assert "Doel <span" in content  # the word that stayed is not struck through
    assert "<del>1</del>" in content and "<ins>2</ins>" in content
    assert " as of " not in content
    assert "Historical" not in content


def test_changed_terms_and_people_are_shown_by_name(client, officer):
    activity = saved(officer.board, 2)
    content = client.get(history_url(activity)).text

    assert f"<del>Groep 1 van {activity}</del>" in content
    assert f"<ins>Groep 2 van {activity}</ins>" in content
    # Marked word by word: a name that shares a word with the old one is split by the marks.
    assert escape(str(activity.owner)) in strip_tags(content)
    assert "Versie <span" in content and "<del>1</del>" in content and "<ins>2</ins>" in content


def test_a_changed_row_shows_the_terms_it_points_at_by_name(client, officer):
    activity = ActivityFactory(board=officer.board)
    pupils = SubjectGroupFactory(board=officer.board, name="Leerlingen")
    parents = SubjectGroupFactory(board=officer.board, name="Ouders")
    row = activity.data_categories.create(
        category=DataCategoryFactory(board=officer.board, name="Adres"), subject_group=pupils
    )
    row.subject_group = parents
    row.save()
    content = client.get(history_url(activity)).text

    assert "verwerkt gegeven gewijzigd: Adres (Ouders)" in content
    assert "verwerkt gegeven toegevoegd: Adres (Leerlingen)" in content
    assert "<del>Leerlingen</del>" in content and "<ins>Ouders</ins>" in content


def test_a_changed_text_marks_only_the_words_that_changed(client, officer):
    activity = ActivityFactory(board=officer.board, description="Wij bewaren de cijfers kort.")
    activity.description = "Wij bewaren de cijfers en absenties vijf jaar."
    activity.save()
    content = client.get(history_url(activity)).text

    assert "Wij bewaren de cijfers <span" in content
    assert '<span class="visually-hidden">verwijderd:</span><del>kort.</del>' in content
    assert (
        '<span class="visually-hidden">toegevoegd:</span><ins>en absenties vijf jaar.</ins>'
        in content
    )
    assert "<del>Wij bewaren" not in content


def test_a_changed_text_is_escaped_in_the_word_by_word_comparison():
    old, new = word_diff("Een <b>oude</b> tekst", "Een <b>nieuwe</b> tekst & meer")

    assert "<b>" not in old + new
    assert "&lt;b&gt;oude&lt;/b&gt;" in old and "&amp;" in new


def test_a_huge_text_is_marked_as_a_whole_instead_of_word_by_word():
    huge = " ".join(f"woord{n}" for n in range(MAX_WORDS + 1))
    old, new = word_diff(huge, huge + " erbij")

    assert old.count("<del>") == 1 and old.startswith('<span class="visually-hidden">')
    assert new.count("<ins>") == 1 and new.endswith("erbij</ins>")


def test_each_table_of_changes_is_named_by_its_own_entry_not_as_a_landmark(client, officer):
    # Saves of the same fields in the same minute read alike: named "Wijzigingen" or by their
    # entry, 25 regions would be landmarks a screen reader cannot tell apart.
    content = client.get(history_url(saved(officer.board, 3))).text
    named_by = re.findall(
        r'class="table-scroll" tabindex="0" role="group" aria-labelledby="([^"]+)"', content
    )

    assert len(named_by) > 3
    assert 'role="region"' not in content
    assert all(content.count(f'<header id="{entry}">') == 1 for entry in named_by)
    assert len(set(named_by)) == len(named_by)
