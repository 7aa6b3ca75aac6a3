"""Forms of the register: the activity with an inline formset per kind of row, comments, a copy
and the filters of an export."""

from typing import TYPE_CHECKING

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacyregister.forms import (
    BoardOwnedForm,
    choice_field,
    date_in_range,
    inline_rows,
    limit_text,
    limit_to_board,
)
from privacyregister.models import Board, School, User
from privacyregister.permissions import Capability, roles_with
from processing import models
from processing.directory import MAX_QUERY_LENGTH
from retention.models import RetentionRule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActivityForm(BoardOwnedForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    retention_rules = forms.ModelMultipleChoiceField(
        label=_("Bewaartermijnen"),
        queryset=RetentionRule.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = models.ProcessingActivity
        fields = [
            "board",
            "name",
            "description",
            "description_pupils",
            "name_en",
            "description_en",
            "applies_to_all_schools",
            "schools",
            "subject_groups",
            "processors",
            "security_measures",
            "provision_requirement",
            "consent_how_asked",
            "consent_how_withdrawn",
            "automated_decision_making",
            "profiling",
            "automated_logic",
            "automated_consequences",
            "dpia_required",
            "dpia_done_on",
            "owner",
            "next_review_on",
        ]
        widgets = {
            "schools": forms.CheckboxSelectMultiple,
            "subject_groups": forms.CheckboxSelectMultiple,
            "processors": forms.CheckboxSelectMultiple,
            "security_measures": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_pupils": forms.Textarea(attrs={"rows": 3}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "description_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "provision_requirement": forms.Textarea(attrs={"rows": 2}),
            "consent_how_asked": forms.Textarea(attrs={"rows": 2}),
            "consent_how_withdrawn": forms.Textarea(attrs={"rows": 2}),
            "automated_logic": forms.Textarea(attrs={"rows": 2}),
            "automated_consequences": forms.Textarea(attrs={"rows": 2}),
            "dpia_done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, board, school_scope: bool, own_school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_board(self, board)
        # Only someone who may edit activities can own one; a schoolleider counts, though
        # they edit only their own school's activities.
        choice_field(self, "owner").queryset = User.objects.filter(
            memberships__board=board,
            memberships__role__in=roles_with(Capability.EDIT_ACTIVITY),
        ).distinct()
        choice_field(self, "retention_rules").queryset = board.retention_rules.all()
        # An archived school is not offered for new work, but an activity keeps the schools
        # it already concerns.
        kept = self.instance.schools.values("pk") if self.instance.pk else []
        choice_field(self, "schools").queryset = board.schools.filter(
            Q(archived_at=None) | Q(pk__in=kept)
        )
        if self.instance.pk:
            self.fields["retention_rules"].initial = self.instance.retention_rules.all()
            self.fields["version"].initial = self.instance.version
        if school_scope:
            # A schoolleider keeps the local activities of their own school, not their reach.
            self.fields["applies_to_all_schools"].disabled = True
            self.fields["applies_to_all_schools"].initial = False
            choice_field(self, "schools").queryset = board.schools.filter(pk__in=own_school_ids)
            if not self.instance.pk:
                self.instance.applies_to_all_schools = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("applies_to_all_schools") and not cleaned.get("schools"):
            self.add_error("schools", _("Kies de scholen waarvoor deze verwerking geldt."))
        if cleaned.get("dpia_done_on") and not cleaned.get("dpia_required"):
            self.add_error("dpia_required", _("Er is een DPIA gedaan; vink aan dat die nodig was."))
        if (
            cleaned.get("automated_decision_making") or cleaned.get("profiling")
        ) and not cleaned.get("automated_logic", "").strip():
            self.add_error(
                "automated_logic",
                _("Leg uit hoe het geautomatiseerde besluit of profiel tot stand komt."),
            )
        return cleaned


class RowForm(forms.ModelForm):
    """A row of an inline formset, limited to the board's terms and the activity's dossiers."""

    def __init__(self, *args, board, activity, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_board(self, board)
        _limit_to_dossiers(self, activity)
        limit_text(self)


def _limit_to_dossiers(form: forms.BaseForm, activity: models.ProcessingActivity) -> None:
    """A dossier belongs to an activity, not to the board: offer only this activity's own (none
    yet for a new activity)."""
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            continue
        if field.queryset.model is models.Dossier:
            field.queryset = (
                activity.dossiers.all() if activity.pk else models.Dossier.objects.none()
            )


class PurposeForm(RowForm):
    class Meta:
        model = models.Purpose
        fields = [
            "description",
            "description_en",
            "legal_basis",
            "legal_basis_detail",
            "special_category_exception",
            "special_category_detail",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2, "lang": "en"}),
            "legal_basis_detail": forms.Textarea(attrs={"rows": 2}),
            "special_category_detail": forms.Textarea(attrs={"rows": 2}),
        }


def _formset(model, fields, form=RowForm):
    return inline_rows(models.ProcessingActivity, model, form=form, fields=fields)


# (prefix, heading, formset): the order in which the form shows them.
FORMSETS: list[tuple[str, "StrOrPromise", type[forms.BaseInlineFormSet]]] = [
    (
        "doelen",
        _("Doelen en grondslagen"),
        _formset(models.Purpose, PurposeForm.Meta.fields, PurposeForm),
    ),
    ("dossiers", _("Dossiers"), _formset(models.Dossier, ["name", "description"])),
    (
        "gegevens",
        _("Welke gegevens van wie"),
        _formset(models.ActivityDataCategory, ["category", "subject_group", "dossier", "note"]),
    ),
    (
        "bronnen",
        _("Waar de gegevens vandaan komen"),
        _formset(models.ActivitySource, ["source", "subject_group", "note"]),
    ),
    (
        "ontvangers",
        _("Ontvangers"),
        _formset(models.ActivityRecipient, ["recipient", "ground", "ground_detail", "dossier"]),
    ),
    (
        "doorgiften",
        _("Doorgifte buiten de EER"),
        _formset(models.Transfer, ["recipient", "country", "safeguard", "safeguard_detail"]),
    ),
    (
        "toegang",
        _("Functies met toegang"),
        _formset(models.StaffAccess, ["staff_role", "access", "dossier"]),
    ),
    (
        "cookies",
        _("Cookies"),
        _formset(
            models.Cookie, ["name", "provider", "kind", "purpose", "lifetime", "needs_consent"]
        ),
    ),
]


def build_formsets(
    data, *, activity, board
) -> list[tuple[str, "StrOrPromise", forms.BaseInlineFormSet]]:
    return [
        (
            prefix,
            heading,
            formset(
                data,
                instance=activity,
                prefix=prefix,
                form_kwargs={"board": board, "activity": activity},
            ),
        )
        for prefix, heading, formset in FORMSETS
    ]


FORMSET_PREFIXES = [prefix for prefix, _heading, _formset in FORMSETS]


def focus_new_row(formsets, prefix: str) -> None:
    """The row "Rij toevoegen" added gets the focus, so the user types on where they were: htmx
    focuses it after swapping the rows in, a browser without JavaScript after the reload."""
    for formset_prefix, _heading, formset in formsets:
        if formset_prefix == prefix and formset.forms:
            row = formset.forms[-1]
            first = next(name for name, field in row.fields.items() if not field.widget.is_hidden)
            row.fields[first].widget.attrs["autofocus"] = True


class CommentForm(forms.ModelForm):
    class Meta:
        model = models.Comment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text(self)


class ResolveCommentForm(CommentForm):
    class Meta:
        model = models.Comment
        fields = ["resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 2})}


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Naam van de kopie"), max_length=200)
    schools = forms.ModelMultipleChoiceField(
        label=_("Voor welke scholen"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leeg laten: de kopie geldt, net als het origineel, voor dezelfde scholen."),
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        choice_field(self, "schools").queryset = board.schools.active()

    def clean_name(self):
        name = self.cleaned_data["name"]
        if self.board.activities.filter(name=name).exists():
            raise forms.ValidationError(_("Dit bestuur heeft al een verwerking met deze naam."))
        return name


class ExportFilterForm(forms.Form):
    """Which activities a register export holds, and the period of its change log."""

    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("alle scholen"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("alle"))] + list(models.ProcessingActivity.Status.choices),
        required=False,
    )
    start = forms.DateField(
        label=_("Wijzigingen vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[date_in_range],
    )
    end = forms.DateField(
        label=_("Wijzigingen tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[date_in_range],
    )

    def __init__(self, data=None, *, board: Board, school_ids=None, **kwargs):
        self.limited = school_ids is not None
        if self.limited and data is not None and not data.get("school"):
            data = data.copy()
            data["school"] = min(school_ids)
        super().__init__(data, **kwargs)
        schools = board.schools.all()
        if self.limited:  # a schoolleider exports only the own school
            schools = schools.filter(pk__in=school_ids)
            choice_field(self, "school").required = True
            choice_field(self, "school").empty_label = None
        choice_field(self, "school").queryset = schools

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def description(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (
                str(_("School")),
                str(data["school"]) if data.get("school") else str(_("alle scholen")),
            ),
            (
                str(_("Status")),
                str(models.ProcessingActivity.Status(data["status"]).label)
                if data.get("status")
                else str(_("alle")),
            ),
            (
                str(_("Wijzigingen")),
                f"{data['start'] or '…'} – {data['end'] or '…'}"
                if data.get("start") or data.get("end")
                else str(_("alle")),
            ),
        ]


class SchoolSearchForm(forms.Form):
    """The search on /privacy/: a few words of a school's name or place."""

    zoek = forms.CharField(
        label=_("Naam of plaats van de school"),
        max_length=MAX_QUERY_LENGTH,
        min_length=2,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Zoek met hoogstens %(limit_value)d tekens."),
            "min_length": _("Typ minstens %(limit_value)d tekens."),
        },
    )
