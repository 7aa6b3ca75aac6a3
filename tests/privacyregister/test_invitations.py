"""Adding an existing account to a board is an invitation that person accepts or declines.

Until they accept, the board sees nothing of the account but the address it typed.
"""

import pytest
from django.core import mail
from django.urls import reverse

from privacyregister import services
from privacyregister.models import Invitation, Membership, SecurityEvent
from privacyregister.roles import Role
from tests.factories import BoardFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    """Someone with an account and a role at another board."""
    return MembershipFactory(
        user__email="fien@elders.nl", user__full_name="Fien Verborgen", role=Role.BEHEERDER
    ).user


def members_url(board) -> str:
    return reverse("members", kwargs={"board": board.slug})


def invite(client, board, email="Fien@Elders.nl", role=Role.PRIVACY_OFFICER, **extra):
    return client.post(members_url(board), {"email": email, "role": role, **extra})


def test_adding_an_existing_account_invites_it_without_giving_the_role(
    client, beheerder, elsewhere
):
    response = invite(client, beheerder.board)
    assert response.status_code == 302
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()
    invitation = Invitation.objects.get(board=beheerder.board)
    assert (invitation.email, invitation.role) == ("fien@elders.nl", Role.PRIVACY_OFFICER)
    assert invitation.status == Invitation.Status.PENDING
    [message] = mail.outbox
    assert message.to == ["fien@elders.nl"]
    assert beheerder.board.name in message.body
    assert "wachtwoord-instellen" not in message.body


def test_the_members_page_shows_only_the_typed_address_of_an_invited_account(
    client, beheerder, elsewhere
):
    response = client.post(
        members_url(beheerder.board), {"email": "Fien@Elders.nl", "role": Role.FG}, follow=True
    )
    content = client.get(members_url(beheerder.board)).content.decode()
    assert "fien@elders.nl" in content
    assert "Fien Verborgen" not in content
    assert "Fien Verborgen" not in str(list(response.context["messages"]))


def test_the_answer_to_a_new_address_and_an_existing_account_is_the_same(
    client, beheerder, elsewhere
):
    old = client.post(
        members_url(beheerder.board), {"email": "fien@elders.nl", "role": Role.FG}, follow=True
    )
    new = client.post(
        members_url(beheerder.board), {"email": "nieuw@school.nl", "role": Role.FG}, follow=True
    )
    assert [str(m) for m in old.context["messages"]] == [
        str(m).replace("nieuw@school.nl", "fien@elders.nl") for m in new.context["messages"]
    ]


def test_the_invited_person_sees_the_invitation_on_the_dashboard_and_accepts_it(
    client, beheerder, elsewhere
):
    invite(client, beheerder.board)
    client.force_login(elsewhere)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert beheerder.board.name in dashboard
    invitation = Invitation.objects.get()
    response = client.post(reverse("invitation_accept", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    membership = Membership.objects.get(user=elsewhere, board=beheerder.board)
    assert membership.role == Role.PRIVACY_OFFICER
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    matrix = reverse("matrix", kwargs={"board": beheerder.board.slug})
    assert client.get(matrix).status_code == 200
    event = SecurityEvent.objects.get(action="membership.created", board=beheerder.board)
    assert event.actor == elsewhere
    assert event.detail["invited_by"] == beheerder.user.email


def test_declining_an_invitation_gives_no_role(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    client.force_login(elsewhere)
    response = client.post(reverse("invitation_decline", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()
    assert not client.get(reverse("dashboard")).context["invitations"]


def test_another_user_cannot_accept_someone_elses_invitation(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    intruder = UserFactory()
    client.force_login(intruder)
    for name in ("invitation_accept", "invitation_decline"):
        response = client.post(reverse(name, kwargs={"pk": invitation.pk}))
        assert response.status_code == 404
    assert not Membership.objects.filter(board=beheerder.board, user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_accepting_needs_a_post(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    client.force_login(elsewhere)
    url = reverse("invitation_accept", kwargs={"pk": Invitation.objects.get().pk})
    assert client.get(url).status_code == 405
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()


def test_an_answered_invitation_cannot_be_answered_again(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    client.force_login(elsewhere)
    client.post(reverse("invitation_decline", kwargs={"pk": invitation.pk}))
    response = client.post(reverse("invitation_accept", kwargs={"pk": invitation.pk}))
    assert response.status_code == 404
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()


def test_the_same_invitation_cannot_be_sent_twice_while_it_is_open(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    response = invite(client, beheerder.board)
    assert response.status_code == 200
    assert "al uitgenodigd" in response.content.decode()
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_beheerder_withdraws_an_open_invitation(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    url = reverse(
        "invitation_withdraw", kwargs={"board": beheerder.board.slug, "pk": invitation.pk}
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.WITHDRAWN
    client.force_login(elsewhere)
    response = client.post(reverse("invitation_accept", kwargs={"pk": invitation.pk}))
    assert response.status_code == 404
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()


def test_another_boards_beheerder_cannot_withdraw_an_invitation(client, beheerder, elsewhere):
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    other = MembershipFactory(role=Role.BEHEERDER)
    client.force_login(other.user)
    for board in (beheerder.board, other.board):
        url = reverse("invitation_withdraw", kwargs={"board": board.slug, "pk": invitation.pk})
        assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_school_role_is_accepted_for_the_school_it_was_offered_for(client, beheerder, elsewhere):
    school = SchoolFactory(board=beheerder.board)
    invite(client, beheerder.board, role=Role.SCHOOLLEIDER, school=school.pk)
    client.force_login(elsewhere)
    client.post(reverse("invitation_accept", kwargs={"pk": Invitation.objects.get().pk}))
    membership = Membership.objects.get(user=elsewhere, board=beheerder.board)
    assert (membership.role, membership.school) == (Role.SCHOOLLEIDER, school)


def test_an_invitation_for_another_board_school_cannot_exist():
    board = BoardFactory()
    invitation = Invitation(
        board=board,
        email="a@b.nl",
        role=Role.SCHOOLLEIDER,
        school=SchoolFactory(board=BoardFactory()),
    )
    with pytest.raises(Exception, match="hoort niet bij dit bestuur"):
        invitation.full_clean()


def test_an_invitation_withdrawn_while_it_is_being_accepted_gives_a_message(
    client, beheerder, elsewhere, monkeypatch
):
    """The beheerder withdraws at the moment the invitee accepts: after the page found the
    invitation open, before the service locked it."""
    invite(client, beheerder.board)
    invitation = Invitation.objects.get()
    accept = services.invitation_accept

    def withdrawn_first(*, actor, invitation):
        services.invitation_withdraw(actor=beheerder.user, invitation=invitation)
        return accept(actor=actor, invitation=invitation)

    monkeypatch.setattr(services, "invitation_accept", withdrawn_first)
    client.force_login(elsewhere)
    response = client.post(reverse("invitation_accept", kwargs={"pk": invitation.pk}), follow=True)
    assert response.status_code == 200
    assert "staat niet (meer) voor u open" in response.content.decode()
    assert not Membership.objects.filter(user=elsewhere, board=beheerder.board).exists()
