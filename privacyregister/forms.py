import datetime
from collections.abc import Iterable, Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator, URLValidator
from django.forms.formsets import ManagementForm
from django.forms.renderers import DjangoTemplates
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from privacyregister.branding import logo_reencoded, logo_store
from privacyregister.dates import FIRST_DAY, LAST_DAY
from privacyregister.limits import ROW_LIMIT, TEXT_LIMIT
from privacyregister.models import (
    Board,
    BoardDocument,
    NotificationSettings,
    School,
    normalise_email,
    validate_web_url,
)
from privacyregister.roles import SCHOOL_ROLES, Role


class FormRenderer(DjangoTemplates):
    """Every form field as an NL Design System form field (label above, hint, error message, input),
    however a template renders it: `{{ form }}`, `{{ field.as_field_group }}` or a formset row."""

    field_template_name = "privacyregister/forms/field.html"


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A model choice field of the form, as such: `form.fields` holds them as plain Fields."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def limit_text(form: forms.BaseForm) -> None:
    """Give free-text fields an upper bound: a register entry is no place for a novel."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = TEXT_LIMIT
            field.validators.append(MaxLengthValidator(TEXT_LIMIT))
            field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))


def limit_to_board(form: forms.BaseForm, board: Board) -> None:
    """Offer only the board's own rows in every choice of a board-owned model (terms, schools,
    rules, activities); another board's id is then not a valid choice."""
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            continue
        model = field.queryset.model
        if any(f.name == "board" for f in model._meta.fields):
            field.queryset = field.queryset.filter(board=board)


def web_urls_only(form: forms.BaseForm) -> None:
    """Web addresses only (Django's URL field also takes ftp://), with the message that says so
    instead of a bare "not a valid URL"."""
    for field in form.fields.values():
        if isinstance(field, forms.URLField):
            others = [v for v in field.validators if not isinstance(v, URLValidator)]
            field.validators = [*others, validate_web_url]


# The browsers' own pickers: a date, and a moment in whole minutes (the picker has no seconds).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def date_in_range(value: datetime.date) -> None:
    """A date the register can calculate with; year 1 or 9999 is a typing error."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise forms.ValidationError(
            _("Kies een datum tussen 1 januari 1900 en 31 december 2200."), code="date_range"
        )


def limit_dates(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.validators.append(date_in_range)


def row_counts_are_sound(data: Mapping, prefixes: Iterable[str]) -> bool:
    """Whether the posted management form of every formset is complete and counts at most
    ROW_LIMIT rows. Checked before any formset is built: Django would build up to its
    absolute_max rows for a tampered count, and a few kB of posted counts then held a worker
    for seconds."""
    for prefix in prefixes:
        # Plain digits only: Django's IntegerField also takes "1.0", " 1" or Arabic-Indic
        # digits, which the "Rij toevoegen" button would then fail to count with.
        counts_as_sent = [data.get(f"{prefix}-{name}") for name in ("TOTAL_FORMS", "INITIAL_FORMS")]
        if not all(isinstance(n, str) and n.isascii() and n.isdigit() for n in counts_as_sent):
            return False
        management = ManagementForm(data, prefix=prefix)
        if not management.is_valid():
            return False
        initial = management.cleaned_data["INITIAL_FORMS"]
        total = management.cleaned_data["TOTAL_FORMS"]
        if initial is None or total is None or not 0 <= initial <= total <= ROW_LIMIT:
            return False
    return True


# The management forms were tampered with or name more than ROW_LIMIT rows: an ordinary page
# never sends that, so the request is refused as a whole.
ROWS_REFUSED = _(
    "Het formulier is niet volledig of aangepast verstuurd, of heeft meer dan %(limit)d rijen "
    "per onderdeel. Er is niets opgeslagen; laad de pagina opnieuw en probeer het nog eens."
)


def inline_rows(parent, model, **kwargs) -> type[forms.BaseInlineFormSet]:
    """An inline formset of at most ROW_LIMIT rows, one empty row to fill in, rows deletable.
    The bound also holds where no one checked the row counts first."""
    return forms.inlineformset_factory(
        parent,
        model,
        extra=1,
        can_delete=True,
        max_num=ROW_LIMIT,
        absolute_max=ROW_LIMIT,
        validate_max=True,
        **kwargs,
    )


class BoardOwnedForm(forms.ModelForm):
    """A form for an object of the current board. The board is a fixed, hidden field of the
    form, so Django also validates the constraints that include it (such as unique names) and
    a posted value cannot move the object to another board."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].disabled = True
        self.fields["board"].widget = forms.HiddenInput()
        limit_text(self)
        limit_dates(self)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw."),
    }

    def clean_username(self) -> str:
        # Authentication, django-axes and the security log then see one spelling of the address.
        return normalise_email(self.cleaned_data["username"])


