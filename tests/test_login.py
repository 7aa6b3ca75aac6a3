import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_login_page_is_dutch(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in content
    assert "Inloggen" in content
    assert "E-mailadres" in content


def test_a_wrong_password_gives_a_dutch_error_and_keeps_the_email(client):
    UserFactory(email="pim@example.nl")
    response = client.post(reverse("login"), {"username": "pim@example.nl", "password": "fout"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in content
    assert 'value="pim@example.nl"' in content


def test_the_email_address_is_not_case_sensitive(client):
    UserFactory(email="pim@example.nl")
    response = client.post(
        reverse("login"), {"username": "Pim@Example.NL", "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_after_login_the_dashboard_lists_only_my_boards(client):
    mine = MembershipFactory(board__name="Stichting Mijn Bestuur")
    MembershipFactory(board__name="Stichting Ander Bestuur")
    client.force_login(mine.user)
    content = client.get("/").content.decode()
    assert "Stichting Mijn Bestuur" in content
    assert "Stichting Ander Bestuur" not in content


def test_a_user_without_roles_sees_what_to_do(client):
    client.force_login(UserFactory())
    assert "Vraag de beheerder" in client.get("/").content.decode()


def test_the_admin_lists_both_demo_boards_with_schools_and_activities(admin_client):
    from workspace.demo import load_demo

    load_demo()
    boards = admin_client.get("/admin/privacyregister/board/").content.decode()
    assert "Stichting CPOW" in boards
    assert "Veluwse Onderwijsgroep" in boards
    schools = admin_client.get("/admin/privacyregister/school/").content.decode()
    assert "22 scholen" in schools
    activities = admin_client.get("/admin/processing/processingactivity/").content.decode()
    assert "17 verwerkingen" in activities


def test_dutch_is_shown_even_to_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Wachtwoord" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_a_user_can_choose_english(client):
    client.post("/taal/setlang/", {"language": "en", "next": "/inloggen/"})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_an_fg_of_two_boards_can_switch_between_them(client):
    from privacyregister.roles import Role

    first = MembershipFactory(role=Role.FG, board__name="Stichting Eerste")
    MembershipFactory(user=first.user, role=Role.FG, board__name="Stichting Tweede")
    client.force_login(first.user)
    page = client.get(reverse("matrix", kwargs={"board": first.board.slug})).content.decode()
    assert "Ander bestuur" in page
    assert "Stichting Tweede" in page


def test_a_forgotten_password_is_reset_by_email(client, mailoutbox):
    user = UserFactory(email="pim@example.nl")
    response = client.post(reverse("password_reset"), {"email": "Pim@Example.nl"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["pim@example.nl"]
    assert "wachtwoord-instellen" in message.body
    client.post(reverse("password_reset"), {"email": "onbekend@example.nl"})
    assert len(mailoutbox) == 1  # the page does not reveal whether an address is known
    assert user.has_usable_password()


def test_five_wrong_passwords_lock_the_login_for_a_while(client):
    UserFactory(email="pim@example.nl")
    for _ in range(5):
        client.post(reverse("login"), {"username": "pim@example.nl", "password": "fout"})
    response = client.post(
        reverse("login"), {"username": "pim@example.nl", "password": "een-lang-testwachtwoord"}
    )
    assert response.status_code == 429
    assert "Te vaak een verkeerd wachtwoord" in response.content.decode()


def test_pages_forbid_inline_scripts_and_framing(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
