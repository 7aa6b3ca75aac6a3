"""The breach register as an appendix of the FG's register export (processing/
register_appendices.py): per breach the reference, status, when the board knew, the facts,
effects and measures of the assessment, the decision with its motivation, the notification to
the AP, whether the people were informed and the activities linked by register number, the
art. 33(5) documentation an auditor asks for. The PDF shows every column too: it prints a
breach as a table of label and value, so the longer texts wrap under their label."""

import datetime
from typing import TYPE_CHECKING

from django.db.models import Field, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from breaches.clock import DUTCH_TIME
from breaches.models import Breach
from privacyregister.access import BoardAccess
from privacyregister.permissions import Capability
from processing.register_appendices import Appendix
from processing.register_sheets import Column, Sheet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _heading(name: str) -> "StrOrPromise":
    # The field's own label: the same words as on the facts page, and already translated.
    field = Breach._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the breach, not the far side of a relation
    return capfirst(field.verbose_name)


# The facts, effects and remedial action of art. 33(5), as the assessment recorded them.
FACTS = (
    Column("discovered_at", _heading("discovered_at"), width=18, kind="datetime"),
    Column("occurred_at", _heading("occurred_at"), width=18, kind="datetime"),
    Column("nature", _heading("nature"), width=40),
    Column("data_categories", _heading("data_categories"), width=30),
    Column("subject_groups", _heading("subject_groups"), width=30),
    Column("approx_people", _heading("approx_people"), width=12, kind="number"),
    Column("approx_records", _heading("approx_records"), width=12, kind="number"),
    Column("consequences", _heading("consequences"), width=40),
    Column("measures_taken", _heading("measures_taken"), width=40),
    Column("measures_proposed", _heading("measures_proposed"), width=40),
)

BREACHES = Sheet(
    "breaches",
    gettext_lazy("Datalekken"),
    (
        Column("reference", gettext_lazy("Kenmerk"), width=14),
        Column("status", gettext_lazy("Status"), width=14),
        Column("aware_at", gettext_lazy("Bekend bij het bestuur op"), width=18, kind="datetime"),
        *FACTS,
        Column("decision", gettext_lazy("Besluit"), width=30),
        Column("motivation", gettext_lazy("Motivering"), width=50),
        Column("ap_notified_at", gettext_lazy("Gemeld bij de AP op"), width=18, kind="datetime"),
        Column("ap_reference", gettext_lazy("Meldnummer AP"), width=16),
        Column("ap_late_reason", gettext_lazy("Reden te late melding"), width=30),
        Column(
            "subjects_informed_at",
            gettext_lazy("Betrokkenen geïnformeerd op"),
            width=18,
            kind="datetime",
        ),
        Column(
            "subjects_not_informed_reason",
            gettext_lazy("Waarom niet geïnformeerd"),
            width=30,
        ),
        Column("activities", gettext_lazy("Verwerkingen (registernummer)"), width=20, kind="list"),
        Column("closed_at", gettext_lazy("Afgesloten op"), width=18, kind="datetime"),
    ),
)


def _decision(breach: Breach) -> str:
    if not breach.is_decided:
        return _("nog geen besluit")
    if not breach.must_notify_ap:
        return _("niet melden; vastgelegd in het register")
    if breach.must_inform_subjects:
        return _("melden bij de AP en de betrokkenen informeren")
    return _("melden bij de AP, de betrokkenen niet informeren")


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=DUTCH_TIME)


def breach_appendix(access: BoardAccess, cleaned: dict) -> Appendix | None:
    """The breaches the exporter may see (a school leader: their school's), of the export's
    period and school when it has them; None for who may not see breaches."""
    if access.scope(Capability.VIEW_BREACHES) is None:
        return None
    breaches = Breach.objects.visible_to(access)
    if cleaned.get("school"):
        school = cleaned["school"]
        breaches = breaches.filter(Q(school=school) | Q(schools=school)).distinct()
    # The period in Dutch days, as the exporter chose them.
    if cleaned.get("start"):
        breaches = breaches.filter(aware_at__gte=_day_start(cleaned["start"]))
    if cleaned.get("end"):
        end = cleaned["end"] + datetime.timedelta(days=1)
        breaches = breaches.filter(aware_at__lt=_day_start(end))
    rows = [
        {
            "reference": breach.reference,
            "status": breach.get_status_display(),
            "aware_at": breach.aware_at,
            **{column.key: getattr(breach, column.key) for column in FACTS},
            "decision": _decision(breach),
            "motivation": breach.decision_motivation,
            "ap_notified_at": breach.ap_notified_at,
            "ap_reference": breach.ap_reference,
            "ap_late_reason": breach.ap_late_reason,
            "subjects_informed_at": breach.subjects_informed_at,
            "subjects_not_informed_reason": breach.subjects_not_informed_reason,
            "activities": [
                str(number)
                for number in sorted(activity.number for activity in breach.activities.all())
            ],
            "closed_at": breach.closed_at,
        }
        for breach in breaches.prefetch_related("activities").order_by("aware_at", "pk")
    ]
    about = gettext_lazy(
        "De datalekken (art. 33 lid 5 AVG): het besluit om wel of niet te melden, met motivering, "
        "de melding bij de AP en of de betrokkenen zijn geïnformeerd."
    )
    return Appendix(sheet=BREACHES, about=about, rows=rows)
