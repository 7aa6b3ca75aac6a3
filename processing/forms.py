"""Forms of the register: the activity with an inline formset per kind of row, comments, a copy
and the filters of an export."""

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.utils.formats import date_format
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
from processing.parts import Part
from processing.spreadsheet_upload import SpreadsheetField
from retention.models import RetentionRule

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActivityForm(BoardOwnedForm):
    """One part of the activity (processing.parts): only that part's fields are on the form, so
    only they are validated and saved."""

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
        # Hints in plain Dutch: what to fill in and why (the model's own help texts stay where
        # they are good enough).
        help_texts = {
            "name": _("Een korte naam die ouders en collega's begrijpen, bijv. “Cameratoezicht”."),
            "description": _(
                "Leg in een paar gewone zinnen uit wat de school doet en waarom. Ouders lezen "
                "dit in de privacyverklaring."
            ),
            "applies_to_all_schools": _(
                "Haal het vinkje weg als dit maar op een paar scholen gebeurt; kies die dan."
            ),
            "schools": _("Kies de scholen waar dit gebeurt."),
            "owner": _("Wie binnen het bestuur over deze verwerking gaat en vragen beantwoordt."),
            "subject_groups": _(
                "Van wie u gegevens gebruikt, bijv. leerlingen, ouders of medewerkers."
            ),
            "processors": _(
                "Een verwerker is een leverancier die de gegevens alleen in uw opdracht "
                "verwerkt, bijv. de leverancier van het leerlingvolgsysteem. Met een verwerker "
                "sluit u een verwerkersovereenkomst (art. 28 AVG). Wie de gegevens voor een "
                "eigen doel krijgt, zoals de GGD, is een ontvanger: vul die hierboven in."
            ),
            "security_measures": _(
                "Hoe u de gegevens beschermt, bijv. inloggen met twee stappen of versleuteling. "
                "Het register vraagt een algemene beschrijving (art. 30 AVG)."
            ),
            "consent_how_asked": _(
                "Alleen invullen als een doel toestemming als grondslag heeft. Onder de 16 "
                "geven de ouders toestemming."
            ),
            "consent_how_withdrawn": _(
                "Verplicht bij toestemming: hoe iemand de toestemming weer intrekt, bijv. "
                "in het ouderportaal. Intrekken moet even makkelijk zijn als geven."
            ),
            "automated_decision_making": _(
                "Aanvinken als een computer zonder mens een besluit over iemand neemt dat "
                "gevolgen heeft, bijv. een plaatsing."
            ),
            "profiling": _(
                "Aanvinken als een systeem automatisch kenmerken van iemand inschat, bijv. "
                "het niveau van een leerling voorspelt."
            ),
            "dpia_required": _(
                "Een DPIA is een onderzoek naar de risico's voor de betrokkenen, verplicht bij "
                "een hoog risico (art. 35 AVG). Bijvoorbeeld bij cameratoezicht, bij veel "
                "bijzondere gegevens zoals gezondheid, en bij het stelselmatig volgen van "
                "leerlingen, zoals een leerlingvolgsysteem."
            ),
            "dpia_done_on": _("De datum waarop de DPIA klaar was."),
            "next_review_on": _(
                "Wanneer u deze verwerking weer nakijkt. Het register waarschuwt u op die dag."
            ),
        }

    def __init__(self, *args, board, school_scope: bool, part: Part, own_school_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_board(self, board)
        for name in [name for name in self.fields if name not in (*part.fields, *HIDDEN)]:
            del self.fields[name]
        if "owner" in self.fields:
            # Only someone who may edit activities can own one; a schoolleider counts, though
            # they edit only their own school's activities.
            choice_field(self, "owner").queryset = User.objects.filter(
                memberships__board=board,
                memberships__role__in=roles_with(Capability.EDIT_ACTIVITY),
            ).distinct()
        if "retention_rules" in self.fields:
            choice_field(self, "retention_rules").queryset = board.retention_rules.all()
            if self.instance.pk:
                self.fields["retention_rules"].initial = self.instance.retention_rules.all()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if "schools" in self.fields:
            # An archived school is not offered for new work, but an activity keeps the schools
            # it already concerns.
            kept = self.instance.schools.values("pk") if self.instance.pk else []
            choice_field(self, "schools").queryset = board.schools.filter(
                Q(archived_at=None) | Q(pk__in=kept)
            )
        if school_scope:
            if "applies_to_all_schools" in self.fields:
                # A schoolleider keeps the local activities of their own school, not their
                # reach.
                self.fields["applies_to_all_schools"].disabled = True
                self.fields["applies_to_all_schools"].initial = False
            if "schools" in self.fields:
                choice_field(self, "schools").queryset = board.schools.filter(pk__in=own_school_ids)
            if not self.instance.pk:
                self.instance.applies_to_all_schools = False

    @staticmethod
    def for_part(part: Part) -> "type[ActivityForm]":
        """The form of one part: only that part's model fields are read from the activity
        (the full form reads every many-to-many of Meta.fields, only to drop most of them)."""
        return _part_form_class(part.fields)

    def clean(self):
        cleaned = super().clean()
        # Each rule reads fields of one part; on the other parts' pages it has nothing to check.
        if "schools" in self.fields and cleaned.get("applies_to_all_schools"):
            # The choice is hidden while "alle scholen" is ticked: what it still holds is stale.
            cleaned["schools"] = choice_field(self, "schools").queryset.none()
        if (
            "schools" in self.fields
            and not cleaned.get("applies_to_all_schools")
            and not cleaned.get("schools")
        ):
            self.add_error("schools", _("Kies de scholen waarvoor deze verwerking geldt."))
        for name, message in models.ProcessingActivity.combination_errors(cleaned).items():
            if name in self.fields:  # a rule of another part: that part's page checks it
                self.add_error(name, message)
        return cleaned


# On the form of every part: the board (fixed) and the version the editor started from.
HIDDEN = ("board", "version")


@functools.cache
def _part_form_class(part_fields: tuple[str, ...]) -> type[ActivityForm]:
    fields = [name for name in ActivityForm.Meta.fields if name in (*part_fields, *HIDDEN)]
    form = forms.modelform_factory(models.ProcessingActivity, form=ActivityForm, fields=fields)
    # django-stubs types the factory's class as a plain ModelForm; it subclasses `form`.
    return cast(type[ActivityForm], form)


EDITABLE_FIELDS = [name for name in ActivityForm.Meta.fields if name not in HIDDEN] + [
    "retention_rules"
]


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
        help_texts = {
            "description": _("Waarvoor u de gegevens gebruikt, in één zin."),
            "legal_basis": _(
                "De wettelijke reden waarom u de gegevens mag gebruiken: één van de zes uit "
                "art. 6 AVG. Voor het onderwijs zelf is dat meestal een wettelijke plicht of "
                "een taak van algemeen belang; toestemming alleen als iemand echt vrij kan "
                "kiezen. Een school mag zich voor haar publieke taak niet op gerechtvaardigd "
                "belang beroepen."
            ),
            "legal_basis_detail": _(
                "Bij een wettelijke plicht of taak: welke wet. Bij gerechtvaardigd belang: welk "
                "belang, en schrijf de afweging op tussen dat belang en de privacy van de "
                "betrokkenen."
            ),
            "special_category_exception": _(
                "Alleen bij bijzondere persoonsgegevens, zoals gezondheid, godsdienst of "
                "biometrie (vingerafdruk): die mogen alleen met een uitzondering uit art. 9 "
                "lid 2 AVG."
            ),
        }


def _formset(model, fields, form=RowForm, **kwargs):
    return inline_rows(models.ProcessingActivity, model, form=form, fields=fields, **kwargs)


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
        _formset(
            models.ActivityDataCategory,
            ["category", "subject_group", "dossier", "note"],
            help_texts={
                "category": _(
                    "Welke gegevens, bijv. naam en adres of cijfers. Gezondheid, godsdienst, "
                    "afkomst en biometrie zijn bijzondere persoonsgegevens: die vragen bij het "
                    "doel een uitzondering uit art. 9 AVG. Het BSN mag alleen als een wet het "
                    "voorschrijft."
                ),
            },
        ),
    ),
    (
        "bronnen",
        _("Waar de gegevens vandaan komen"),
        _formset(models.ActivitySource, ["source", "subject_group", "note"]),
    ),
    (
        "ontvangers",
        _("Ontvangers"),
        _formset(
            models.ActivityRecipient,
            ["recipient", "ground", "ground_detail", "dossier"],
            help_texts={
                "recipient": _(
                    "Een ontvanger krijgt de gegevens voor een eigen doel, bijv. DUO, de GGD of "
                    "een andere school. Een leverancier die alleen in uw opdracht werkt, is een "
                    "verwerker: vul die hieronder in."
                ),
                "ground": _("De wettelijke reden waarom u de gegevens aan hen mag geven."),
            },
        ),
    ),
    (
        "doorgiften",
        _("Doorgifte buiten de EER"),
        _formset(
            models.Transfer,
            ["recipient", "country", "safeguard", "safeguard_detail"],
            help_texts={
                "recipient": _(
                    "Een ontvanger of verwerker die de gegevens buiten de Europese Economische "
                    "Ruimte (de EU met Noorwegen, IJsland en Liechtenstein) bewaart of inziet, "
                    "bijv. een Amerikaanse clouddienst."
                ),
                "safeguard": _(
                    "Buiten de EER mag het alleen met een waarborg (hoofdstuk V AVG), bijv. een "
                    "besluit van de Europese Commissie dat het land veilig is, of "
                    "standaardcontractbepalingen."
                ),
            },
        ),
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
    data, *, activity, board, part: Part, form: forms.BaseForm
) -> list[tuple[str, "StrOrPromise", forms.BaseInlineFormSet]]:
    """The row formsets of one part, in the form's order. They and the part's own `form` offer
    their terms from one read per list of terms."""
    built = [
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
        if prefix in part.formsets
    ]
    read: dict[str, list] = {}
    if activity.pk is not None:
        # The activity's own rows are choices too (a row's dossier is one of the activity's
        # dossiers): the formset that edits them has read them already.
        for _prefix, _heading, formset in built:
            rows = formset.get_queryset()
            read[str(rows.query)] = list(rows)
    share_choices([form], read)
    for _prefix, _heading, formset in built:
        share_choices(formset.forms, read)
    return built


