"""The two forms that record a notification: to the AP and to the people concerned."""

from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach
from privacyregister.dates import dutch_moment
from privacyregister.forms import MOMENT_INPUT
from privacyregister.limits import TEXT_LIMIT


class ApNotificationForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("Gemeld op"), widget=MOMENT_INPUT)
    reference = forms.CharField(
        label=_("Meldnummer van de AP"),
        max_length=Breach._meta.get_field("ap_reference").max_length,
        help_text=_("Het nummer in de bevestiging van de Autoriteit Persoonsgegevens."),
    )
    late_reason = forms.CharField(
        label=_("Reden van te late melding"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, breach: Breach, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The rule itself is the model's (Breach.clean); the hint names the deadline.
        self.fields["late_reason"].help_text = _(
            "Alleen nodig als u later meldt dan %(deadline)s (72 uur na het bekend worden)."
        ) % {"deadline": dutch_moment(breach.deadline)}


class SubjectsInformedForm(forms.Form):
    # The exceptions of art. 34(3) AVG, in the words of the register.
    EXCEPTIONS = {
        "versleuteld": _("De gegevens waren versleuteld of op een andere manier onleesbaar."),
        "maatregelen": _(
            "Door de genomen maatregelen is een hoog risico niet meer waarschijnlijk."
        ),
        "openbaar": _(
            "Iedereen persoonlijk informeren kost onevenredig veel moeite; wij hebben het "
            "openbaar bekendgemaakt."
        ),
    }

    informed_at = forms.DateTimeField(
        label=_("Geïnformeerd op"), required=False, widget=MOMENT_INPUT
    )
    exception = forms.ChoiceField(
        label=_("Of: de betrokkenen hoeven niet geïnformeerd te worden, omdat"),
        required=False,
        choices=[("", _("— geen uitzondering —")), *EXCEPTIONS.items()],
        help_text=_("De uitzonderingen van art. 34 lid 3 AVG."),
    )
    explanation = forms.CharField(
        label=_("Toelichting bij de uitzondering"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld hoe de gegevens versleuteld waren, of waar het bericht staat."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        informed_at, exception = data.get("informed_at"), data.get("exception")
        if informed_at and exception:
            raise forms.ValidationError(
                _("Vul een datum in óf kies een uitzondering, niet allebei.")
            )
        if not informed_at and not exception and "informed_at" not in self.errors:
            raise forms.ValidationError(
                _("Vul in wanneer de betrokkenen zijn geïnformeerd, of waarom dat niet hoeft.")
            )
        if exception and not data.get("explanation", "").strip():
            self.add_error("explanation", _("Licht de uitzondering toe."))
        return data

    @property
    def not_informed_reason(self) -> str:
        """The reason as the breach keeps it: the exception and its explanation."""
        exception = self.cleaned_data.get("exception")
        if not exception:
            return ""
        return f"{self.EXCEPTIONS[exception]} {self.cleaned_data['explanation'].strip()}"
