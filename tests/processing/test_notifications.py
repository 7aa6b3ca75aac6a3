"""E-mails when an activity goes to review, is approved, or gets advice: sent through the
task queue after the commit, to the people it concerns, never to the one who acted."""

import pytest
from django.conf import settings
from django.urls import reverse

from privacyregister.models import NotificationSettings
from privacyregister.roles import Role
from processing import services
from processing.models import ProcessingActivity
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """A board with a privacy officer, an FG, a schoolleider and a medewerker, and an
    officer of another board."""
    school = SchoolFactory()
    board = school.board
    return {
        "board": board,
        "officer": MembershipFactory(board=board, role=Role.PRIVACY_OFFICER).user,
        "fg": MembershipFactory(board=board, role=Role.FG).user,
        "leader": MembershipFactory(board=board, role=Role.SCHOOLLEIDER, school=school).user,
        "medewerker": MembershipFactory(board=board, role=Role.MEDEWERKER, school=school).user,
        "outsider": MembershipFactory(role=Role.PRIVACY_OFFICER).user,
        "school": school,
    }


def submitted(team, captured, actor, **fields) -> ProcessingActivity:
    activity = ActivityFactory.create(board=team["board"], **fields)
    with captured(execute=True):
        services.activity_submit_for_review(
            actor=actor, activity=activity, expected_version=activity.version
        )
    activity.refresh_from_db()
    return activity


def addressees(mailoutbox) -> set[str]:
    return {address for mail in mailoutbox for address in mail.to}


def test_submitting_for_review_mails_who_may_approve_and_the_fg_but_not_the_submitter(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    activity = submitted(team, django_capture_on_commit_callbacks, team["leader"])

    assert addressees(mailoutbox) == {team["officer"].email, team["fg"].email}
    assert all(len(mail.to) == 1 for mail in mailoutbox)  # nobody sees the others' addresses
    mail = mailoutbox[0]
    assert mail.subject == f"Ter review: {activity.name}"
    assert "ter review aangeboden" in mail.body
    link = reverse("activity_detail", kwargs={"board": team["board"].slug, "pk": activity.pk})
    assert f"{settings.SITE_URL}{link}\n" in mail.body
    assert mail.body.count("http") == 2  # the activity and the page to switch mails off


def test_another_boards_members_are_never_mailed(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(team, django_capture_on_commit_callbacks, team["leader"])

    assert team["outsider"].email not in addressees(mailoutbox)
    assert team["medewerker"].email not in addressees(mailoutbox)


def test_a_user_who_switched_event_mails_off_gets_none(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=team["fg"], on_events=False)

    submitted(team, django_capture_on_commit_callbacks, team["leader"])

    assert addressees(mailoutbox) == {team["officer"].email}


def test_nothing_is_mailed_before_the_change_is_committed(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(board=team["board"])
    with django_capture_on_commit_callbacks() as callbacks:
        services.activity_submit_for_review(
            actor=team["leader"], activity=activity, expected_version=activity.version
        )
        assert mailoutbox == []

    assert len(callbacks) == 1


def test_advice_is_mailed_to_the_owner_and_the_privacy_officer_without_its_text(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(board=team["board"], owner=team["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=team["fg"], activity=activity, text="Camera 3 ziet de wc's.")

    assert addressees(mailoutbox) == {team["leader"].email, team["officer"].email}
    assert mailoutbox[0].subject == f"Nieuw advies van de FG over {activity.name}"
    assert all("Camera 3" not in mail.body for mail in mailoutbox)
    link = reverse("activity_comments", kwargs={"board": team["board"].slug, "pk": activity.pk})
    assert link in mailoutbox[0].body


def test_resolved_advice_is_mailed_to_the_fg_who_gave_it(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(board=team["board"], owner=team["officer"])
    comment = services.comment_add(actor=team["fg"], activity=activity, text="Graag een DPIA.")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_resolve(actor=team["officer"], comment=comment, resolution="Gedaan.")

    assert addressees(mailoutbox) == {team["fg"].email}
    assert mailoutbox[0].subject == f"Uw advies over {activity.name} is afgehandeld"


def test_approval_is_mailed_to_the_owner_and_the_submitter_but_not_the_approver(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    owner = MembershipFactory(board=team["board"], role=Role.PRIVACY_OFFICER).user
    activity = submitted(team, django_capture_on_commit_callbacks, team["leader"], owner=owner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_approve(
            actor=team["officer"], activity=activity, expected_version=activity.version
        )

    assert addressees(mailoutbox) == {owner.email, team["leader"].email}
    assert mailoutbox[0].subject == f"Vastgesteld: {activity.name}"


def test_an_owner_who_left_the_board_is_not_mailed(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    former = MembershipFactory(board=team["board"], role=Role.PRIVACY_OFFICER)
    activity = ActivityFactory(board=team["board"], owner=former.user)
    former.delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=team["fg"], activity=activity, text="Advies.")

    assert addressees(mailoutbox) == {team["officer"].email}


def test_a_user_chooses_their_mails_on_their_own_page(client, officer):
    url = reverse("notification_settings")
    assert "E-mail bij gebeurtenissen" in client.get(url).text

    response = client.post(url, {"weekly_digest": "on"})

    assert response.status_code == 302
    choice = NotificationSettings.objects.get(user=officer.user)
    assert (choice.on_events, choice.weekly_digest) == (False, True)


def test_the_mail_settings_page_asks_for_a_login(client):
    response = client.get(reverse("notification_settings"))

    assert response.status_code == 302 and "inloggen" in response.url