def share_choices(rows: Sequence[forms.BaseForm], read: dict[str, list]) -> None:
    """Forms with the same fields (the rows of a formset, or one form) offer the same terms:
    read them once per page (`read`: the objects, by query) instead of once per row and field,
    so a page's queries do not grow with its rows. Validation still looks each chosen term up
    in the field's own (board-limited) queryset."""
    if not rows:
        return
    for name, field in rows[0].fields.items():
        if (
            isinstance(field, forms.ModelChoiceField)
            and field.queryset is not None
            and not field.widget.is_hidden
        ):
            query = str(field.queryset.query)
            if query not in read:
                read[query] = list(field.queryset)
            iterator = field.iterator(field)
            choices: list = [iterator.choice(term) for term in read[query]]
            if field.empty_label is not None:
                choices.insert(0, ("", field.empty_label))
            for row in rows:
                cast(forms.ModelChoiceField, row.fields[name]).choices = choices


def keep_as_typed(form: forms.BaseForm, formsets: list[forms.BaseFormSet]) -> None:
    """ "Rij toevoegen" is not saving: the part comes back as typed, unchecked, and is checked
    when it is saved. Checking it here would look every chosen term up again (the field, the
    model's foreign key and the row itself: several queries a row) for messages nobody asked
    for yet. Django checks a form on the first look at its errors, unless they are known."""
    rows = [row for formset in formsets for row in formset.forms]
    for each in [form, *rows]:
        each._errors = ErrorDict()
        each.cleaned_data = {}
    for formset in formsets:
        formset._errors = [row.errors for row in formset.forms]  # type: ignore[attr-defined]
        formset._non_form_errors = formset.error_class()  # type: ignore[attr-defined]


