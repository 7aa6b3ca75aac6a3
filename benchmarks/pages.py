"""The pages `make bench` measures and how their SQL queries are counted: importable without
side effects, by benchmarks/run.py and by the query-budget test (tests/test_query_budget.py)."""

import sys


def officer_access(board):
    """What the board's privacy officer, whose pages are measured, may see."""
    from privacyregister.access import BoardAccess
    from privacyregister.roles import Role

    return BoardAccess(board.memberships.get(role=Role.PRIVACY_OFFICER).user, board)


def officer_session(board) -> str:
    """A session of the board's privacy officer, logged in with two-factor authentication."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = officer_access(board).user
    device, _ = TOTPDevice.objects.get_or_create(user=officer, name="bench", confirmed=True)
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(officer.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: officer.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
        }
    )
    session.create()
    assert session.session_key is not None  # create() gave it one
    return session.session_key


def measured_activity(board):
    """The activity whose pages are measured: the first approved one, which the query-budget
    test gives a row of every kind (so its pages read them all)."""
    from processing.models import ProcessingActivity

    activity = (
        board.activities.filter(status=ProcessingActivity.Status.APPROVED).order_by("pk").first()
    )
    assert activity is not None  # generate_sector makes it
    return activity


def pages(board) -> dict[str, tuple[str, bool]]:
    """Name → (path, needs the officer's session)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from processing.models import ProcessingActivity
    from processing.parts import PARTS

    slug = board.slug
    register = reverse("activity_list", kwargs={"board": slug})
    visible = ProcessingActivity.objects.visible_to(officer_access(board))
    activity = measured_activity(board)
    school = board.schools.order_by("pk").first()
    assert school is not None  # generate_sector makes it
    statement = board.statement_versions.filter(school=school).order_by("-number").first()
    # generate_sector publishes the board's statement and its first school's: the others show
    # the board's.
    without_own = board.schools.filter(statement_versions=None).order_by("pk").first()
    assert without_own is not None
    last_page = -(-visible.count() // 25)
    edit = {"board": slug, "pk": activity.pk}
    return {
        "activiteitenlijst": (register, True),
        "activiteitenlijst, gefilterd": (
            f"{register}?q=Verwerking&status=vastgesteld&legal_basis=e&school={school.pk}",
            True,
        ),
        "activiteitenlijst, laatste pagina": (f"{register}?pagina={last_page}", True),
        "activiteit": (reverse("activity_detail", kwargs={"board": slug, "pk": activity.pk}), True),
        "activiteit, toegang": (
            reverse("activity_access", kwargs={"board": slug, "pk": activity.pk}),
            True,
        ),
        "activiteit, adviezen": (
            reverse("activity_comments", kwargs={"board": slug, "pk": activity.pk}),
            True,
        ),
        "activiteit, geschiedenis": (
            reverse("activity_history", kwargs={"board": slug, "pk": activity.pk}),
            True,
        ),
        "activiteit, vaststellen": (reverse("activity_approve", kwargs=edit), True),
        "activiteit bewerken: takenlijst": (reverse("activity_edit", kwargs=edit), True),
        **{
            f"activiteit bewerken: {part.slug}": (
                reverse("activity_edit_part", kwargs={**edit, "part": part.slug}),
                True,
            )
            for part in PARTS
        },
        "dashboard": (reverse("dashboard"), True),
        "datalekken": (reverse("breach_list", kwargs={"board": slug}), True),
        "datalek melden (publiek)": (
            reverse("breach_report_public", kwargs={"board": slug}),
            False,
        ),
        "controle (lint)": (reverse("lint", kwargs={"board": slug}), True),
        "privacyverklaring publiceren": (
            reverse("statement_publish_school", kwargs={"board": slug, "school": school.slug}),
            True,
        ),
        "verklaringen bijwerken": (
            reverse("statement_publish_out_of_date", kwargs={"board": slug}),
            True,
        ),
        "privacyverklaring (publiek)": (
            reverse("school_statement", kwargs={"board": slug, "school": school.slug}),
            False,
        ),
        "privacyverklaring met die van het bestuur (publiek)": (
            reverse("school_statement", kwargs={"board": slug, "school": without_own.slug}),
            False,
        ),
        "besturen (publiek)": (reverse("public_index"), False),
        # Encoded: the name has spaces, which the test client forgives and http.client refuses.
        "scholen zoeken (publiek)": (
            f"{reverse('public_index')}?{urlencode({'zoek': school.name})}",
            False,
        ),
        "bestuur met scholen (publiek)": (reverse("public_board", kwargs={"board": slug}), False),
        "privacyverklaring-pdf (publiek, bewaard)": (
            reverse(
                "school_statement_version_pdf",
                kwargs={"board": slug, "school": school.slug, "number": statement.number},
            ),
            False,
        ),
        "referentie: triviale view": (reverse("health"), False),
    }


def add_row(board) -> tuple[str, dict]:
    """The editor's "Rij toevoegen" under the data of the activity in pages(): the path it posts
    to and what a browser posts, the part's form untouched plus the button. htmx asks for the
    new rows only (its HX-Request header)."""
    from django.urls import reverse

    from processing.forms import ActivityForm, build_formsets
    from processing.parts import BY_SLUG

    part = BY_SLUG["gegevens"]
    activity = measured_activity(board)
    form = ActivityForm.for_part(part)(
        instance=activity, board=board, part=part, school_scope=False
    )
    formsets = build_formsets(None, activity=activity, board=board, part=part, form=form)
    data: dict = {"meer": "gegevens"}
    for each in [
        form,
        *(f for _, _, formset in formsets for f in (formset.management_form, *formset)),
    ]:
        for field in each:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value is not False and value is not None:  # 0 is a value (INITIAL_FORMS)
                data[field.html_name] = (
                    [str(v) for v in value] if isinstance(value, list) else str(value)
                )
    path = reverse(
        "activity_edit_part", kwargs={"board": board.slug, "pk": activity.pk, "part": part.slug}
    )
    return path, data


# The request's transaction (BEGIN/COMMIT, or SAVEPOINTs inside a test's transaction) is not a
# query of the page.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _counted(context) -> int:
    return sum(not q["sql"].startswith(TRANSACTION_CONTROL) for q in context)


def query_counts(urls: dict, session_key: str, host: str = "127.0.0.1") -> dict[str, int]:
    """SQL queries per page, through Django's test client in this process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host)
    counts = {}
    for name, (path, logged_in) in urls.items():
        client.cookies.clear()
        if logged_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        client.get(path)  # renders and keeps the statement PDF once, renews the session
        with CaptureQueriesContext(connection) as context:
            status = client.get(path).status_code
        if status != 200:
            sys.exit(f"{name} ({path}) gaf HTTP {status}")
        counts[name] = _counted(context)
    return counts


def add_row_query_count(board, session_key: str, host: str = "127.0.0.1") -> int:
    """SQL queries of add_row()'s htmx answer, counted as query_counts() counts a page."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path, data = add_row(board)
    client = Client(HTTP_HOST=host)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.post(path, data, HTTP_HX_REQUEST="true")  # renews the session, as for the pages
    with CaptureQueriesContext(connection) as context:
        response = client.post(path, data, HTTP_HX_REQUEST="true")
    # The answer holds the rows with the added one, not the whole page.
    added = f'name="gegevens-{data["gegevens-TOTAL_FORMS"]}-category"'
    if response.status_code != 200 or added not in response.text or b"<html" in response.content:
        sys.exit(f"rij toevoegen ({path}) gaf HTTP {response.status_code} zonder de nieuwe rij")
    return _counted(context)
