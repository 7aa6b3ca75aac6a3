"""Limits on guessing passwords (with django-axes) and on password-reset mails.

Three things an attacker must not be able to sidestep:
- the spelling of the address: axes counts under the same normalised address that logs in;
- many client addresses (password spraying): besides the lock per address and client, an
  account locks after LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures from any clients;
- a reverse proxy: behind one, the client is the address the proxy saw, not the proxy itself.
"""

import ipaddress
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from privacyregister.models import SecurityEvent, normalise_email

PASSWORD_RESET_WINDOW = timedelta(hours=1)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. With TRUSTED_PROXY_COUNT proxies in front, each appends the address
    it received the request from to X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th
    entry from the right; whatever the client wrote itself stands further left and is ignored."""
    connection = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return connection
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return connection  # not through all the proxies: only the connection can be trusted
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return connection


def login_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the address as axes counts it, in the spelling that logs in."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = credentials.get(field) if credentials else request.POST.get(field)
    return normalise_email(value) if isinstance(value, str) else None


def account_failures(request: HttpRequest, username: str | None) -> int:
    """Failed logins for the account from all clients since the cool-off began."""
    if not username:
        return 0
    recent = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountLimitHandler(AxesDatabaseHandler):
    """Axes counts failures per address and client (AXES_FAILURE_LIMIT, 5). Axes has one limit
    for all its lock-out parameters, so the larger limit for the account alone is added here:
    reaching it counts as reaching the client's limit, which locks out every client."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if account_failures(request, username) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """At most PASSWORD_RESET_MAILS_PER_ADDRESS requests an hour for one address and
    PASSWORD_RESET_MAILS_PER_CLIENT for one client. The requests are counted in the security log
    (a database table), so the limits hold across all workers of an installation."""
    recent = SecurityEvent.objects.filter(
        action="auth.password_reset_requested",
        at__gte=timezone.now() - PASSWORD_RESET_WINDOW,
    )
    ip = client_ip(request)
    return (
        recent.filter(detail__email=normalise_email(email)).count()
        < settings.PASSWORD_RESET_MAILS_PER_ADDRESS
        and recent.filter(ip_address=ip).count() < settings.PASSWORD_RESET_MAILS_PER_CLIENT
    )