def focus_new_row(formset: forms.BaseFormSet) -> None:
    """The row "Rij toevoegen" added gets the focus, so the user types on where they were: htmx
    focuses it after swapping the rows in, a browser without JavaScript after the reload."""
    if formset.forms:
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


class ApproveForm(forms.Form):
    """The button that approves; with open advice of the FG, only with the box ticked."""

    advice_read = forms.BooleanField(
        label=_("Ik heb het open advies gelezen en stel de verwerking toch vast"),
        error_messages={
            "required": _("Er is open advies. Lees het en vink dit aan om toch vast te stellen.")
        },
    )

    def __init__(self, *args, open_advice: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not open_advice:
            del self.fields["advice_read"]


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
        help_text=_(
            "Vastgesteld: van elke verwerking de versie die geldt (die ook in de "
            "privacyverklaringen staat), ook als er al een nieuwere versie in bewerking is. "
            "Alle: de versie die geldt en, apart gemarkeerd, de versie in bewerking."
        ),
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
                " – ".join(
                    date_format(day, "j F Y") if day else "…"
                    for day in (data["start"], data["end"])
                )
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


class RegisterImportForm(forms.Form):
    """The upload of the register's own spreadsheet: refused by its size and its archive before
    it is kept (spreadsheet_upload); its cells are checked by the job that reads it."""

    file = SpreadsheetField(
        label=_("Spreadsheet (XLSX)"),
        help_text=_(
            "Een Excel-werkmap (.xlsx) in de vorm van het sjabloon of van een export, "
            "van hoogstens 10 MB."
        ),
    )


class RegisterImportCommitForm(forms.Form):
    """The confirmation of an import; new terms are made only when the user asks for it."""

    create_terms = forms.BooleanField(label=_("Maak deze nieuwe begrippen aan"), required=False)

    def __init__(self, *args, new_terms: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_terms = new_terms
        if not new_terms:
            del self.fields["create_terms"]

    def clean(self):
        cleaned = super().clean()
        if self.new_terms and not cleaned.get("create_terms"):
            raise forms.ValidationError(
                _(
                    "Het bestand noemt begrippen die dit bestuur nog niet heeft. Kies of ze "
                    "aangemaakt mogen worden; anders kan het bestand niet worden ingelezen."
                ),
                code="create_terms",
            )
        return cleaned
