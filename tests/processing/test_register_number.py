"""Every activity has a register number in its board's register, given once and never reused."""

import pytest
from django.urls import reverse

from processing.models import ProcessingActivity
from tests.factories import ActivityFactory, BoardFactory

pytestmark = pytest.mark.django_db


def test_activities_are_numbered_one_after_the_other_per_board():
    board, other = BoardFactory(), BoardFactory()
    first, second = ActivityFactory(board=board), ActivityFactory(board=board)
    elsewhere = ActivityFactory(board=other)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)


def test_the_number_of_a_deleted_activity_is_not_given_again():
    board = BoardFactory()
    ActivityFactory(board=board)
    ActivityFactory(board=board).delete()
    assert ActivityFactory(board=board).number == 3


def test_a_number_stays_when_the_activity_is_saved_again():
    activity = ActivityFactory()
    activity.name = "Andere naam"
    activity.save()
    activity.refresh_from_db()
    assert activity.number == 1
    assert set(activity.history.values_list("number", flat=True)) == {1}


def test_the_number_is_shown_on_the_register_and_the_activity_page(client, officer):
    board = officer.board
    ActivityFactory(board=board)
    activity = ActivityFactory(board=board, name="Camerabewaking")
    register = client.get(reverse("activity_list", kwargs={"board": board.slug}))
    page = client.get(reverse("activity_detail", kwargs={"board": board.slug, "pk": activity.pk}))
    assert "Nr." in register.content.decode()
    assert f"<td>{activity.number}</td>" in register.content.decode().replace(" ", "")
    assert f"nr. {activity.number} in het register" in page.content.decode()


def test_two_activities_cannot_share_a_number_in_one_board():
    from django.db import IntegrityError, transaction

    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProcessingActivity.objects.filter(pk=ActivityFactory(board=activity.board).pk).update(
            number=activity.number
        )
