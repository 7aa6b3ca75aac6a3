import re

import pytest
from django.core import mail
from django.urls import reverse

from privacyregister.models import Invitation, Membership, User
from privacyregister.roles import Role
from tests.factories import BoardFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(board) -> str:
    return reverse("members", kwargs={"board": board.slug})


def test_inviting_a_new_address_creates_the_user_and_emails_a_link_to_choose_a_password(
    client, beheerder
):
    response = client.post(
        members_url(beheerder.board),
        {"email": "Nieuw@School.nl", "full_name": "Nina Nieuw", "role": Role.FG},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@school.nl")
    assert not user.has_usable_password()
    # Like an existing account, the new one holds the role once it accepts the invitation.
    assert not Membership.objects.filter(user=user, board=beheerder.board).exists()
    [invitation] = mail.outbox
    assert invitation.to == ["nieuw@school.nl"]
    assert beheerder.board.name in invitation.subject
    link = re.search(r"http://\S+/wachtwoord-instellen/\S+/", invitation.body).group(0)

    client.logout()
    form_page = client.get(link.replace("http://127.0.0.1:8000", ""), follow=True)
    assert "Kies een wachtwoord" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "een-heel-lang-nieuw-wachtwoord",
            "new_password2": "een-heel-lang-nieuw-wachtwoord",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-heel-lang-nieuw-wachtwoord")

    client.force_login(user)
    client.post(reverse("invitation_accept", kwargs={"pk": Invitation.objects.get().pk}))
    assert Membership.objects.filter(user=user, board=beheerder.board, role=Role.FG).exists()


def test_an_existing_user_is_invited_and_gets_no_password_link(client, beheerder):
    fg = UserFactory(email="fg@extern.nl")
    client.post(members_url(beheerder.board), {"email": "fg@extern.nl", "role": Role.FG})
    assert not fg.memberships.exists()
    [invitation] = mail.outbox
    assert "wachtwoord-instellen" not in invitation.body
    assert fg.has_usable_password()


def test_inviting_an_address_twice_for_the_same_role_is_refused(client, beheerder):
    data = {"email": "dubbel@school.nl", "role": Role.PRIVACY_OFFICER}
    client.post(members_url(beheerder.board), data)
    response = client.post(members_url(beheerder.board), data)
    assert response.status_code == 200
    assert "Dit adres is al uitgenodigd voor deze rol." in response.content.decode()
    assert Invitation.objects.filter(email="dubbel@school.nl").count() == 1
    assert len(mail.outbox) == 1


def test_inviting_a_member_for_a_role_they_hold_is_refused(client, beheerder):
    MembershipFactory(board=beheerder.board, role=Role.FG, user__email="fg@school.nl")
    response = client.post(members_url(beheerder.board), {"email": "fg@school.nl", "role": "fg"})
    assert "Deze gebruiker heeft deze rol hier al." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_role_on_a_school_of_another_board_is_refused(client, beheerder):
    foreign_school = SchoolFactory(board=BoardFactory())
    response = client.post(
        members_url(beheerder.board),
        {"email": "leider@school.nl", "role": Role.SCHOOLLEIDER, "school": foreign_school.pk},
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not User.objects.filter(email="leider@school.nl").exists()


def test_a_school_role_needs_a_school_and_a_board_role_none(client, beheerder):
    school = SchoolFactory(board=beheerder.board)
    response = client.post(
        members_url(beheerder.board), {"email": "a@school.nl", "role": Role.SCHOOLLEIDER}
    )
    assert "Kies de school van deze schoolleider of medewerker." in response.content.decode()
    response = client.post(
        members_url(beheerder.board), {"email": "a@school.nl", "role": Role.FG, "school": school.pk}
    )
    assert "Deze rol geldt voor het hele bestuur" in response.content.decode()
    assert not User.objects.filter(email="a@school.nl").exists()


def test_an_invalid_email_address_keeps_the_input_on_screen(client, beheerder):
    response = client.post(
        members_url(beheerder.board), {"email": "geen-adres", "full_name": "Nina", "role": Role.FG}
    )
    content = response.content.decode()
    assert "Voer een geldig e-mailadres in." in content
    assert 'value="Nina"' in content


def test_revoking_asks_for_confirmation_first(client, beheerder):
    other = MembershipFactory(board=beheerder.board, role=Role.FG)
    url = reverse("membership_revoke", kwargs={"board": beheerder.board.slug, "pk": other.pk})
    assert "Weet u zeker" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=other.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_the_last_beheerder_of_a_board_cannot_be_removed(client, beheerder):
    url = reverse("membership_revoke", kwargs={"board": beheerder.board.slug, "pk": beheerder.pk})
    response = client.post(url, follow=True)
    assert "moet minstens één beheerder houden" in response.content.decode()
    assert Membership.objects.filter(pk=beheerder.pk).exists()


def test_a_beheerder_can_be_removed_when_another_remains(client, beheerder):
    MembershipFactory(board=beheerder.board, role=Role.BEHEERDER)
    url = reverse("membership_revoke", kwargs={"board": beheerder.board.slug, "pk": beheerder.pk})
    client.post(url)
    assert not Membership.objects.filter(pk=beheerder.pk).exists()


def test_the_member_list_shows_only_this_boards_roles(client, beheerder):
    MembershipFactory(board=beheerder.board, user__email="collega@school.nl")
    MembershipFactory(user__email="vreemde@elders.nl")
    content = client.get(members_url(beheerder.board)).content.decode()
    assert "collega@school.nl" in content
    assert "vreemde@elders.nl" not in content


def test_a_duplicate_school_slug_is_refused_in_the_school_form(client, beheerder):
    school = SchoolFactory(board=beheerder.board, slug="de-ark")
    other = SchoolFactory(board=beheerder.board)
    url = reverse("school_edit", kwargs={"board": beheerder.board.slug, "school": other.slug})
    data = {"name": other.name, "slug": "de-ark", "brin": "12AB", "sector": "PO"}
    response = client.post(url, data)
    assert "Dit bestuur heeft al een school met deze korte naam." in response.content.decode()
    other.refresh_from_db()
    assert other.slug != school.slug
