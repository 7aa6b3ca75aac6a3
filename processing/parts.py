"""The parts of an activity, each edited on its own short page, and the task list that shows
how far each part is: klaar, nog invullen or fout.

Every field of the activity form and every row formset belongs to exactly one part, so saving
a part touches only what its page shows. Each lint finding names an anchor; the anchor tells
which part fixes it.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from processing.lint import Finding
from processing.models import ProcessingActivity, Recipient
from processing.vocabularies import BY_MODEL

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Part:
    slug: str  # in the URL: register/<pk>/bewerken/<slug>/
    title: "StrOrPromise"
    intro: "StrOrPromise"  # what this part is about, in plain Dutch, above its form
    fields: tuple[str, ...] = ()  # of ActivityForm
    formsets: tuple[str, ...] = ()  # prefixes in processing.forms.FORMSETS
    anchors: tuple[str, ...] = ()  # of lint findings fixed on this page (element ids on it)


PARTS: tuple[Part, ...] = (
    Part(
        "beschrijving",
        _("Beschrijving"),
        _("Wat de school doet met de gegevens, voor welke scholen, en wie erover gaat."),
        fields=(
            "name",
            "description",
            "description_pupils",
            "name_en",
            "description_en",
            "applies_to_all_schools",
            "schools",
            "owner",
        ),
    ),
    Part(
        "gegevens",
        _("Betrokkenen en gegevens"),
        _("Over wie het gaat, welke gegevens u van hen gebruikt en waar die vandaan komen."),
        fields=("subject_groups",),
        formsets=("dossiers", "gegevens", "bronnen"),
    ),
    Part(
        "doelen",
        _("Doelen en grondslagen"),
        _("Waarvoor u de gegevens gebruikt, en de wettelijke reden waarom dat mag."),
        fields=("provision_requirement", "consent_how_asked", "consent_how_withdrawn"),
        formsets=("doelen",),
        anchors=("doelen", "toestemming"),
    ),
    Part(
        "ontvangers",
        _("Ontvangers en verwerkers"),
        _("Wie de gegevens van u krijgt, en welke leveranciers ze voor u verwerken."),
        fields=("processors",),
        formsets=("ontvangers",),
        anchors=("verwerkers",),
    ),
    Part(
        "doorgifte",
        _("Doorgifte buiten de EER"),
        _(
            "Of gegevens naar een land buiten de Europese Economische Ruimte gaan, en met "
            "welke waarborg."
        ),
        formsets=("doorgiften",),
        anchors=("doorgiften",),
    ),
    Part(
        "beveiliging",
        _("Beveiliging"),
        _("Hoe u de gegevens beschermt, en welke cookies een website of app hiervoor plaatst."),
        fields=("security_measures",),
        formsets=("cookies",),
    ),
    Part(
        "toegang",
        _("Toegang"),
        _("Welke functies in de school de gegevens mogen zien of wijzigen."),
        formsets=("toegang",),
    ),
    Part(
        "bewaartermijnen",
        _("Bewaartermijnen"),
        _("Hoe lang u de gegevens bewaart."),
        fields=("retention_rules",),
        anchors=("bewaartermijnen",),
    ),
    Part(
        "beoordeling",
        _("Beoordeling"),
        _(
            "Of er automatisch over mensen wordt beslist, of een DPIA nodig is, en wanneer u "
            "dit weer nakijkt."
        ),
        fields=(
            "automated_decision_making",
            "profiling",
            "automated_logic",
            "automated_consequences",
            "dpia_required",
            "dpia_done_on",
            "next_review_on",
        ),
        anchors=("controle",),
    ),
)
BY_SLUG = {part.slug: part for part in PARTS}
FIRST = PARTS[0]  # the page of a new activity
BY_ANCHOR = {anchor: part for part in PARTS for anchor in part.anchors}


class State:
    DONE = "klaar"
    TO_DO = "nog invullen"
    ERROR = "fout"


def _missing(activity: ProcessingActivity) -> set[str]:
    """The parts that lack something the register needs (art. 30 AVG) before the part can be
    called done. Reads only what the overview prefetches."""
    missing = set()
    if not activity.description.strip() or (
        not activity.applies_to_all_schools and not activity.schools.all()
    ):
        missing.add("beschrijving")
    if not activity.data_categories.all():
        missing.add("gegevens")
    if not activity.purposes.all():
        missing.add("doelen")
    if not activity.security_measures.all():
        missing.add("beveiliging")
    if not activity.retention_rules.all():
        missing.add("bewaartermijnen")
    return missing


@dataclass
class Task:
    part: Part
    state: str
    findings: list[Finding] = field(default_factory=list)


def activity_tasks(activity: ProcessingActivity, findings: list[Finding]) -> list[Task]:
    """The task list of an activity: each part with its state and the findings it fixes.

    Something still to fill in comes first: the lint then reports the same gap as an error,
    and "nog invullen" says better what to do about it."""
    missing = _missing(activity)
    tasks = [Task(part, State.DONE) for part in PARTS]
    by_slug = {task.part.slug: task for task in tasks}
    for finding in findings:
        by_slug[BY_ANCHOR[finding.anchor].slug].findings.append(finding)
    for task in tasks:
        if task.part.slug in missing:
            task.state = State.TO_DO
        elif any(finding.is_error for finding in task.findings):
            task.state = State.ERROR
    return tasks


def part_url(board_slug: str, activity_pk: int, part: Part) -> str:
    return reverse(
        "activity_edit_part", kwargs={"board": board_slug, "pk": activity_pk, "part": part.slug}
    )


def fix_url(board_slug: str, finding: Finding) -> str:
    """Where a finding is put right: a processor's agreement on the processor's own page, all
    else on the part of the activity that holds the field, at the field."""
    recipient = finding.params.get("recipient")
    if recipient is not None:
        kind = BY_MODEL[Recipient].slug
        return reverse("term_edit", kwargs={"board": board_slug, "kind": kind, "pk": recipient})
    part = BY_ANCHOR[finding.anchor]
    return f"{part_url(board_slug, finding.activity.pk, part)}#{finding.anchor}"
