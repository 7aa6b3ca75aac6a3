"""The texts a breach needs once it is decided: the draft notification for the Autoriteit
Persoonsgegevens (art. 33(3)), the letter to the people concerned (art. 34(2)) and the note on a
processor's report (art. 33(2)).

The draft follows the order of the AP's online form ("Meldformulier datalekken") so that the
privacy officer can copy it block by block. Everything comes from the breach as recorded; what is
missing is listed, and a draft with missing facts is a provisional notification, which art. 33(4)
allows: the rest follows in a follow-up notification.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from breaches.models import Breach
from breaches.register_facts import register_facts
from privacyregister.dates import dutch_date, dutch_moment
from processing.models import DataCategory, Recipient


@dataclass
class Fact:
    label: str
    value: str
    # An optional fact left empty is not missing: the form does not ask for it.
    required: bool = True

    @property
    def missing(self) -> bool:
        return self.required and not self.value.strip()


@dataclass
class Block:
    """One block of the AP's form. `board_fact`: its facts are the board's, edited in the
    board's settings rather than on the breach."""

    title: str
    facts: list[Fact]
    board_fact: bool = False

    @property
    def missing(self) -> list[str]:
        return [fact.label for fact in self.facts if fact.missing]

    @property
    def plain_text(self) -> str:
        """The block as text to paste into the AP's form, one fact a paragraph."""
        return "\n\n".join(
            f"{fact.label}:\n{fact.value.strip() or _('nog invullen')}" for fact in self.facts
        )


@dataclass
class ApDraft:
    blocks: list[Block]
    non_eea_processors: list[Recipient]
    late: bool

    @property
    def missing(self) -> list[str]:
        return [label for block in self.blocks for label in block.missing]

    @property
    def provisional(self) -> bool:
        """A notification with facts still missing is a first, provisional one (art. 33(4))."""
        return bool(self.missing)


def _when(value: datetime.datetime | None) -> str:
    return dutch_moment(value) if value else ""


def _special_categories(breach: Breach) -> list[str]:
    """The special categories and national identification numbers (BSN) that the linked
    activities process according to the register: the first thing the AP asks about."""
    return [
        f"{category.name} ({DataCategory.Kind(category.kind).label})"
        for category in register_facts(breach).categories
        if category.sensitive
    ]


def _informing(breach: Breach) -> str:
    """Whether the people concerned are informed, as the AP's form asks it."""
    if breach.subjects_informed_at:
        return _("Ja, geïnformeerd op %(when)s met een brief.") % {
            "when": dutch_moment(breach.subjects_informed_at)
        }
    if breach.subjects_not_informed_reason.strip():
        return _("Nee: %(reason)s") % {"reason": breach.subjects_not_informed_reason.strip()}
    inform = breach.must_inform_subjects
    if inform is None:
        return ""
    if inform:
        return _("Nog niet; dat gebeurt zo snel mogelijk met een brief.")
    return _("Nee: het risico voor de betrokkenen is niet hoog (art. 34 lid 1 AVG).")


