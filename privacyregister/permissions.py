"""The authorisation matrix: which role may do what, and where. Written down once, as data.

Memberships are turned into django-guardian object permissions from this table (see
services.py), views declare the capability they need (see access.py), and the matrix page renders
this same table.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from privacyregister.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Capability(models.TextChoices):
    VIEW_REGISTER = "view_register", _("register bekijken, ook concepten")
    VIEW_APPROVED_REGISTER = "view_approved_register", _("vastgesteld register bekijken")
    EDIT_ACTIVITY = "edit_activity", _("verwerking bewerken")
    APPROVE_ACTIVITY = "approve_activity", _("verwerking vaststellen")
    PUBLISH_STATEMENT = "publish_statement", _("privacyverklaring publiceren")
    COMMENT_ACTIVITY = "comment_activity", _("advies van de FG geven")
    VIEW_HISTORY = "view_history", _("geschiedenis bekijken")
    EXPORT_REGISTER = "export_register", _("register exporteren")
    IMPORT_REGISTER = "import_register", _("register importeren")
    MANAGE_RETENTION = "manage_retention", _("bewaartermijnen beheren")
    VIEW_RIGHTS_REQUESTS = "view_rights_requests", _("verzoeken van betrokkenen bekijken")
    HANDLE_RIGHTS_REQUESTS = "handle_rights_requests", _("verzoeken van betrokkenen behandelen")
    MANAGE_MEMBERS = "manage_members", _("gebruikers en rollen beheren")
    MANAGE_SCHOOLS = "manage_schools", _("scholen beheren")
    MANAGE_BOARD = "manage_board", _("bestuursgegevens beheren")
    VIEW_MATRIX = "view_matrix", _("autorisatiematrix bekijken")
    VIEW_AUDIT_LOG = "view_audit_log", _("beveiligingslog bekijken")
    REPORT_BREACH = "report_breach", _("datalek melden")
    VIEW_BREACHES = "view_breaches", _("datalekken bekijken")
    HANDLE_BREACHES = "handle_breaches", _("datalekken behandelen")
    ADVISE_BREACHES = "advise_breaches", _("advies over datalekken geven")


class Scope(models.TextChoices):
    BOARD = "board", _("hele bestuur")
    SCHOOL = "school", _("eigen school")


C, BOARD, SCHOOL = Capability, Scope.BOARD, Scope.SCHOOL

# Role -> capability -> scope. A capability that is not listed is not allowed.
MATRIX: dict[str, dict[str, Scope]] = {
    Role.BEHEERDER: {
        C.VIEW_REGISTER: BOARD,
        C.VIEW_APPROVED_REGISTER: BOARD,
        C.EDIT_ACTIVITY: BOARD,
        C.APPROVE_ACTIVITY: BOARD,
        C.PUBLISH_STATEMENT: BOARD,
        C.VIEW_HISTORY: BOARD,
        C.EXPORT_REGISTER: BOARD,
        C.IMPORT_REGISTER: BOARD,
        C.MANAGE_RETENTION: BOARD,
        C.VIEW_RIGHTS_REQUESTS: BOARD,
        C.HANDLE_RIGHTS_REQUESTS: BOARD,
        C.MANAGE_MEMBERS: BOARD,
        C.MANAGE_SCHOOLS: BOARD,
        C.MANAGE_BOARD: BOARD,
        C.VIEW_MATRIX: BOARD,
        C.VIEW_AUDIT_LOG: BOARD,
        C.REPORT_BREACH: BOARD,
        C.VIEW_BREACHES: BOARD,
        C.HANDLE_BREACHES: BOARD,
    },
    Role.PRIVACY_OFFICER: {
        C.VIEW_REGISTER: BOARD,
        C.VIEW_APPROVED_REGISTER: BOARD,
        C.EDIT_ACTIVITY: BOARD,
        C.APPROVE_ACTIVITY: BOARD,
        C.PUBLISH_STATEMENT: BOARD,
        C.VIEW_HISTORY: BOARD,
        C.EXPORT_REGISTER: BOARD,
        C.IMPORT_REGISTER: BOARD,
        C.MANAGE_RETENTION: BOARD,
        C.VIEW_RIGHTS_REQUESTS: BOARD,
        C.HANDLE_RIGHTS_REQUESTS: BOARD,
        C.VIEW_MATRIX: BOARD,
        C.REPORT_BREACH: BOARD,
        C.VIEW_BREACHES: BOARD,
        C.HANDLE_BREACHES: BOARD,
    },
    Role.FG: {
        C.VIEW_REGISTER: BOARD,
        C.VIEW_APPROVED_REGISTER: BOARD,
        C.COMMENT_ACTIVITY: BOARD,
        C.VIEW_HISTORY: BOARD,
        C.EXPORT_REGISTER: BOARD,
        C.VIEW_RIGHTS_REQUESTS: BOARD,
        C.VIEW_MATRIX: BOARD,
        C.VIEW_AUDIT_LOG: BOARD,
        C.REPORT_BREACH: BOARD,
        C.VIEW_BREACHES: BOARD,
        C.ADVISE_BREACHES: BOARD,
    },
    Role.SCHOOLLEIDER: {
        C.VIEW_REGISTER: BOARD,
        C.VIEW_APPROVED_REGISTER: BOARD,
        C.EDIT_ACTIVITY: SCHOOL,
        C.VIEW_HISTORY: SCHOOL,
        C.EXPORT_REGISTER: SCHOOL,
        C.VIEW_RIGHTS_REQUESTS: SCHOOL,
        C.HANDLE_RIGHTS_REQUESTS: SCHOOL,
        C.VIEW_MATRIX: BOARD,
        C.REPORT_BREACH: BOARD,
        C.VIEW_BREACHES: SCHOOL,
    },
    Role.MEDEWERKER: {
        C.VIEW_APPROVED_REGISTER: SCHOOL,
        C.REPORT_BREACH: BOARD,
    },
}

# With school scope these capabilities reach only activities that belong to the user's own
# school alone (a local activity), never the board's activities that every school shares.
OWN_ACTIVITIES_ONLY = {C.EDIT_ACTIVITY}


def matrix_rows() -> list[tuple[Capability, list[Scope | None]]]:
    """The matrix as a table, for the matrix page and the register's appendix: per capability
    the scope of every role, in the order of Role."""
    return [
        (capability, [MATRIX[role].get(capability) for role in Role]) for capability in Capability
    ]


def roles_with(capability: str) -> list[str]:
    """The roles that hold the capability, at any scope, in the order of the matrix."""
    return [role for role, capabilities in MATRIX.items() if capability in capabilities]


def object_permissions() -> list[tuple[str, "StrOrPromise"]]:
    """The guardian permissions on Board and School: one per capability."""
    return [(capability.value, capability.label) for capability in Capability]
