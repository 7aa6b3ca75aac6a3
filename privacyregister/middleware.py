import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from privacyregister.two_factor import has_device, requires_two_factor


class SessionRenewalMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE without activity. Instead of saving the session on
    every request (a database write per page), renew it when the last renewal is older than
    SESSION_RENEWAL_INTERVAL: the idle limit then holds to within that interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Only logged-in sessions have an idle limit to keep.
        if not session.is_empty() and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= settings.SESSION_RENEWAL_INTERVAL:
                session["renewed_at"] = now  # marks the session modified: saved, expiry renewed
        return response


class ChosenLanguageMiddleware:
    """Dutch for everyone, unless the user picked another language with Django's set_language
    view (stored in a cookie). Unlike LocaleMiddleware it ignores the browser's Accept-Language:
    a parent with an English browser still gets the Dutch product they expect."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same URL in another language: a shared cache must keep them apart.
        patch_vary_headers(response, ("Cookie",))
        return response


# No inline scripts or styles anywhere: everything comes from the app's own static files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class TwoFactorMiddleware:
    """After the password, the second step: a code from the app, or setting the app up first.

    Roles that see the whole register (beheerder, privacy officer, FG) and staff (the admin)
    must use two-factor login; anyone else who set it up uses it too. /admin/ is not open, so
    a password login at /admin/login/ also leads to the second step.
    """

    OPEN_PREFIXES = ("/tweestapsverificatie/", "/uitloggen/", "/static/", "/privacy/", "/taal/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TWO_FACTOR_ENFORCED
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            if has_device(user):
                # Encoded: a page with "?a=1&b=2" comes back whole after the second step.
                query = urlencode({"next": request.get_full_path()}, safe="/")
                return redirect(f"{reverse('two_factor_verify')}?{query}")
            if requires_two_factor(user):
                return redirect("two_factor_setup")
        return self.get_response(request)
