"""Every page of the benchmark stays within 15 SQL queries, whatever the size of the register.

Two generated boards, one of 15 and one of 150 activities: each page makes the same number of
queries on both, and at most QUERY_BUDGET. The user is a privacy officer who logged in with
two-factor authentication, as in production (the device is looked up on every request).
"""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacyregister.models import Board
from privacyregister.roles import Role

QUERY_BUDGET = 15
SIZES = {"klein": 15, "groot": 150}


@pytest.fixture(scope="module")
def boards(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for prefix, activities in SIZES.items():
            call_command(
                "generate_sector",
                boards=1,
                schools_per_board=5,
                activities_per_board=activities,
                prefix=prefix,
                jobs=1,
                verbosity=0,
            )
            _with_every_kind_of_row(Board.objects.get(slug=f"{prefix}-1"))
        yield
        transaction.set_rollback(True)


def _with_every_kind_of_row(board: Board) -> None:
    """The first activity gets a row of each kind, so its detail page reads them all."""
    activity = board.activities.filter(status="vastgesteld").order_by("pk").first()
    dossier = activity.dossiers.create(name="Leerlingdossier")
    activity.data_categories.update(dossier=dossier)
    processor = board.recipients.filter(in_eea=False).first()
    activity.processors.add(processor)
    activity.transfers.create(recipient=processor, country=processor.country, safeguard="scc")
    activity.cookies.create(
        name="sessionid", kind="functioneel", purpose="Inloggen", lifetime="1 dag"
    )
    activity.comments.create(author=board.memberships.get(role=Role.FG).user, text="Nalopen.")


def pages(board: Board) -> dict[str, str]:
    slug = board.slug
    register_url = reverse("activity_list", kwargs={"board": slug})
    school = board.schools.first()
    last_page = -(-board.activities.count() // 25)
    activity = board.activities.filter(status="vastgesteld").order_by("pk").first()
    statement = board.statement_versions.get(school=None)
    return {
        "register": register_url,
        "register, laatste pagina": f"{register_url}?pagina={last_page}",
        "register, gefilterd": f"{register_url}?q=Verwerking&status=vastgesteld&legal_basis=e"
        f"&school={school.pk}&special=false",
        "verwerking": reverse("activity_detail", kwargs={"board": slug, "pk": activity.pk}),
        "verwerking, toegang": reverse(
            "activity_access", kwargs={"board": slug, "pk": activity.pk}
        ),
        "verwerking, adviezen": reverse(
            "activity_comments", kwargs={"board": slug, "pk": activity.pk}
        ),
        "dashboard": reverse("dashboard"),
        "controle": reverse("lint", kwargs={"board": slug}),
        "privacyverklaring": reverse("board_statement", kwargs={"board": slug}),
        "privacyverklaring-pdf": reverse(
            "board_statement_version_pdf", kwargs={"board": slug, "number": statement.number}
        ),
        "referentie": reverse("health"),
    }


def log_in(client, board: Board) -> None:
    officer = board.memberships.get(role=Role.PRIVACY_OFFICER).user
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def queries(client, url: str) -> list[str]:
    """The statements the page sends. SAVEPOINTs are left out: they stand in for the request's
    BEGIN/COMMIT because the test itself runs in a transaction."""
    client.get(url)  # the first request renews the session and renders the PDF once
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in context if "SAVEPOINT" not in q["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "register",
        "register, laatste pagina",
        "register, gefilterd",
        "verwerking",
        "verwerking, toegang",
        "verwerking, adviezen",
        "dashboard",
        "controle",
        "privacyverklaring",
        "privacyverklaring-pdf",
        "referentie",
    ],
)
def test_a_page_makes_the_same_few_queries_for_a_small_and_a_large_register(client, boards, page):
    counts = {}
    for prefix in SIZES:
        board = Board.objects.get(slug=f"{prefix}-1")
        client.logout()
        log_in(client, board)
        counts[prefix] = len(queries(client, pages(board)[page]))
    assert counts["klein"] == counts["groot"], counts
    assert counts["groot"] <= QUERY_BUDGET, counts
    print(f"{page}: {counts['groot']} queries")
