import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

# Playwright's sync API keeps an event loop running in the main thread; Django would then
# refuse ORM calls from tests and from the live server thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="alleen op PostgreSQL (make test-postgres)"))
        if "browser" in item.keywords and not CHROMIUM:
            if os.environ.get("REQUIRE_BROWSER") == "1":
                raise pytest.UsageError("Chromium ontbreekt, maar REQUIRE_BROWSER=1.")
            item.add_marker(pytest.mark.skip(reason="Chromium is niet geïnstalleerd"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # The system Chromium: Playwright cannot download its own browser here.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"


# Property-based tests explore the same examples on every run, so CI cannot flake on them.
hypothesis_settings.register_profile("repeatable", derandomize=True, deadline=None)
hypothesis_settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def empty_cache():
    """Rendered public pages are cached per process; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once per test module, inside a transaction that is rolled back after it;
    each test runs in a savepoint within it."""
    from django.db import transaction

    from workspace.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


# Personas, logged in with the test client; each is a Membership of a board of its own (the
# schoolleider's with a school). Tests that need another role build it with the factories.
def _logged_in(client, **fields):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(**fields)
    client.force_login(membership.user)
    return membership


@pytest.fixture
def officer(client):
    from privacyregister.roles import Role

    return _logged_in(client, role=Role.PRIVACY_OFFICER)


@pytest.fixture
def beheerder(client):
    from privacyregister.roles import Role

    return _logged_in(client, role=Role.BEHEERDER)


@pytest.fixture
def schoolleider(client):
    from privacyregister.roles import Role
    from tests.factories import SchoolFactory

    school = SchoolFactory()
    return _logged_in(client, board=school.board, role=Role.SCHOOLLEIDER, school=school)
