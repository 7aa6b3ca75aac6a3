"""Every page of the app at a phone's width (390 × 844): none may scroll sideways, and axe-core
finds nothing on it (WCAG 2.1 AA and best practices), nor on each page once at 1366 px wide.

The pages come from the URLconf itself, so a new page is covered without naming it here; its
URL's arguments are filled from the demo data. Each demo role opens every page it may (403 and
404 are the pages it may not open); the public pages are opened once, logged out. What cannot be
opened as a page is listed in SKIPPED with the reason.
"""

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import URLPattern, URLResolver, get_resolver

from breaches.models import Breach
from privacyregister.models import Board, Membership
from processing.models import Comment, ProcessingActivity, Recipient, StatementVersion
from retention.models import RetentionRule
from rights.models import RightsRequest
from tests.browser.test_login_flow import WCAG_AA, log_in
from workspace.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# WCAG 2.1 AA as in the journey tests, and axe's best practices too (landmarks, headings),
# which the walk can afford; only the violations come back, not the passes of 400 pages.
AXE_OPTIONS = {
    "runOnly": [*WCAG_AA["runOnly"], "best-practice"],
    "resultTypes": ["violations"],
}
BOARD = "veluwse-onderwijsgroep"
ROLES = [
    "privacy@example.nl",
    "fg@example.nl",
    "schoolleider@example.nl",
    "medewerker@example.nl",
    "beheerder@example.nl",
    "privacy-vog@example.nl",
]
OPERATOR = "admin@example.nl"
OPERATOR_PAGES = {"board_create"}
# Pages only a logged-out visitor sees (a logged-in user is sent on).
ANONYMOUS_PAGES = {"login", "password_reset", "password_reset_done", "password_reset_complete"}

POST_ONLY = "only takes a POST"
DOWNLOAD = "a file, not a page"
SKIPPED = {
    "activity_submit": POST_ONLY,
    "activity_approve": POST_ONLY,
    "catalogue_seen": POST_ONLY,
    "retention_rule_adopt": POST_ONLY,
    "school_restore": POST_ONLY,
    "invitation_withdraw": POST_ONLY,
    "invitation_accept": POST_ONLY,
    "invitation_decline": POST_ONLY,
    "export_retry": POST_ONLY,
    "register_import_commit": POST_ONLY,
    "register_import_retry": POST_ONLY,
    "rights_request_action": POST_ONLY,
    "breach_start": POST_ONLY,
    "breach_reopen": POST_ONLY,
    "breach_flood_dismiss": POST_ONLY,  # its confirmation is the answer to the list's POST
    "breach_record_ap_notification": POST_ONLY,
    "breach_record_subjects_informed": POST_ONLY,
    "logout": POST_ONLY,
    "export_download": DOWNLOAD,
    "export_file": DOWNLOAD,
    "register_import_template": DOWNLOAD,
    "retention_schedule_download": DOWNLOAD,
    "rights_request_letter": DOWNLOAD,
    "breach_subjects_letter": DOWNLOAD,
    "breach_ap_notification_pdf": DOWNLOAD,
    "public_logo": DOWNLOAD,
    "public_colour": DOWNLOAD,
    "health": "a health check for the load balancer (JSON)",
    "ready": "a health check for the load balancer (JSON)",
    "two_factor_setup": "only in the middle of a login with the second step",
    "two_factor_verify": "only in the middle of a login with the second step",
    "password_reset_confirm": "needs a token from an e-mail (tests/test_login.py)",
    "board_created": "only right after creating a board (test_new_board_journey.py)",
    "breach_report_public_sent": "only right after sending a report (test_reporting.py)",
    "set_language": POST_ONLY,
}
# Pages the demo board has no content for: they answer 404 to everyone, and are checked by their
# own tests (tests/processing/). Any other page no role can open fails the test.
NOT_IN_DEMO = {
    "board_statement_changes": "the demo board has one published version",
    "school_statement_changes": "the demo schools have one published version",
    "board_statement_pupils": "a pupils' statement is for secondary schools only",
    "board_statement_version_pupils": "a pupils' statement is for secondary schools only",
}
SKIPPED_PREFIXES = {"admin:": "the Django admin, for the operator only, not part of the product"}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(name, route with <arguments>) of every page in the URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)


def demo_arguments() -> dict:
    """Values from the demo data for each URL argument; `pk` depends on the page."""
    board = Board.objects.get(slug=BOARD)
    school = StatementVersion.objects.filter(board=board, school__isnull=False)[0].school
    activity = board.activities.all()[0]
    history = ProcessingActivity.history.filter(id=activity.pk).order_by("history_id")[0]
    return {
        "board": board.slug,
        "slug": board.slug,
        "school": school.slug if school else "",
        "kind": "ontvangers",
        # The editor's part with the most rows and term fields (each with its new-term form).
        "part": "gegevens",
        "number": 1,
        "record": history.history_id,
        "pks": {
            "activity_": activity.pk,
            "comment_": activity.pk,
            "term_": Recipient.objects.filter(board=board)[0].pk,
            "retention_rule_": RetentionRule.objects.filter(board=board)[0].pk,
            "rights_": RightsRequest.objects.filter(board=board)[0].pk,
            "membership_": Membership.objects.filter(board=board)[0].pk,
            "register_import_": demo_import(board).pk,
            # The demo's breach that was just reported: its clock still runs.
            "breach_": Breach.objects.filter(board=board, status="gemeld")[0].pk,
        },
    }


