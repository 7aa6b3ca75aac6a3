"""The board's menu: which pages it links to, for whom, and which item is the current one.

The items are data, so the template draws them in one loop and a test can check that every page
of the workspace lights up the right item. A page belongs to an item by its URL name: the item's
own name or one of the prefixes its pages share (`activity_` for the register's pages). The
names are strings, so the core knows the feature apps' pages without importing them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacyregister.access import BoardRequest
from privacyregister.permissions import Capability


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str | Promise
    capability: Capability | None  # None: every member of the board
    prefixes: tuple[str, ...] = ()

    def covers(self, url_name: str) -> bool:
        return url_name == self.url_name or url_name.startswith(self.prefixes)


BOARD_MENU = (
    MenuItem(
        "activity_list",
        _("Register"),
        None,
        ("activity_", "catalogue", "comment_", "term_", "register_import"),
    ),
    MenuItem("lint", _("Controle"), Capability.VIEW_REGISTER),
    MenuItem("statement_overview", _("Verklaringen"), Capability.VIEW_REGISTER, ("statement_",)),
    MenuItem("retention_schedule", _("Bewaartermijnen"), Capability.VIEW_REGISTER, ("retention_",)),
    MenuItem("rights_request_list", _("Verzoeken"), Capability.VIEW_RIGHTS_REQUESTS, ("rights_",)),
    MenuItem("breach_list", _("Datalekken"), Capability.VIEW_BREACHES, ("breach_",)),
    # Every member may report a breach, also who may not see the register of breaches: the
    # form is one click away on every page.
    MenuItem("report_breach", _("Datalek melden"), Capability.REPORT_BREACH),
    MenuItem("export", _("Export"), Capability.EXPORT_REGISTER, ("export_",)),
    MenuItem("matrix", _("Autorisatie"), Capability.VIEW_MATRIX),
    MenuItem("audit_log", _("Log"), Capability.VIEW_AUDIT_LOG),
    MenuItem("members", _("Gebruikers"), Capability.MANAGE_MEMBERS, ("membership_", "invitation_")),
    MenuItem("schools", _("Scholen"), Capability.MANAGE_SCHOOLS, ("school_",)),
    MenuItem("board_settings", _("Bestuur"), Capability.MANAGE_BOARD),
)


@dataclass(frozen=True)
class MenuLink:
    label: str | Promise
    url: str
    current: bool


def current_url_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.url_name or "") if match else ""


def board_menu(request: BoardRequest) -> list[MenuLink]:
    """The items of the board's menu this member may open, the current page's item marked."""
    url_name = current_url_name(request)
    allowed = request.access.allowed
    return [
        MenuLink(
            label=item.label,
            url=reverse(item.url_name, kwargs={"board": request.board.slug}),
            current=item.covers(url_name),
        )
        for item in BOARD_MENU
        if item.capability is None or allowed[item.capability]
    ]
