"""The other readers' statements, published with the parents' statement from the same register.

- For pupils (art. 12(1) and recital 58 AVG: language a child understands): in "je/jij", only the
  activities about pupils, for schools whose statement addresses pupils.
- In English, for international families: the parents' statement with its fixed text translated
  and the board's English texts where it gave them; its other texts stay Dutch, marked as such.

Both are rendered once, at publishing, and stored with the version like the parents' statement.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacyregister.models import Board, School
from processing.models import DataCategory
from processing.statements import (
    ApprovedVersion,
    VersionFacts,
    _snapshot,
    _unique,
    asks_consent,
    decides_automatically,
    render_statement,
)

PUPILS_TEMPLATE = "processing/statement_pupils.html"
ENGLISH_TEMPLATE = "processing/statement_en.html"

# Whom a school's statement addresses decides whether pupils get their own (School.Audience).
PUPIL_AUDIENCES = {School.Audience.PUPILS_AND_PARENTS}


@dataclass(frozen=True)
class Variant:
    """One kind of statement a version stores: where its HTML and PDF are kept, and the word
    in its public URL (public_urls.SUFFIXES)."""

    key: str
    title: str | Promise
    html_field: str
    pdf_field: str
    language: str | None  # None: the product language (settings.LANGUAGE_CODE)

    @property
    def language_code(self) -> str:
        return self.language or settings.LANGUAGE_CODE


PARENTS = Variant("ouders", _("Privacyverklaring"), "html", "pdf", None)
PUPILS = Variant(
    "leerlingen", _("Privacyverklaring voor leerlingen:"), "html_pupils", "pdf_pupils", None
)
ENGLISH = Variant("en", _("Privacyverklaring"), "html_en", "pdf_en", "en")


def is_pupils(group: str) -> bool:
    """Subject groups are the board's own terms, known by name: the reference list calls them
    "Leerlingen", and a board that splits them keeps the word ("Leerlingen onderbouw")."""
    return group.casefold().startswith("leerling")


def addresses_pupils(snapshot: dict) -> bool:
    school = snapshot["school"]
    return school is not None and school["audience"] in PUPIL_AUDIENCES


def _about_pupils(activity: dict) -> bool:
    return any(map(is_pupils, activity["subject_groups"])) or any(
        is_pupils(row["subject_group"]) for row in activity["data"]
    )


def pupils_context(snapshot: dict) -> dict:
    """Per activity about pupils, what a pupil wants to know: what we keep about you, why, who
    else sees it and how long. Staff-only activities (salary, applications, VOG) are left out."""
    activities = []
    for activity in filter(_about_pupils, snapshot["activities"]):
        rows = [row for row in activity["data"] if is_pupils(row["subject_group"])]
        activities.append(
            {
                "name": activity["name"],
                # Written for pupils by the board; the other free texts address parents ("u").
                "explanation": activity["description_pupils"],
                "data": _unique(row["category"] for row in rows),
                "sensitive": any(row["kind"] == DataCategory.Kind.SPECIAL for row in rows),
                "staff": _unique(row["role"] for row in activity["staff_access"]),
                "recipients": _unique(row["name"] for row in activity["recipients"]),
                "retention": [
                    rule
                    for rule in activity["retention"]
                    if not rule["subject_group"] or is_pupils(rule["subject_group"])
                ],
                "consent": asks_consent(activity),
                "automated": decides_automatically(activity),
                "abroad": _unique(t["country"] for t in activity["transfers"]),
            }
        )
    return {
        "board": snapshot["board"],
        "school": snapshot["school"],
        "activities": activities,
        "consent_activities": [a["name"] for a in activities if a["consent"]],
        "automated": [a["name"] for a in activities if a["automated"]],
        "abroad": [a for a in activities if a["abroad"]],
    }


def render_pupils(snapshot: dict, version: VersionFacts) -> str:
    """The pupils' statement, or "" when the school's statement does not address pupils."""
    if not addresses_pupils(snapshot):
        return ""
    with translation.override(PUPILS.language_code):
        html = render_to_string(
            PUPILS_TEMPLATE,
            {**pupils_context(snapshot), **version.context()},
        )
    return html.strip()


def _in_dutch(text: str) -> SafeString:
    """A text the board did not translate: shown in Dutch, marked for readers and screen
    readers (lang). The text is escaped here; a template's filters leave the result alone."""
    return format_html(
        '<span lang="nl">{}</span> <small class="in-dutch">({})</small>',
        text,
        gettext("in het Nederlands"),
    )


def _english(item: dict, field: str, *, marked: bool = True) -> None:
    """The board's English text in the place of the Dutch one, or the Dutch one marked. A name
    is not marked: it stands in headings and lists, and its explanation below it is."""
    if item[field]:
        dutch = (
            _in_dutch(item[field])
            if marked
            else format_html('<span lang="nl">{}</span>', item[field])
        )
        item[field] = item[f"{field}_en"] or dutch


def render_english(
    board: Board,
    school: School | None,
    versions: list[ApprovedVersion],
    version: VersionFacts,
) -> str:
    """The parents' statement in English, from the same approved versions."""
    with translation.override(ENGLISH.language_code):
        # Built again in English: the labels of choices (legal bases, grounds, periods) are
        # translated when the snapshot is made.
        snapshot = _snapshot(board, school, versions)
        for activity in snapshot["activities"]:
            _english(activity, "name", marked=False)
            _english(activity, "description")
            for purpose in activity["purposes"]:
                _english(purpose, "description")
        _english(snapshot["board"], "rights_request_instructions")
        _english(snapshot["board"], "complaint_authority_text")
    return render_statement(
        snapshot, version, template=ENGLISH_TEMPLATE, language=ENGLISH.language_code
    )


def render_variants(
    board: Board,
    school: School | None,
    versions: list[ApprovedVersion],
    snapshot: dict,
    version: VersionFacts,
) -> dict[str, str]:
    """The stored HTML of the other statements of one version, by field name."""
    return {
        PUPILS.html_field: render_pupils(snapshot, version),
        ENGLISH.html_field: render_english(board, school, versions, version),
    }
