from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacyregister import services
from privacyregister.models import Membership, SecurityEvent
from privacyregister.roles import Role
from processing.statements import statement_publish
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("action", flat=True))


def test_logins_and_failed_logins_are_logged_without_the_password(client):
    UserFactory(email="pim@example.nl")
    client.post(reverse("login"), {"username": "pim@example.nl", "password": "geheim-fout"})
    client.post(
        reverse("login"), {"username": "pim@example.nl", "password": "een-lang-testwachtwoord"}
    )
    assert actions() == ["auth.login_failed", "auth.login"]
    failed = SecurityEvent.objects.get(action="auth.login_failed")
    assert failed.detail == {"email": "pim@example.nl"}
    assert "geheim-fout" not in str(failed.detail)


def test_role_changes_publications_and_exports_are_logged_for_the_board(client):
    beheerder = MembershipFactory(role=Role.BEHEERDER)
    officer = UserFactory()
    invitation = services.invitation_create(
        actor=beheerder.user,
        board=beheerder.board,
        email=officer.email,
        full_name="",
        role=Role.PRIVACY_OFFICER,
        school=None,
    )
    membership = services.invitation_accept(actor=officer, invitation=invitation)
    services.membership_delete(actor=beheerder.user, membership=membership)
    statement_publish(actor=beheerder.user, board=beheerder.board, school=None, change_summary="x")
    client.force_login(beheerder.user)
    client.post(reverse("export_download", kwargs={"board": beheerder.board.slug, "format": "csv"}))
    assert actions() == [
        "invitation.created",
        "membership.created",
        "membership.deleted",
        "processing.statement.published",
        "auth.login",
        "processing.register.exported",
    ]
    page = client.get(reverse("audit_log", kwargs={"board": beheerder.board.slug})).content.decode()
    assert "privacyverklaring gepubliceerd" in page and "rol ingetrokken" in page


def test_another_boards_events_are_not_shown(client):
    fg = MembershipFactory(role=Role.FG)
    MembershipFactory(role=Role.BEHEERDER, user__email="vreemd@elders.nl")
    client.force_login(fg.user)
    page = client.get(reverse("audit_log", kwargs={"board": fg.board.slug})).content.decode()
    assert "vreemd@elders.nl" not in page


def test_role_changes_are_logged_with_who_made_them():
    beheerder = MembershipFactory(role=Role.BEHEERDER)
    newcomer = UserFactory()
    invitation = services.invitation_create(
        actor=beheerder.user,
        board=beheerder.board,
        email=newcomer.email,
        full_name="",
        role=Role.FG,
        school=None,
    )
    membership = services.invitation_accept(actor=newcomer, invitation=invitation)
    services.membership_delete(actor=beheerder.user, membership=membership)
    logged = SecurityEvent.objects.filter(board=beheerder.board).order_by("pk")
    assert [(e.action, e.actor) for e in logged] == [
        ("invitation.created", beheerder.user),
        ("membership.created", newcomer),
        ("membership.deleted", beheerder.user),
    ]
    assert logged.get(action="membership.deleted").detail == {
        "user": newcomer.email,
        "role": Role.FG,
    }


def test_a_newcomers_earlier_logins_elsewhere_stay_out_of_the_boards_log(client):
    beheerder = MembershipFactory(role=Role.BEHEERDER)
    newcomer = MembershipFactory(role=Role.BEHEERDER, user__email="nieuw@elders.nl").user
    earlier = SecurityEvent.objects.create(
        action="auth.login", actor=newcomer, ip_address="10.0.0.1"
    )
    SecurityEvent.objects.filter(pk=earlier.pk).update(at=timezone.now() - timedelta(days=30))
    invitation = services.invitation_create(
        actor=beheerder.user,
        board=beheerder.board,
        email=newcomer.email,
        full_name="",
        role=Role.FG,
        school=None,
    )
    services.invitation_accept(actor=newcomer, invitation=invitation)
    SecurityEvent.objects.create(action="auth.login", actor=newcomer, ip_address="10.0.0.2")
    client.force_login(beheerder.user)
    page = client.get(reverse("audit_log", kwargs={"board": beheerder.board.slug}))
    content = page.content.decode()
    assert "10.0.0.2" in content
    assert "10.0.0.1" not in content


@pytest.fixture
def admin_client_(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def test_roles_given_and_taken_in_the_admin_are_logged_with_the_administrator(admin_client_):
    client, admin = admin_client_, admin_client_.admin
    board = MembershipFactory(role=Role.BEHEERDER).board
    user = UserFactory()
    response = client.post(
        reverse("admin:privacyregister_membership_add"),
        {"user": user.pk, "board": board.pk, "role": Role.FG},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    created = SecurityEvent.objects.get(action="membership.created")
    assert (created.actor, created.board) == (admin, board)
    client.post(
        reverse("admin:privacyregister_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    deleted = SecurityEvent.objects.get(action="membership.deleted")
    assert (deleted.actor, deleted.board, deleted.detail["user"]) == (admin, board, user.email)


def test_a_role_changed_in_the_admin_is_logged_as_taken_and_given(admin_client_):
    client, admin = admin_client_, admin_client_.admin
    membership = MembershipFactory(role=Role.FG)
    school = SchoolFactory(board=membership.board)
    client.post(
        reverse("admin:privacyregister_membership_change", args=[membership.pk]),
        {
            "user": membership.user.pk,
            "board": membership.board.pk,
            "role": Role.SCHOOLLEIDER,
            "school": school.pk,
        },
    )
    logged = SecurityEvent.objects.filter(board=membership.board).order_by("pk")
    assert [(e.action, e.actor, e.detail["role"]) for e in logged] == [
        ("membership.deleted", admin, Role.FG),
        ("membership.created", admin, Role.SCHOOLLEIDER),
    ]


def test_roles_deleted_in_bulk_in_the_admin_are_logged(admin_client_):
    client, admin = admin_client_, admin_client_.admin
    memberships = MembershipFactory.create_batch(2, role=Role.FG)
    client.post(
        reverse("admin:privacyregister_membership_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in memberships],
            "post": "yes",
        },
    )
    assert not Membership.objects.exists()
    logged = SecurityEvent.objects.filter(action="membership.deleted")
    assert {(e.board, e.actor) for e in logged} == {(m.board, admin) for m in memberships}


def test_roles_that_go_with_a_user_deleted_in_the_admin_are_logged(admin_client_):
    client, admin = admin_client_, admin_client_.admin
    membership = MembershipFactory(role=Role.FG)
    client.post(
        reverse("admin:privacyregister_user_delete", args=[membership.user.pk]), {"post": "yes"}
    )
    deleted = SecurityEvent.objects.get(action="membership.deleted")
    assert (deleted.actor, deleted.board) == (admin, membership.board)
