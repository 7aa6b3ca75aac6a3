from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from privacyregister.models import Board, School, normalise_email
from privacyregister.roles import SCHOOL_ROLES, Role

TEXT_LIMIT = 10_000


def limit_text(form: forms.BaseForm) -> None:
    """Give free-text fields an upper bound: a register entry is no place for a novel."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = TEXT_LIMIT
            field.validators.append(MaxLengthValidator(TEXT_LIMIT))
            field.widget.attrs.setdefault("maxlength", str(TEXT_LIMIT))


class BoardOwnedForm(forms.ModelForm):
    """A form for an object of the current board. The board is a fixed, hidden field of the
    form, so Django also validates the constraints that include it (such as unique names) and
    a posted value cannot move the object to another board."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].disabled = True
        self.fields["board"].widget = forms.HiddenInput()
        limit_text(self)


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
        self.fields["school"].queryset = board.schools.all()

    def clean(self):
        cleaned = super().clean()
        role, school = cleaned.get("role"), cleaned.get("school")
        if role in SCHOOL_ROLES and school is None:
            self.add_error("school", _("Kies de school van deze schoolleider of medewerker."))
        if role and role not in SCHOOL_ROLES and school is not None:
            self.add_error("school", _("Deze rol geldt voor het hele bestuur; kies geen school."))
        return cleaned


class SchoolForm(BoardOwnedForm):
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
        ]
