"""The weekly digest (what the dashboard shows, by mail, nothing when nothing waits) and the
dashboard per role: the schoolleider's school, the medewerker's register, the FG's exports."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacyregister.models import NotificationSettings
from privacyregister.roles import Role
from processing.models import ProcessingActivity, RegisterExport
from tests.factories import ActivityFactory, MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db

IN_REVIEW, APPROVED = ProcessingActivity.Status.IN_REVIEW, ProcessingActivity.Status.APPROVED


def test_the_weekly_digest_tells_the_officer_what_waits_for_approval(officer, mailoutbox):
    ActivityFactory(board=officer.board, name="Camerabewaking", status=IN_REVIEW)

    call_command("send_weekly_digest")

    assert [mail.to for mail in mailoutbox] == [[officer.user.email]]
    assert "1 verwerking wacht op vaststelling" in mailoutbox[0].body
    assert "- Camerabewaking" in mailoutbox[0].body
    assert officer.board.name in mailoutbox[0].subject


def test_no_digest_is_sent_when_nothing_waits(officer, mailoutbox):
    ActivityFactory(board=officer.board, status=APPROVED, approved_at=timezone.now())

    call_command("send_weekly_digest")

    assert mailoutbox == []


def test_a_user_who_switched_the_digest_off_gets_none(officer, mailoutbox):
    ActivityFactory(board=officer.board, status=IN_REVIEW)
    NotificationSettings.objects.create(user=officer.user, weekly_digest=False)

    call_command("send_weekly_digest")

    assert mailoutbox == []


def test_the_digest_does_not_look_at_members_who_can_never_get_one(
    officer, mailoutbox, django_assert_max_num_queries
):
    ActivityFactory(board=officer.board, status=IN_REVIEW)
    school = SchoolFactory(board=officer.board)
    for _n in range(10):
        MembershipFactory(board=officer.board, role=Role.MEDEWERKER, school=school)

    with django_assert_max_num_queries(10):  # the officer's board, not 3 more per medewerker
        call_command("send_weekly_digest")

    assert [mail.to for mail in mailoutbox] == [[officer.user.email]]


def test_a_schoolleider_sees_only_what_concerns_their_school(client, officer):
    own, other = SchoolFactory(board=officer.board), SchoolFactory(board=officer.board)
    leader = MembershipFactory(board=officer.board, role=Role.SCHOOLLEIDER, school=own)
    mine = ActivityFactory(board=officer.board, name="Eigen", status=IN_REVIEW)
    mine.applies_to_all_schools = False
    mine.save()
    mine.schools.set([own])
    theirs = ActivityFactory(board=officer.board, name="Andere", status=IN_REVIEW)
    theirs.applies_to_all_schools = False
    theirs.save()
    theirs.schools.set([other])
    client.force_login(leader.user)

    content = client.get(reverse("dashboard")).text

    assert ">Eigen</a>" in content and ">Andere</a>" not in content


def test_a_medewerker_sees_the_approved_register_of_their_school(client, officer):
    school = SchoolFactory(board=officer.board)
    medewerker = MembershipFactory(board=officer.board, role=Role.MEDEWERKER, school=school)
    approved = ActivityFactory(
        board=officer.board, name="Leerlingvolgsysteem", status=APPROVED, approved_at=timezone.now()
    )
    ActivityFactory(board=officer.board, name="Nog een concept")
    client.force_login(medewerker.user)

    content = client.get(reverse("dashboard")).text

    link = reverse("activity_detail", kwargs={"board": officer.board.slug, "pk": approved.pk})
    assert f'href="{link}">Leerlingvolgsysteem</a>' in content
    assert "Nog een concept" not in content


def test_the_fg_sees_their_exports_that_are_ready(client, officer):
    fg = MembershipFactory(board=officer.board, role=Role.FG)
    export = RegisterExport.objects.create(
        board=officer.board,
        exported_by=fg.user,
        format=RegisterExport.Format.CSV,
        activity_count=3,
        status=RegisterExport.Status.READY,
        content=b"x",
    )
    client.force_login(fg.user)

    content = client.get(reverse("dashboard")).text

    assert "Exports klaar om te downloaden" in content
    assert reverse("export_file", kwargs={"board": officer.board.slug, "pk": export.pk}) in content


@pytest.mark.parametrize(
    "role", [Role.PRIVACY_OFFICER, Role.FG, Role.BEHEERDER, Role.SCHOOLLEIDER, Role.MEDEWERKER]
)
def test_the_dashboard_stays_within_15_queries_for_every_role(
    client, role, django_assert_max_num_queries
):
    school = SchoolFactory()
    membership = MembershipFactory(
        board=school.board,
        role=role,
        school=school if role in (Role.SCHOOLLEIDER, Role.MEDEWERKER) else None,
    )
    for n in range(20):
        activity = ActivityFactory(
            board=school.board, status=[IN_REVIEW, APPROVED][n % 2], approved_at=timezone.now()
        )
        activity.comments.create(author=membership.user, text="Advies.")
    client.force_login(membership.user)
    client.get(reverse("dashboard"))  # the session is renewed on the first request

    with django_assert_max_num_queries(15):
        assert client.get(reverse("dashboard")).status_code == 200
