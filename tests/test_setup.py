"""The set-up contract: production-safe defaults, clear configuration errors, migrations in sync."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "SECURE_SSL_REDIRECT",
            "TWO_FACTOR_ENFORCED",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for Playwright in the test process only
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_secret_key_in_production_start_up_stops_with_one_clear_line():
    result = run_manage("check")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Configuratiefout: SECRET_KEY ontbreekt: zet de omgevingsvariabele SECRET_KEY "
        "(of DEBUG=1 voor ontwikkeling)."
    ]


@pytest.mark.parametrize("url", ["mysql-ish://nonsense", "postgres://user@host:notaport/db"])
def test_an_invalid_database_url_stops_start_up_with_one_clear_line(url):
    result = run_manage("check", SECRET_KEY="x" * 50, DATABASE_URL=url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Configuratiefout: DATABASE_URL is ongeldig")


def test_production_defaults_are_safe_without_any_settings():
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS, s.EMAIL_BACKEND.rsplit('.', 2)[-2])"
    )
    result = run_manage("shell", "--no-imports", "-c", script, SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "[]", "console"]


def test_development_mode_needs_no_settings_at_all():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_dutch_is_the_default_language_with_english_available(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-key-" + "x7Kq2Lm9" * 6,
        ALLOWED_HOSTS="privacy.example.nl",
        DATABASE_URL="postgres://app:secret@db.example.nl:5432/privacyregister",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
