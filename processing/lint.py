"""The register lint: completeness and legality rules for processing activities.

Errors block publishing a statement; warnings are shown. Each finding names the part of the
edit form that fixes it, so the page can link straight there.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from processing.models import (
    ActivityDataCategory,
    ActivityRecipient,
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    Recipient,
)

ERROR, WARNING = "error", "warning"
LAW_BASED = {LegalBasis.LEGAL_OBLIGATION, LegalBasis.PUBLIC_TASK}
DPA_MISSING = {Recipient.DpaStatus.MISSING, Recipient.DpaStatus.EXPIRED}


@dataclass(frozen=True)
class Finding:
    activity: ProcessingActivity
    severity: str
    code: str
    message: str
    anchor: str  # the section of the edit form where it is fixed

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def lint_queryset(activities: QuerySet, board) -> QuerySet:
    """Everything the rules read, in a fixed number of queries however many activities.

    The terms are looked up among the board's own: the same rows, but PostgreSQL then reads a
    board's few dozen terms instead of hashing the whole sector's (10 ms less per query at
    1,300 boards, measured)."""
    return activities.prefetch_related(
        "purposes",
        Prefetch(
            "data_categories",
            ActivityDataCategory.objects.filter(category__board=board).select_related("category"),
        ),
        Prefetch("processors", Recipient.objects.filter(board=board)),
        "transfers",
        "retention_rules",
        Prefetch(
            "recipients",
            ActivityRecipient.objects.filter(recipient__board=board).select_related("recipient"),
        ),
    )


def lint_activity(activity: ProcessingActivity, today: date) -> list[Finding]:
    findings = []

    def add(severity, code, message, anchor):
        findings.append(Finding(activity, severity, code, str(message), anchor))

    purposes = list(activity.purposes.all())
    bases = {purpose.legal_basis for purpose in purposes}
    kinds = {row.category.kind for row in activity.data_categories.all()}

    if not purposes:
        add(ERROR, "no_purpose", _("Er is geen doel met een grondslag."), "doelen")
    if DataCategory.Kind.SPECIAL in kinds and not any(
        p.special_category_exception for p in purposes
    ):
        add(
            ERROR,
            "special_without_exception",
            _("Bijzondere persoonsgegevens zonder uitzondering uit art. 9 lid 2 AVG bij een doel."),
            "doelen",
        )
    if DataCategory.Kind.NATIONAL_ID in kinds and not bases & LAW_BASED:
        add(
            ERROR,
            "bsn_without_law",
            _(
                "Het BSN mag alleen als een wet het voorschrijft (art. 46 UAVG); geen doel heeft "
                "een wettelijke plicht of taak van algemeen belang als grondslag."
            ),
            "doelen",
        )
    if LegalBasis.CONSENT in bases and not activity.consent_how_withdrawn.strip():
        add(
            ERROR,
            "consent_without_withdrawal",
            _("Toestemming als grondslag, maar niet beschreven hoe iemand die intrekt."),
            "toestemming",
        )
    if any(
        p.legal_basis == LegalBasis.LEGITIMATE_INTEREST and not p.legal_basis_detail.strip()
        for p in purposes
    ):
        add(
            ERROR,
            "legitimate_interest_unexplained",
            _(
                "Gerechtvaardigd belang zonder het belang en de belangenafweging. Een school mag "
                "zich voor haar publieke taak niet op gerechtvaardigd belang beroepen."
            ),
            "doelen",
        )
    for processor in activity.processors.all():
        if processor.dpa_status in DPA_MISSING or (
            processor.dpa_valid_until and processor.dpa_valid_until < today
        ):
            add(
                ERROR,
                "processor_without_dpa",
                _("Verwerker %(name)s heeft geen geldige verwerkersovereenkomst.")
                % {"name": processor.name},
                "verwerkers",
            )
        elif processor.dpa_status != Recipient.DpaStatus.SIGNED:
            add(
                WARNING,
                "processor_dpa_unsigned",
                _("De verwerkersovereenkomst met %(name)s is nog niet getekend.")
                % {"name": processor.name},
                "verwerkers",
            )
    for transfer in activity.transfers.all():
        if not transfer.safeguard:
            add(
                ERROR,
                "transfer_without_safeguard",
                _("Doorgifte naar %(country)s zonder waarborg (hoofdstuk V AVG).")
                % {"country": transfer.country},
                "doorgiften",
            )
    parties = [*activity.processors.all(), *(r.recipient for r in activity.recipients.all())]
    transferred = {t.recipient_id for t in activity.transfers.all()}
    for party in parties:
        if not party.in_eea and party.pk not in transferred:
            add(
                ERROR,
                "outside_eea_without_transfer",
                _("%(name)s zit buiten de EER, maar er is geen doorgifte met waarborg vastgelegd.")
                % {"name": party.name},
                "doorgiften",
            )
    if not activity.retention_rules.all():
        add(ERROR, "no_retention", _("Er is geen bewaartermijn gekoppeld."), "bewaartermijnen")
    if activity.next_review_on and activity.next_review_on < today:
        add(
            WARNING,
            "review_passed",
            _("De datum voor de volgende controle is verstreken."),
            "controle",
        )
    return findings


def lint(activities: QuerySet, today: date, *, board) -> list[Finding]:
    activities = lint_queryset(activities, board)
    return [f for activity in activities for f in lint_activity(activity, today)]
