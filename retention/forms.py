from django import forms
from django.utils.translation import gettext_lazy as _

from privacyregister.dates import FIRST_DAY, LAST_DAY
from privacyregister.forms import BoardOwnedForm, date_in_range, inline_rows, limit_to_board
from privacyregister.models import School
from retention.models import POSITIVE_PERIOD, RetentionException, RetentionRule


class RetentionRuleForm(BoardOwnedForm):
    class Meta:
        model = RetentionRule
        fields = [
            "board",
            "name",
            "subject_group",
            "period_kind",
            "period_amount",
            "period_unit",
            "start_event",
            "active_amount",
            "active_unit",
            "action",
            "is_statutory",
            "legal_source",
            "legal_source_url",
            "maximum_amount",
            "maximum_unit",
            "note",
            "activities",
            "data_categories",
        ]
        widgets = {
            "activities": forms.CheckboxSelectMultiple,
            "data_categories": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_board(self, board)
        self.fields["activities"].queryset = board.activities.order_by("name")
        for name in ["period_amount", "active_amount", "maximum_amount"]:
            # One Dutch message for zero and negative alike, instead of "minstens 0".
            self.fields[name].validators = [POSITIVE_PERIOD]


ExceptionFormSet = inline_rows(
    RetentionRule, RetentionException, fields=["condition", "period_amount", "period_unit"]
)
EXCEPTIONS_PREFIX = "uitzonderingen"


class CalculatorForm(forms.Form):
    start = forms.DateField(
        label=_("Datum van de gebeurtenis"),
        help_text=_("Bijvoorbeeld de dag waarop een leerling van school ging."),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[date_in_range],
    )


class CalendarForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("alle scholen"),
    )
    month = forms.RegexField(
        label=_("Maand"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        error_messages={"invalid": _("Kies een maand, bijvoorbeeld 2026-07.")},
    )
    school_year = forms.RegexField(
        label=_("Of een schooljaar"),
        regex=r"^\d{4}-\d{4}$",
        required=False,
        help_text=_("Bijvoorbeeld 2025-2026."),
        error_messages={"invalid": _("Schrijf een schooljaar als 2025-2026.")},
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = board.schools.all()

    def clean_month(self):
        value = self.cleaned_data["month"]
        if value and not FIRST_DAY.year <= int(value[:4]) <= LAST_DAY.year:
            raise forms.ValidationError(_("Kies een maand tussen januari 1900 en december 2200."))
        return value

    def clean_school_year(self):
        value = self.cleaned_data["school_year"]
        if value and int(value[5:]) != int(value[:4]) + 1:
            raise forms.ValidationError(
                _("Een schooljaar loopt van het ene jaar naar het volgende.")
            )
        if value and not FIRST_DAY.year <= int(value[:4]) < LAST_DAY.year:
            raise forms.ValidationError(_("Kies een schooljaar tussen 1900-1901 en 2199-2200."))
        return value
