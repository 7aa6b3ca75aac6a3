import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach
from privacyregister.forms import MOMENT_INPUT, choice_field
from privacyregister.models import Board
from processing.models import Recipient

# Something that looks like a tag: "<" followed by a letter, "/", "!" or "?". Refused rather
# than stripped, so that what is stored is what the reporter sees they wrote; "<3" or "< 5
# leerlingen" is no markup and passes. The pages escape everything anyway.
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def no_markup(value: str) -> None:
    if MARKUP.search(value):
        raise forms.ValidationError(
            _("Gebruik geen HTML-code: schrijf uw tekst zonder punthaken (< en >)."),
            code="markup",
        )


def _now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ReportForm(forms.ModelForm):
    """What a reporter tells: the public's form and a staff member's. The school is one of the
    board's active schools; a posted school of another board is not a valid choice."""

    class Meta:
        model = Breach
        fields = [
            "what_happened",
            "discovered_at",
            "occurred_at",
            "school",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
        ]
        widgets = {"discovered_at": MOMENT_INPUT, "occurred_at": MOMENT_INPUT}
        labels = {
            "what_happened": _("Wat is er gebeurd?"),
            "discovered_at": _("Wanneer merkte u het?"),
            "occurred_at": _("Wanneer is het gebeurd? (als u dat weet)"),
            "school": _("Bij welke school?"),
            "reporter_name": _("Uw naam"),
            "reporter_email": _("Uw e-mailadres"),
            "reporter_phone": _("Uw telefoonnummer"),
        }
        help_texts = {
            "what_happened": _(
                "Vertel in uw eigen woorden wat er mis ging. Welke gegevens? Van wie? Wie kon ze "
                "zien? Stuur geen gegevens mee die zelf geheim moeten blijven."
            ),
            "discovered_at": _("Datum en tijd. Weet u het niet precies? Vul dan een schatting in."),
        }

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        school = choice_field(self, "school")
        school.queryset = board.schools.active().order_by("name")
        school.empty_label = _("Weet ik niet")
        self.fields["discovered_at"].initial = _now_to_the_minute
        for name in ("what_happened", "reporter_name", "reporter_phone"):
            if name in self.fields:  # the staff form takes the name from the account
                self.fields[name].validators.append(no_markup)


class StaffReportForm(ReportForm):
    """A staff member's report: their name and address are the account's. Whoever handles
    breaches can also enter one a processor reported to the board (art. 33(2) AVG): then the
    72 hours run from when the processor told the board."""

    from_processor = forms.BooleanField(
        label=_("Gemeld door een verwerker"),
        required=False,
        help_text=_("Een leverancier die voor het bestuur gegevens verwerkt, meldde dit lek."),
    )
    processor = forms.ModelChoiceField(
        label=_("Welke verwerker?"), queryset=Recipient.objects.none(), required=False
    )
    told_at = forms.DateTimeField(
        label=_("Wanneer liet de verwerker het ons weten?"), required=False, widget=MOMENT_INPUT
    )

    class Meta(ReportForm.Meta):
        fields = ["what_happened", "discovered_at", "occurred_at", "school"]
        labels = {
            **ReportForm.Meta.labels,
            "discovered_at": _("Wanneer is het ontdekt?"),
        }

    def __init__(self, *args, board: Board, processor_reports: bool, **kwargs):
        super().__init__(*args, board=board, **kwargs)
        if processor_reports:
            choice_field(self, "processor").queryset = board.recipients.filter(
                kind=Recipient.Kind.PROCESSOR
            ).order_by("name")
        else:
            for name in ("from_processor", "processor", "told_at"):
                del self.fields[name]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not data.get("from_processor"):
            self.instance.source = Breach.Source.STAFF
            return data
        processor, told_at = data.get("processor"), data.get("told_at")
        discovered = data.get("discovered_at")
        if not processor:
            self.add_error("processor", _("Kies de verwerker die het lek meldde."))
        if not told_at:
            self.add_error("told_at", _("Vul in wanneer de verwerker het ons liet weten."))
        elif told_at > timezone.now():
            self.add_error("told_at", _("Dit tijdstip ligt in de toekomst."))
        elif discovered and told_at < discovered:
            self.add_error(
                "told_at", _("De verwerker kan het niet gemeld hebben voordat het ontdekt was.")
            )
        self.instance.source = Breach.Source.PROCESSOR
        self.instance.reporting_processor = processor
        self.instance.aware_at = told_at
        return data
