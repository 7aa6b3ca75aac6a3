"""The project settings as the test suite needs them: production-like (DEBUG off), but with a
throwaway key, plain HTTP for the test client and live server, and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Most tests log in with force_login; the two-factor tests switch enforcement on themselves.
os.environ.setdefault("TWO_FACTOR_ENFORCED", "0")

from privacyregister.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest storage needs collectstatic first; the tests do not serve built assets.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The task backend that runs a job at once, when it is enqueued: the suite needs no worker.
# The test of a killed worker switches to the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
