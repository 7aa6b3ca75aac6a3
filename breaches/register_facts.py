"""What the register already knows about a breach: the data categories, the people and the
processors of the activities it concerns, and the FG's contact (art. 33(3)(a-b) AVG).

The breach's facts form shows these as suggestions in the fields the privacy officer has not
filled in yet; what the officer typed is never replaced.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from breaches.models import Breach
from processing.models import ActivityDataCategory, DataCategory


@dataclass(frozen=True)
class Category:
    name: str
    kind: str  # DataCategory.Kind

    @property
    def sensitive(self) -> bool:
        """Special categories, criminal data and the BSN weigh on the risk: shown marked."""
        return self.kind != DataCategory.Kind.ORDINARY

    @property
    def label(self) -> str:
        marks = {
            DataCategory.Kind.SPECIAL: _("bijzonder persoonsgegeven"),
            DataCategory.Kind.CRIMINAL: _("strafrechtelijk gegeven"),
            DataCategory.Kind.NATIONAL_ID: _("BSN"),
        }
        mark = marks.get(DataCategory.Kind(self.kind))
        return f"{self.name} ({mark})" if mark else self.name


@dataclass(frozen=True)
class RegisterFacts:
    categories: list[Category] = field(default_factory=list)
    subject_groups: list[str] = field(default_factory=list)
    processors: list[str] = field(default_factory=list)
    fg_contact: str = ""

    @property
    def texts(self) -> dict[str, str]:
        """The suggested text per field of the breach."""
        texts = {
            "data_categories": ", ".join(category.label for category in self.categories),
            "subject_groups": ", ".join(self.subject_groups),
        }
        return {name: text for name, text in texts.items() if text}

    def suggestions_for(self, breach: Breach) -> dict[str, str]:
        """The suggestions for the fields of the breach that are still empty."""
        return {name: text for name, text in self.texts.items() if not getattr(breach, name)}


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def register_facts(breach: Breach) -> RegisterFacts:
    """The facts of the activities linked to the breach, read from their rows as they stand
    now: the breach is about what happened with the data today, not about an approved version."""
    activities = breach.activities.prefetch_related(
        Prefetch(
            "data_categories",
            queryset=ActivityDataCategory.objects.select_related("category", "subject_group"),
        ),
        "subject_groups",
        "processors",
    ).order_by("number")
    categories: dict[str, Category] = {}
    groups: list[str] = []
    processors: list[str] = []
    for activity in activities:
        for row in activity.data_categories.all():
            categories.setdefault(row.category.name, Category(row.category.name, row.category.kind))
            groups.append(row.subject_group.name)
        groups += [group.name for group in activity.subject_groups.all()]
        processors += [processor.name for processor in activity.processors.all()]
    # The sensitive ones first: they decide how high the risk is.
    ordered = sorted(categories.values(), key=lambda category: not category.sensitive)
    return RegisterFacts(
        categories=ordered,
        subject_groups=_unique(groups),
        processors=_unique(processors),
        fg_contact=fg_contact(breach),
    )


def fg_contact(breach: Breach) -> str:
    board = breach.board
    parts = [board.fg_name, board.fg_organisation, board.fg_email, board.fg_phone]
    return ", ".join(part for part in parts if part)
