"""Settings for Privacyregister, driven by environment variables (django-environ).

Without any environment the app is production-safe: DEBUG off, secure cookies, and a missing
SECRET_KEY stops start-up. `make run` sets DEBUG=1 for development.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    if "SECRET_KEY" in env:
        return env.str("SECRET_KEY")
    if DEBUG:
        return "django-insecure-development-only-key"
    raise ImproperlyConfigured(
        "SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY (of DEBUG=1 voor ontwikkeling)."
    )


SUPPORTED_DATABASES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def _database() -> dict:
    url = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    try:
        config = env.db_url_config(url)
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(
            f"DATABASE_URL is ongeldig ({exc}): gebruik bijvoorbeeld "
            "postgres://gebruiker:wachtwoord@host:5432/naam of sqlite:///pad/db.sqlite3"
        ) from None
    if config.get("ENGINE") not in SUPPORTED_DATABASES:
        raise ImproperlyConfigured(
            "DATABASE_URL is ongeldig: gebruik postgres://… (productie) "
            "of sqlite:///… (ontwikkeling)"
        )
    config["ATOMIC_REQUESTS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_filters",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "privacyregister",
    "processing",
    "retention",
    "rights",
    "breaches",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "privacyregister.middleware.SessionRenewalMiddleware",
    "privacyregister.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: the rows and terms added in place answer htmx with the part they replace.
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "privacyregister.middleware.SecurityHeadersMiddleware",
    "privacyregister.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a lock-out into the Dutch lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workspace.urls"
WSGI_APPLICATION = "privacyregister.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "privacyregister.context_processors.my_boards",
                "privacyregister.context_processors.navigation",
            ],
        },
    },
]

# The NL Design System's markup for every form field (label above the input, hint, error).
FORM_RENDERER = "privacyregister.forms.FormRenderer"

DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "privacyregister.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an address is locked out
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Public pages need no object permissions, so guardian's anonymous user is not created.
ANONYMOUS_USER_NAME = None
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes, see privacyregister.throttling): 5 failed attempts for one
# e-mail address from one client, or 20 for the address from any clients (password spraying),
# lock the login for 15 minutes. Attempts while locked do not extend the lock, so an attacker
# cannot keep a real user out with one request every quarter of an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", default=20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "privacyregister.throttling.AccountLimitHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "privacyregister.throttling.login_username"
# Behind reverse proxies the client address is taken from X-Forwarded-For (axes' own
# AXES_IPWARE_* settings need django-ipware, which is not installed).
AXES_CLIENT_IP_CALLABLE = "privacyregister.throttling.client_ip"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Password-reset mails per hour, for one address and from one client.
PASSWORD_RESET_MAILS_PER_ADDRESS = env.int("PASSWORD_RESET_MAILS_PER_ADDRESS", default=3)
PASSWORD_RESET_MAILS_PER_CLIENT = env.int("PASSWORD_RESET_MAILS_PER_CLIENT", default=10)
# Reports on the public data-breach form per hour (breaches/limits.py). One client past its
# limit is refused: enough for a family or a class that all saw the same leak. A board past its
# limit still stores each report, marked as a possible flood and without a mail of its own, so
# that a real parent's report among them is not lost; only past the ceiling is it refused, which
# bounds what a flood can store.
BREACH_REPORTS_PER_CLIENT = env.int("BREACH_REPORTS_PER_CLIENT", default=5)
BREACH_REPORTS_PER_BOARD = env.int("BREACH_REPORTS_PER_BOARD", default=30)
BREACH_REPORTS_CEILING_PER_BOARD = env.int(
    "BREACH_REPORTS_CEILING_PER_BOARD", default=10 * BREACH_REPORTS_PER_BOARD
)

# Two-factor login (django-otp): required for beheerder, privacy officer and FG. Off by default
# in development, so the demo logins work without an authenticator app.
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=not DEBUG)
OTP_TOTP_ISSUER = "Privacyregister"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (the boards' logos) go to the default storage: on disk under MEDIA_ROOT here, in
# object storage on a hosted installation by setting another backend. They are served by the
# app itself (privacyregister.branding), so MEDIA_URL is never exposed as a directory.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In each worker's memory: rendered pages of published statements (processing.public_views),
# some 100 kB each for a large board, so at most about 20 MB per worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 200},
    }
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Exports are made by `manage.py db_worker` processes (Django's tasks API through the
# django-tasks backport), from a queue kept in this database. Django 6 has the same API built in
# (django.tasks); another backend (RQ, Celery) is a change of this setting.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker killed in the middle of a job (SIGKILL, out of memory, a deploy that did not wait)
# leaves it "running" in the queue for ever. An export still not made this long after it was
# asked for is shown as interrupted, with a button to try again: far longer than the slowest
# export takes (a PDF of 300 activities: 5 s, benchmarks/RESULTS.md).
EXPORT_JOB_TIMEOUT = datetime.timedelta(minutes=env.int("EXPORT_JOB_TIMEOUT_MINUTES", default=10))

# The sector catalogue of standard activities (processing/catalogue.py), under fixtures/.
CATALOGUE_FILE = "catalogue/activities.json"

# Links in e-mails (invitations, password reset from commands) point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="privacyregister@localhost")

# Production safety: on unless DEBUG; a reverse proxy terminates TLS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions end after two hours without activity. A request renews the two hours when the last
# renewal is over a minute old (SessionRenewalMiddleware), not with a write on every request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_RENEWAL_INTERVAL = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO; only its warnings matter.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ["weasyprint", "weasyprint.progress", "fontTools", "axes"]
    },
}
