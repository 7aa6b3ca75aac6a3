"""Property-based tests: the calendar arithmetic and the statement builder hold for any input."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacyregister.dates import add_months, add_period, next_working_day, public_holidays
from rights.deadlines import rights_deadline

days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))


@given(days, st.integers(min_value=0, max_value=600))
def test_adding_months_keeps_the_day_or_takes_the_last_of_the_month(start, months):
    end = add_months(start, months)
    assert (end.year - start.year) * 12 + end.month - start.month == months
    assert end.day == start.day or (
        end.day < start.day and (end + datetime.timedelta(days=1)).day == 1
    )


@given(
    days,
    # amount + 1 must stay within the longest period, a hundred years
    st.integers(min_value=1, max_value=99),
    st.sampled_from(["dagen", "weken", "maanden", "jaren"]),
)
def test_a_longer_period_never_ends_earlier(start, amount, unit):
    assert add_period(start, amount, unit) > start
    assert add_period(start, amount + 1, unit) >= add_period(start, amount, unit)


@given(days, st.booleans(), st.integers(min_value=0, max_value=60))
def test_a_deadline_is_a_working_day_at_least_a_month_away(received, extended, paused):
    deadline = rights_deadline(received, extended=extended, paused_days=paused)
    assert deadline.weekday() < 5
    assert deadline not in public_holidays(deadline.year)
    assert deadline >= add_months(received, 3 if extended else 1)
    # Never more than a long weekend plus holidays beyond the plain term.
    plain = add_months(received, 3 if extended else 1) + datetime.timedelta(days=paused)
    assert (deadline - plain).days <= 4


@given(days)
def test_next_working_day_is_idempotent(day):
    assert next_working_day(next_working_day(day)) == next_working_day(day)


text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=text, description=text, purpose=text, detail=text)
def test_any_register_content_renders_escaped(name, description, purpose, detail):
    from django.utils import timezone
    from django.utils.html import escape

    from processing.statements import (  # noqa: F401
        VersionFacts,
        build_snapshot,
        render_statement,
        statement_context,
    )
    from tests.factories import ActivityFactory, BoardFactory

    board = BoardFactory()
    activity = ActivityFactory(
        board=board,
        name=f"Verwerking {name}"[:200],
        description=description or "x",
        status="vastgesteld",
        approved_at=timezone.now(),
    )
    activity.purposes.create(description=purpose or "x", legal_basis="e", legal_basis_detail=detail)
    html = render_statement(
        build_snapshot(board, None),
        VersionFacts(number=1, published_at=timezone.now(), change_summary=detail, history=[]),
    )
    for value in [description, purpose, detail]:
        if value.strip() and len(value.splitlines()) == 1 and "\r" not in value:
            assert escape(value) in html or escape(value).strip() in html
    assert "<script" not in html.replace("&lt;script", "")