def demo_import(board: Board):
    """The privacy officer's import of the board's own export, read into its preview (the demo
    has no imports; only the one who uploaded it opens its page)."""
    from privacyregister.access import BoardAccess
    from processing.history import register_changes
    from processing.models import RegisterImport
    from processing.register_entries import register_entries
    from processing.register_import import import_preview
    from processing.register_xlsx import export_xlsx

    officer = board.memberships.filter(role="privacy_officer", user__email__in=ROLES)[0].user
    selection = register_entries(BoardAccess(officer, board), {})
    changes = register_changes([entry.activity.pk for entry in selection.entries], None, None)
    content = export_xlsx(
        board=board, selection=selection, changes=changes, filters=[], exported_by=officer
    )
    record = RegisterImport.objects.create(
        board=board, uploaded_by=officer, file_name="register.xlsx", content=content
    )
    return import_preview(record)


def comment_arguments() -> dict:
    """The demo's FG advice is on another board: its page takes that board and activity."""
    comment = Comment.objects.select_related("activity__board")[0]
    return {
        "board": comment.activity.board.slug,
        "comment": comment.pk,
        "pks": {"comment_": comment.activity_id},
    }


def address(name: str, route: str, values: dict) -> str:
    if name == "comment_resolve":
        values = {**values, **comment_arguments()}

    def fill(match: re.Match) -> str:
        argument = match.group(1).split(":")[-1]
        if argument == "pk":
            return str(next(pk for prefix, pk in values["pks"].items() if name.startswith(prefix)))
        return str(values[argument])

    path = re.sub(r"<([^>]+)>", fill, route)
    assert "^" not in path and "(?P" not in path, f"{name}: fill the arguments of {route}"
    return "/" + path


def measure(page, live_server, url: str) -> int | None:
    """The page's width, or None when this user may not open it."""
    response = page.goto(live_server.url + url)
    if response.status in (403, 404):
        return None
    assert response.status == 200, f"{url}: {response.status}"
    return page.evaluate("document.documentElement.scrollWidth")


def axe_findings(axe: Axe, page) -> list[str]:
    """'rule id: target' for every element on the page that axe-core finds fault with."""
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{rule['id']}: {' '.join(map(str, node['target']))}"
        for rule in found
        for node in rule["nodes"]
    ]


def test_no_page_scrolls_sideways_on_a_phone_or_fails_axe(live_server, browser):
    started = time.monotonic()
    load_demo()
    values = demo_arguments()
    pages, skipped = [], []
    # The pages parents find, under /privacy/ (processing/public_urls.py): opened logged out.
    public = {name for name, route in url_patterns() if route.startswith("privacy/")}
    for name, route in url_patterns():
        if name.endswith("_pdf"):
            skipped.append((name, DOWNLOAD))
            continue
        reason = SKIPPED.get(name) or next(
            (why for prefix, why in SKIPPED_PREFIXES.items() if name.startswith(prefix)), None
        )
        if reason:
            skipped.append((name, reason))
        else:
            pages.append((name, address(name, route, values)))
    widths: dict[str, int] = {}
    axe = Axe()
    findings: list[str] = []
    on_laptop: set[str] = set()

    def check(page, name: str, url: str, user: str | None, size: str) -> None:
        who = user or "logged out"
        findings.extend(f"{url} ({who}, {size}) {found}" for found in axe_findings(axe, page))

    def visit(user: str | None, names_allowed) -> None:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        if user:
            log_in(page, live_server, user, DEMO_PASSWORD)
        for name, url in pages:
            if not names_allowed(name):
                continue
            width = measure(page, live_server, url)
            if width is None:
                continue
            widths[url] = max(width, widths.get(url, 0))
            check(page, name, url, user, "390px")
            if name not in on_laptop:  # once per page, by the first role that may open it
                on_laptop.add(name)
                page.set_viewport_size(LAPTOP)
                check(page, name, url, user, "1366px")
                page.set_viewport_size(PHONE)
        context.close()

    visit(None, lambda name: name in ANONYMOUS_PAGES | public)
    for user in ROLES:
        visit(user, lambda name: name not in ANONYMOUS_PAGES | OPERATOR_PAGES | public)
    visit(OPERATOR, lambda name: name in OPERATOR_PAGES)

    widest = max(widths, key=widths.get)
    seconds = time.monotonic() - started
    print(f"\n{len(widths)} pages, widest {widest} at {widths[widest]}px, {seconds:.0f}s")
    admin = [name for name, _why in skipped if name.startswith("admin:")]
    print(f"skipped: {len(admin)} Django admin pages ({SKIPPED_PREFIXES['admin:']}); ", end="")
    print(", ".join(f"{name} ({why})" for name, why in skipped if name not in admin))
    never = [url for name, url in pages if url not in widths and name not in NOT_IN_DEMO]
    assert never == [], f"no role could open these pages: {never}"
    too_wide = {url: width for url, width in widths.items() if width > PHONE["width"]}
    assert too_wide == {}
    assert findings == [], "axe-core found:\n" + "\n".join(findings)