class MembershipForm(forms.Form):
    """Give someone a role in the board; a new e-mail address gets an invitation."""

    email = forms.EmailField(label=_("E-mailadres"))
    full_name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Alleen voor schoolleider en medewerker."),
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this board's schools can be chosen; another board's id is "not a valid choice".
        choice_field(self, "school").queryset = board.schools.active()

    def clean(self):
        cleaned = super().clean()
        role, school = cleaned.get("role"), cleaned.get("school")
        if role in SCHOOL_ROLES and school is None:
            self.add_error("school", _("Kies de school van deze schoolleider of medewerker."))
        if role and role not in SCHOOL_ROLES and school is not None:
            self.add_error("school", _("Deze rol geldt voor het hele bestuur; kies geen school."))
        return cleaned


class SchoolForm(BoardOwnedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        web_urls_only(self)

    class Meta:
        model = School
        fields = [
            "board",
            "name",
            "slug",
            "brin",
            "sector",
            "address",
            "director_name",
            "director_email",
            "website",
            "audience",
        ]

    def clean_brin(self) -> str:
        # "12ab " is what someone means by 12AB; the format check then still applies.
        return self.cleaned_data["brin"].strip().upper()


class BoardSettingsForm(forms.ModelForm):
    """The facts the board's statements tell: contact, FG, how to use your rights, identity."""

    logo = forms.FileField(
        label=_("Nieuw logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG of JPEG, hoogstens 1 MB. Het wordt opnieuw opgeslagen zonder metadata."),
    )
    remove_logo = forms.BooleanField(label=_("Logo weghalen"), required=False)

    class Meta:
        model = Board
        fields = [
            "privacy_email",
            "privacy_phone",
            "visiting_address",
            "postal_address",
            "kvk_number",
            "website",
            "fg_name",
            "fg_email",
            "fg_phone",
            "fg_organisation",
            "fg_is_external",
            "rights_request_instructions",
            "rights_request_instructions_en",
            "complaint_authority_text",
            "complaint_authority_text_en",
            "house_colour",
            "four_eyes",
            "rights_purge_after_days",
            "breach_anonymise_after_years",
        ]
        widgets = {
            "visiting_address": forms.Textarea(attrs={"rows": 3}),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "rights_request_instructions": forms.Textarea(attrs={"rows": 4}),
            "complaint_authority_text": forms.Textarea(attrs={"rows": 4}),
            "rights_request_instructions_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "complaint_authority_text_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "house_colour": forms.TextInput(attrs={"placeholder": "#0b4f8a", "size": 7}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model lets a new board wait for them; the beheerder who keeps the board's facts
        # gives them: where parents ask privacy questions, and the FG every school board must
        # have (art. 37 AVG: a public authority).
        for name in ("privacy_email", "fg_name", "fg_email"):
            self.fields[name].required = True
        limit_text(self)
        web_urls_only(self)

    def clean_house_colour(self) -> str:
        return self.cleaned_data["house_colour"].strip().lower()

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return logo_reencoded(upload) if upload else None

    def save(self, commit: bool = True) -> Board:
        # The logo is stored only now, when everything else on the page is valid too.
        logo = self.cleaned_data.get("logo")
        if logo:
            self.instance.logo.name = logo_store(logo)
        elif self.cleaned_data.get("remove_logo"):
            self.instance.logo.name = ""
        return super().save(commit)


DOCUMENTS_PREFIX = "documenten"


class BoardDocumentForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        web_urls_only(self)

    class Meta:
        model = BoardDocument
        fields = ["title", "url"]


BoardDocumentFormSet = inline_rows(Board, BoardDocument, form=BoardDocumentForm)


class BoardCreateForm(forms.ModelForm):
    """A new board and the address of its first beheerder, for services.board_create."""

    beheerder_email = forms.EmailField(
        label=_("E-mailadres van de eerste beheerder"),
        help_text=_(
            "Deze persoon krijgt een uitnodiging per e-mail, met een link om een wachtwoord te "
            "kiezen als er nog geen account is."
        ),
    )
    beheerder_name = forms.CharField(
        label=_("Naam van de eerste beheerder"), max_length=150, required=False
    )

    class Meta:
        model = Board
        fields = ["name", "slug", "visiting_address", "postal_address", "kvk_number", "website"]
        widgets = {
            "visiting_address": forms.Textarea(attrs={"rows": 3}),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "kvk_number": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, data=None, *args, **kwargs):
        # An empty short name is suggested from the name, and shown if the page comes back.
        if data is not None and not data.get("slug", "").strip() and data.get("name"):
            data = data.copy()
            data["slug"] = slugify(data["name"])[:60].strip("-")
        super().__init__(data, *args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Voor de adressen van de pagina's, bijvoorbeeld /privacy/%(example)s/. "
            "Leeg laten: dan maken we die van de naam."
        ) % {"example": "stichting-voorbeeld"}
        limit_text(self)
        web_urls_only(self)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if not slug:
            raise forms.ValidationError(
                _("Vul een korte naam in (kleine letters, cijfers en streepjes)."), code="required"
            )
        return slug


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["on_events", "weekly_digest"]
