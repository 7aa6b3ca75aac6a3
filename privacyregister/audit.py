"""The audit log of security events, with dotted action names (auth.login, ...)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from privacyregister.models import Membership, SecurityEvent, normalise_email
from privacyregister.throttling import client_ip

LABELS = {
    "auth.login": _("ingelogd"),
    "auth.login_failed": _("inloggen mislukt"),
    "auth.logout": _("uitgelogd"),
    "auth.password_reset_requested": _("nieuw wachtwoord aangevraagd"),
    "auth.two_factor_enabled": _("tweestapsverificatie aangezet"),
    "board.created": _("bestuur aangemaakt"),
    "invitation.created": _("uitgenodigd"),
    "invitation.declined": _("uitnodiging afgewezen"),
    "invitation.withdrawn": _("uitnodiging ingetrokken"),
    "membership.created": _("rol gegeven"),
    "membership.deleted": _("rol ingetrokken"),
    "board.settings_changed": _("bestuursgegevens gewijzigd"),
    "school.created": _("school toegevoegd"),
    "school.archived": _("school gearchiveerd"),
    "school.restored": _("school teruggezet"),
    "processing.statement.published": _("privacyverklaring gepubliceerd"),
    "processing.register.exported": _("register geëxporteerd"),
    "processing.register.imported": _("register geïmporteerd"),
    "breaches.reported": _("datalek gemeld"),
    "breaches.started": _("datalek in behandeling genomen"),
    "breaches.assessed": _("datalek beoordeeld"),
    "breaches.decided": _("besluit over melden van een datalek"),
    "breaches.advice": _("advies over een datalek"),
    "breaches.ap_notified": _("datalek gemeld bij de AP"),
    "breaches.subjects_informed": _("betrokkenen geïnformeerd over een datalek"),
    "breaches.measure": _("maatregel bij een datalek bijgewerkt"),
    "breaches.closed": _("datalek afgesloten"),
    "breaches.reopened": _("datalek heropend"),
}


def record(action: str, *, actor=None, board=None, request=None, **detail) -> SecurityEvent:
    ip = client_ip(request) if request is not None else None
    return SecurityEvent.objects.create(
        action=action, actor=actor, board=board, ip_address=ip, detail=detail
    )


def record_membership(action: str, membership: Membership, *, actor, **detail) -> SecurityEvent:
    """A role given or taken, in the log of its board."""
    return record(
        action,
        actor=actor,
        board=membership.board,
        user=membership.user.email,
        role=membership.role,
        **detail,
    )


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record("auth.login", actor=user, request=request)


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    record("auth.logout", actor=user, request=request)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # Only the address that was tried; never the password.
    email = normalise_email(str(credentials.get("username", "")))[:254]
    record("auth.login_failed", request=request, email=email)
