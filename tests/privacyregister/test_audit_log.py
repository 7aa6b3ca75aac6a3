import pytest
from django.urls import reverse

from privacyregister.models import Role, SecurityEvent
from processing.statements import statement_publish
from tests.factories import MembershipFactory, UserFactory

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
    officer = MembershipFactory(board=beheerder.board, role=Role.PRIVACY_OFFICER)
    officer.delete()
    statement_publish(actor=beheerder.user, board=beheerder.board, school=None, change_summary="x")
    client.force_login(beheerder.user)
    client.post(reverse("export_download", kwargs={"board": beheerder.board.slug, "format": "csv"}))
    assert actions() == [
        "membership.created",
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
