from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach
from privacyregister.forms import DATE_INPUT, MOMENT_INPUT, choice_field, date_in_range
from privacyregister.limits import TEXT_LIMIT
from privacyregister.models import Board, School, User
from processing.models import ProcessingActivity, Recipient

YES_NO = [("ja", _("ja")), ("nee", _("nee"))]


class BreachFilter(forms.Form):
    OPEN, ALL = "", "alle"
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("alle scholen"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(OPEN, _("open")), (ALL, _("alle"))] + list(Breach.Status.choices),
        required=False,
    )
    # The flood mail links to "ja"; "nee" shows the other reports without a flood between them.
    FLOOD_ONLY, FLOOD_NONE = "ja", "nee"
    massamelding = forms.ChoiceField(
        label=_("Mogelijke massamelding"),
        choices=[
            ("", _("alle meldingen")),
            (FLOOD_ONLY, _("alleen mogelijke massameldingen")),
            (FLOOD_NONE, _("zonder mogelijke massameldingen")),
        ],
        required=False,
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ActivityChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ProcessingActivity) -> str:  # type: ignore[override]
        # The register number first: that is how the privacy officer finds an activity.
        return f"{obj.number}. {obj.name}"


class LinkForm(forms.Form):
    activities = ActivityChoice(
        label=_("Verwerkingen"),
        queryset=ProcessingActivity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    processors = forms.ModelMultipleChoiceField(
        label=_("Systemen en verwerkers"),
        queryset=Recipient.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Scholen"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "activities").queryset = board.activities.order_by("number")
        choice_field(self, "processors").queryset = board.recipients.filter(
            kind=Recipient.Kind.PROCESSOR
        )
        choice_field(self, "schools").queryset = board.schools.filter(archived_at=None)


class FactsForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "nature",
            "data_categories",
            "subject_groups",
            "approx_people",
            "approx_records",
            "consequences",
            "measures_taken",
            "measures_proposed",
            "occurred_at",
            "discovered_at",
            "aware_at",
        ]
        widgets = {
            "occurred_at": MOMENT_INPUT,
            "discovered_at": MOMENT_INPUT,
            "aware_at": MOMENT_INPUT,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "nature",
                    "data_categories",
                    "subject_groups",
                    "consequences",
                    "measures_taken",
                    "measures_proposed",
                )
            },
        }
        help_texts = {
            "aware_at": _("Vanaf dit moment lopen de 72 uur om het lek bij de AP te melden."),
            "nature": _("Wat is er gebeurd: verloren, gestolen, verkeerd verstuurd, ingezien?"),
        }

    def __init__(self, *args, suggestions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        # Only where nothing was typed yet: the officer's own text always wins.
        for name, text in suggestions.items():
            self.initial[name] = text
        self.suggested = set(suggestions)


def _yes_no(value: str) -> bool | None:
    return {"ja": True, "nee": False}.get(value)


class DecisionForm(forms.Form):
    """The questions of the Autoriteit Persoonsgegevens, one after another. Without JavaScript
    all show; a later question counts only when the earlier answer leads to it."""

    personal_data_involved = forms.ChoiceField(
        label=_("1. Gaat het om persoonsgegevens?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_(
            "Gegevens over een persoon die je kunt herkennen: een naam, een cijferlijst, een "
            "foto, een leerlingnummer. Een gestolen laptop zonder leerling- of personeelsgegevens "
            "is geen datalek."
        ),
        error_messages={"required": _("Beantwoord of het om persoonsgegevens gaat.")},
    )
    risk_unlikely = forms.ChoiceField(
        label=_("2. Is een risico voor de betrokkenen onwaarschijnlijk? (alleen als 1 ja is)"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Ja als niemand de gegevens kan lezen of gebruiken: een versleutelde laptop, een "
            "mail die ongelezen is teruggehaald, een map die alleen collega's zagen die het al "
            "mochten zien."
        ),
    )
    high_risk = forms.ChoiceField(
        label=_("3. Is het risico voor de betrokkenen hoog? (alleen als 2 nee is)"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Hoog bij gegevens over gezondheid of zorg, een BSN, gegevens die tot fraude of "
            "pesten kunnen leiden, of veel leerlingen tegelijk."
        ),
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        help_text=_("Waarom wel of niet melden: dit legt u vast voor art. 33 lid 5 AVG."),
        error_messages={"required": _("Motiveer het besluit om wel of niet te melden.")},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        involved = _yes_no(data.get("personal_data_involved", ""))
        unlikely = _yes_no(data.get("risk_unlikely", ""))
        high = _yes_no(data.get("high_risk", ""))
        if involved and unlikely is None:
            self.add_error(
                "risk_unlikely",
                _("Beantwoord of een risico voor de betrokkenen onwaarschijnlijk is."),
            )
        if involved and unlikely is False and high is None:
            self.add_error("high_risk", _("Beantwoord of het risico voor de betrokkenen hoog is."))
        data["answers"] = {
            "personal_data_involved": involved,
            "risk_unlikely": unlikely,
            "high_risk": high,
        }
        return data


class AdviceForm(forms.Form):
    advice = forms.CharField(
        label=_("Advies van de FG"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Schrijf uw advies.")},
    )


class MeasureForm(forms.Form):
    description = forms.CharField(
        label=_("Maatregel"),
        max_length=500,
        error_messages={"required": _("Beschrijf de maatregel.")},
    )
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("Klaar op"), widget=DATE_INPUT, required=False, validators=[date_in_range]
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "owner").queryset = User.objects.filter(
            memberships__board=board
        ).distinct()


# The list shows 25 reports a page; one dismissal closes at most those one page shows.
PAGE_SIZE = 25


class FloodDismissForm(forms.Form):
    """Reports of a possible flood chosen on the list, to close with one motivation. Another
    board's report is refused; a chosen report that someone took on is left out (skipped)."""

    breaches = forms.ModelMultipleChoiceField(
        label=_("Meldingen"),
        queryset=Breach.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Kies de meldingen die u wilt afsluiten."),
            "invalid_choice": _("Een gekozen melding hoort niet bij dit bestuur."),
            "invalid_pk_value": _("Een gekozen melding hoort niet bij dit bestuur."),
        },
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMIT,
        help_text=_(
            "Waarom dit geen datalekken zijn, bijvoorbeeld: dezelfde onzintekst van één "
            "afzender. Dit komt bij elke melding te staan (art. 33 lid 5 AVG)."
        ),
        error_messages={"required": _("Motiveer waarom dit geen datalekken zijn.")},
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "breaches").queryset = board.breaches.all()
        self.skipped = 0

    def clean_breaches(self):
        chosen = self.cleaned_data["breaches"]
        if len(chosen) > PAGE_SIZE:
            raise forms.ValidationError(
                _("Kies ten hoogste %(count)d meldingen tegelijk.") % {"count": PAGE_SIZE}
            )
        waiting = chosen.awaiting_triage().order_by("number")
        self.skipped = len(chosen) - len(waiting)
        if not waiting:
            raise forms.ValidationError(
                _(
                    "Geen van de gekozen meldingen is een mogelijke massamelding die nog niemand "
                    "in behandeling heeft."
                )
            )
        return waiting
