"""The real `manage.py db_worker`, but every CSV export hangs: a test kills this worker in the
middle of a job. The hang is patched in here, so the application has no test hook."""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacyregister.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

import processing.register_xlsx  # noqa: E402


def hang(**kwargs) -> bytes:
    time.sleep(600)
    raise AssertionError("de test had deze worker al gestopt")


processing.register_xlsx.export_csv = hang
call_command("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
