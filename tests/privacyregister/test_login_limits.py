"""Limits on guessing passwords and on password-reset mails (issue 15, finding 2)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from privacyregister.models import SecurityEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "een-lang-testwachtwoord"


def attempt(client, email: str, password: str = "fout", ip: str = "192.0.2.1", **headers):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def age_attempts(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.mark.parametrize(
    "spelling",
    [
        "Beheerder@example.nl",
        "BEHEERDER@EXAMPLE.NL",
        " beheerder@example.nl",
        "beheerder@example.nl ",
    ],
)
def test_another_spelling_of_a_locked_address_is_locked_as_well(client, spelling):
    UserFactory(email="beheerder@example.nl")
    for _ in range(5):
        attempt(client, "beheerder@example.nl")
    response = attempt(client, spelling, RIGHT)
    assert response.status_code == 429


def test_five_wrong_passwords_in_different_spellings_lock_the_address(client):
    UserFactory(email="beheerder@example.nl")
    for spelling in ["beheerder@example.nl", "Beheerder@example.nl", "BEHEERDER@EXAMPLE.NL"]:
        attempt(client, spelling)
    for spelling in [" beheerder@example.nl", "ｂｅｈｅｅｒｄｅｒ@example.nl"]:  # fullwidth
        attempt(client, spelling)
    assert attempt(client, "beheerder@example.nl", RIGHT).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"beheerder@example.nl"}


def test_the_security_log_records_a_failed_address_in_its_one_spelling(client):
    attempt(client, " Pim@Example.NL")
    assert SecurityEvent.objects.get(action="auth.login_failed").detail == {
        "email": "pim@example.nl"
    }


def test_twenty_failures_from_many_addresses_lock_the_account_for_everyone(client):
    UserFactory(email="beheerder@example.nl")
    for n in range(20):
        attempt(client, "beheerder@example.nl", ip=f"198.51.100.{n}")
    response = attempt(client, "beheerder@example.nl", RIGHT, ip="203.0.113.7")
    assert response.status_code == 429
    assert "Te vaak een verkeerd wachtwoord" in response.content.decode()


def test_nineteen_failures_from_many_addresses_leave_the_account_open(client):
    UserFactory(email="beheerder@example.nl")
    for n in range(19):
        attempt(client, "beheerder@example.nl", ip=f"198.51.100.{n}")
    assert attempt(client, "beheerder@example.nl", RIGHT, ip="203.0.113.7").status_code == 302


def test_the_account_lock_ends_after_the_cool_off_even_when_the_attacker_keeps_trying(client):
    UserFactory(email="beheerder@example.nl")
    for n in range(20):
        attempt(client, "beheerder@example.nl", ip=f"198.51.100.{n}")
    age_attempts(14)
    for n in range(5):  # refused while locked, and not counted: they do not extend the lock
        assert attempt(client, "beheerder@example.nl", ip=f"198.51.100.{n}").status_code == 429
    age_attempts(2)
    assert attempt(client, "beheerder@example.nl", RIGHT, ip="203.0.113.7").status_code == 302


def test_the_client_address_comes_from_the_proxy_header_when_a_proxy_is_configured(
    client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote its own X-Forwarded-For; the proxy appended the address it saw.
    attempt(client, "pim@example.nl", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert SecurityEvent.objects.get(action="auth.login_failed").ip_address == "203.0.113.9"


def test_two_proxies_take_the_address_the_outer_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    attempt(
        client,
        "pim@example.nl",
        ip="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.1",
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_without_a_proxy_the_header_is_ignored(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    attempt(client, "pim@example.nl", ip="192.0.2.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "192.0.2.5"


def test_a_malformed_proxy_header_falls_back_to_the_connection_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attempt(client, "pim@example.nl", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="geen-adres")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


def test_behind_a_proxy_each_client_has_its_own_five_tries(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(email="pim@example.nl")
    for _ in range(5):
        attempt(client, "pim@example.nl", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = attempt(client, "pim@example.nl", RIGHT, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert other.status_code == 302


def request_reset(client, email: str, ip: str = "192.0.2.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_eleven_reset_requests_for_one_address_send_three_mails(client, mailoutbox):
    UserFactory(email="pim@example.nl")
    for n in range(11):
        response = request_reset(client, "Pim@example.nl", ip=f"198.51.100.{n}")
        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 3


def test_eleven_reset_requests_from_one_client_send_ten_mails(client, mailoutbox):
    for n in range(11):
        UserFactory(email=f"persoon{n}@example.nl")
    for n in range(11):
        response = request_reset(client, f"persoon{n}@example.nl")
        assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 10


def test_unknown_addresses_count_towards_the_limit_of_the_client(client, mailoutbox):
    UserFactory(email="pim@example.nl")
    for n in range(10):
        request_reset(client, f"onbekend{n}@example.nl")
    request_reset(client, "pim@example.nl")
    assert mailoutbox == []


def test_reset_requests_older_than_an_hour_no_longer_count(client, mailoutbox):
    UserFactory(email="pim@example.nl")
    for _ in range(3):
        request_reset(client, "pim@example.nl")
    SecurityEvent.objects.update(at=F("at") - timedelta(minutes=61))
    request_reset(client, "pim@example.nl")
    assert len(mailoutbox) == 4
