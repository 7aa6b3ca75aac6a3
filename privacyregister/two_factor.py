"""Two-factor login with django-otp: an authenticator app (TOTP) plus ten backup codes."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacyregister import audit
from privacyregister.access import AuthenticatedHttpRequest
from privacyregister.roles import CREATE_BOARDS, Role

REQUIRED_FOR = [Role.BEHEERDER, Role.PRIVACY_OFFICER, Role.FG]
BACKUP_CODES = 10


def requires_two_factor(user) -> bool:
    # Staff reach /admin/, which shows every board's register and rights requests; an operator
    # creates boards and chooses who becomes their beheerder.
    if user.is_staff or user.is_superuser or user.has_perm(CREATE_BOARDS):
        return True
    return user.memberships.filter(role__in=REQUIRED_FOR).exists()


def complete_second_step(request: HttpRequest, device) -> None:
    """Mark the session verified under a new key: a session id that leaked during the
    password-only step (a shared computer, a log) is worthless afterwards."""
    otp_login(request, device)
    request.session.cycle_key()


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, confirm with one code, get backup codes."""
    if has_device(request.user):
        return redirect("two_factor_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator-app"}
    )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save()
            complete_second_step(request, device)
            backup = StaticDevice.objects.create(user=request.user, name="Reservecodes")
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
            backup.token_set.bulk_create(StaticToken(device=backup, token=code) for code in codes)
            audit.record("auth.two_factor_enabled", actor=request.user, request=request)
            return render(request, "registration/two_factor_codes.html", {"codes": codes})
        form.add_error(
            "code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret},
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            complete_second_step(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, _("U heeft nog %(left)s reservecodes.") % {"left": left})
            return redirect(next_url)
        form.add_error("code", _("Deze code klopt niet of is al gebruikt."))
    devices = [d for d in devices_for_user(request.user) if isinstance(d, TOTPDevice)]
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "devices": devices}
    )