def ap_draft(breach: Breach, now: datetime.datetime | None = None) -> ApDraft:
    """The draft notification, in the order of the AP's form."""
    now = now or timezone.now()
    board = breach.board
    processors = list(breach.processors.all())
    if breach.reporting_processor and breach.reporting_processor not in processors:
        processors.append(breach.reporting_processor)
    non_eea = [processor for processor in processors if not processor.in_eea]
    late = breach.notified_late or (not breach.ap_notified_at and now > breach.deadline)
    special = _special_categories(breach)
    blocks = [
        Block(
            _("Organisatie die meldt"),
            [
                Fact(_("Naam"), board.name),
                Fact(_("KvK-nummer"), board.kvk_number),
                Fact(_("Adres"), board.postal_address or board.visiting_address),
                Fact(_("Website"), board.website, required=False),
            ],
            board_fact=True,
        ),
        Block(
            _("Contactpersoon"),
            [
                Fact(_("Naam"), board.fg_name),
                Fact(
                    _("Functie"),
                    _("functionaris gegevensbescherming")
                    + (f" ({board.fg_organisation})" if board.fg_organisation else ""),
                ),
                Fact(_("E-mailadres"), board.fg_email),
                Fact(_("Telefoonnummer"), board.fg_phone),
            ],
            board_fact=True,
        ),
        Block(
            _("Het datalek"),
            [
                Fact(_("Ons kenmerk"), breach.reference),
                Fact(_("Samenvatting"), breach.what_happened),
                Fact(
                    _("Wanneer is het gebeurd"),
                    _when(breach.occurred_at) or _("Niet bekend."),
                ),
                Fact(_("Wanneer is het ontdekt"), _when(breach.discovered_at)),
                Fact(_("Wanneer wist het bestuur ervan"), _when(breach.aware_at)),
                Fact(
                    _(
                        "Aard van het lek (lezen, kopiëren, veranderen, verwijderen, stelen of "
                        "openbaar maken van gegevens)"
                    ),
                    breach.nature,
                ),
            ],
        ),
        Block(
            _("Betrokkenen en gegevens"),
            [
                Fact(
                    _("Aantal betrokkenen (ongeveer)"),
                    str(breach.approx_people) if breach.approx_people is not None else "",
                ),
                Fact(
                    _("Aantal gegevensrecords (ongeveer)"),
                    str(breach.approx_records) if breach.approx_records is not None else "",
                ),
                Fact(_("Groepen betrokkenen"), breach.subject_groups),
                Fact(_("Soorten persoonsgegevens"), breach.data_categories),
                Fact(
                    _("Bijzondere persoonsgegevens en BSN volgens het register"),
                    "\n".join(special) or _("Geen, volgens de gekoppelde verwerkingen."),
                    required=False,
                ),
            ],
        ),
        Block(_("Gevolgen"), [Fact(_("Waarschijnlijke gevolgen"), breach.consequences)]),
        Block(
            _("Maatregelen"),
            [
                Fact(_("Genomen maatregelen"), breach.measures_taken),
                Fact(_("Voorgestelde maatregelen"), breach.measures_proposed, required=False),
            ],
        ),
        Block(
            _("Informeren van de betrokkenen"),
            [Fact(_("Betrokkenen geïnformeerd"), _informing(breach))],
        ),
        Block(
            _("Internationale aspecten"),
            [
                Fact(
                    _("Verwerkers buiten de Europese Economische Ruimte"),
                    "\n".join(f"{p.name} ({p.country})" for p in non_eea) or _("Geen."),
                ),
            ],
        ),
    ]
    if late:
        blocks.append(
            Block(
                _("Te late melding"),
                [Fact(_("Reden dat de melding later is dan 72 uur"), breach.ap_late_reason)],
            )
        )
    draft = ApDraft(blocks=blocks, non_eea_processors=non_eea, late=late)
    follow_up = (
        _("Voorlopige melding (art. 33 lid 4 AVG). Deze gegevens volgen nog: %(missing)s.")
        % {"missing": ", ".join(label.lower() for label in draft.missing)}
        if draft.provisional
        else _("Volledige melding.")
    )
    blocks.append(Block(_("Vervolg"), [Fact(_("Soort melding"), follow_up)]))
    return draft


@dataclass
class ProcessorNote:
    """A processor reported the breach (art. 33(2)): what its agreement says about that."""

    processor: Recipient | None
    dpa_flag: str = ""
    dpa_facts: list[str] = field(default_factory=list)


def processor_note(breach: Breach, today: datetime.date | None = None) -> ProcessorNote | None:
    if breach.source != Breach.Source.PROCESSOR and breach.reporting_processor is None:
        return None
    processor = breach.reporting_processor
    if processor is None:
        return ProcessorNote(processor=None, dpa_flag=_("Vul in welke verwerker het lek meldde."))
    today = today or timezone.localdate()
    facts = [
        _("Verwerkersovereenkomst: %(status)s")
        % {"status": processor.get_dpa_status_display() or _("niet vastgelegd")}
    ]
    if processor.dpa_signed_on:
        facts.append(_("getekend op %(date)s") % {"date": dutch_date(processor.dpa_signed_on)})
    if processor.dpa_valid_until:
        facts.append(_("geldig tot %(date)s") % {"date": dutch_date(processor.dpa_valid_until)})
    if processor.dpa_uses_sector_model:
        facts.append(_("volgens het Model Verwerkersovereenkomst van het Privacyconvenant"))
    flag = ""
    if processor.dpa_status != Recipient.DpaStatus.SIGNED:
        flag = _(
            "Er is geen getekende verwerkersovereenkomst met deze verwerker. Die is verplicht "
            "(art. 28 AVG) en legt vast hoe snel de verwerker een datalek moet melden."
        )
    elif processor.dpa_valid_until and processor.dpa_valid_until < today:
        flag = _("De verwerkersovereenkomst met deze verwerker is verlopen.")
    return ProcessorNote(processor=processor, dpa_flag=flag, dpa_facts=facts)


def letter_greeting(breach: Breach) -> str:
    """Whom the letter addresses, from the groups the breach concerns: parents for pupils' data
    (they exercise a child's rights), staff for staff data, both or neutral otherwise."""
    groups = breach.subject_groups.lower()
    parents = any(word in groups for word in ("leerling", "ouder", "verzorger", "kind"))
    staff = any(word in groups for word in ("medewerker", "personeel", "leerkracht", "docent"))
    if parents and staff:
        return _("Beste ouder, verzorger of medewerker,")
    if parents:
        return _("Beste ouder of verzorger,")
    if staff:
        return _("Beste medewerker,")
    return _("Beste lezer,")
