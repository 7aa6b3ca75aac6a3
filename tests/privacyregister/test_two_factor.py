import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacyregister.models import SecurityEvent
from privacyregister.roles import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.TWO_FACTOR_ENFORCED = True


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(client, email):
    response = client.post(
        reverse("login"), {"username": email, "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 302


def set_up(client) -> list[str]:
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get()
    response = client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    return list(response.context["codes"])


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PRIVACY_OFFICER, Role.FG])
def test_roles_that_see_the_whole_register_must_set_up_two_factor_login(client, role):
    membership = MembershipFactory(role=role, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    page = client.get(reverse("matrix", kwargs={"board": membership.board.slug}))
    assert page.status_code == 302 and page.url == reverse("two_factor_setup")
    setup = client.get(reverse("two_factor_setup")).content.decode()
    assert "Scan deze QR-code" in setup and "data:image/svg+xml;base64," in setup
    codes = set_up(client)
    assert len(codes) == 10
    assert client.get(reverse("matrix", kwargs={"board": membership.board.slug})).status_code == 200
    assert SecurityEvent.objects.filter(action="auth.two_factor_enabled").exists()


def test_a_wrong_setup_code_is_refused(client):
    MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    client.get(reverse("two_factor_setup"))
    response = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_the_next_login_asks_for_a_code_and_a_backup_code_works_once(client):
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    codes = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    target = reverse("activity_list", kwargs={"board": membership.board.slug})
    response = client.get(target)
    assert response.url == f"{reverse('two_factor_verify')}?next={target}"
    right = client.post(response.url, {"code": codes[0]})
    assert right.url == target
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    again = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert "al gebruikt" in again.content.decode()


def test_an_employee_logs_in_without_a_second_step(client):
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    MembershipFactory(
        board=school.board, role=Role.MEDEWERKER, school=school, user__email="m@example.nl"
    )
    log_in(client, "m@example.nl")
    assert (
        client.get(reverse("activity_list", kwargs={"board": school.board.slug})).status_code == 200
    )


def test_public_statements_need_no_login_at_all(client):
    MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    assert client.get("/privacy/onbekend/").status_code == 404  # not redirected to the setup


def test_an_unsafe_next_address_is_ignored(client):
    MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    codes = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    response = client.post(
        f"{reverse('two_factor_verify')}?next=https://kwaad.example/", {"code": codes[1]}
    )
    assert response.url == "/"


def test_a_wrong_login_code_is_refused(client):
    membership = MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    set_up(client)
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert "klopt niet" in wrong.content.decode()
    page = client.get(reverse("matrix", kwargs={"board": membership.board.slug}))
    assert page.url.startswith(reverse("two_factor_verify"))


def log_in_at_the_admin(client, email):
    response = client.post(
        reverse("admin:login"),
        {"username": email, "password": "een-lang-testwachtwoord", "next": "/admin/"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}], ids=["staff", "super"]
)
def test_the_admin_asks_a_staff_user_to_set_up_two_factor_login_first(client, flags):
    UserFactory(email="admin@example.nl", **flags)
    log_in_at_the_admin(client, "admin@example.nl")
    for page in ["/admin/", "/admin/rights/rightsrequest/", "/admin/login/"]:
        response = client.get(page)
        assert response.status_code == 302 and response.url == reverse("two_factor_setup")
    set_up(client)
    assert client.get("/admin/").status_code == 200


def test_a_superuser_with_an_app_must_give_a_code_before_the_admin(client):
    UserFactory(email="admin@example.nl", is_staff=True, is_superuser=True)
    log_in(client, "admin@example.nl")
    codes = set_up(client)
    client.post(reverse("logout"))
    log_in_at_the_admin(client, "admin@example.nl")
    response = client.get("/admin/")
    assert response.url == f"{reverse('two_factor_verify')}?next=/admin/"
    client.post(response.url, {"code": codes[0]})
    assert client.get("/admin/").status_code == 200


def test_setting_up_two_factor_login_gives_the_session_a_new_key(client):
    MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    before = client.session.session_key
    set_up(client)
    assert client.session.session_key != before
    assert client.get("/").status_code == 200  # still logged in, and verified


def test_a_login_code_gives_the_session_a_new_key(client):
    MembershipFactory(role=Role.FG, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    codes = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    before = client.session.session_key
    client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert client.session.session_key != before
    assert client.get("/").status_code == 200


def test_a_page_with_several_query_parameters_comes_back_whole_after_the_code(client):
    membership = MembershipFactory(role=Role.PRIVACY_OFFICER, user__email="a@example.nl")
    log_in(client, "a@example.nl")
    codes = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "a@example.nl")
    target = reverse("activity_list", kwargs={"board": membership.board.slug})
    target += "?q=leerling&status=vastgesteld"
    asked = client.get(target)
    assert client.post(asked.url, {"code": codes[0]}).url == target
