from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacyregister.forms import DATE_INPUT, BoardOwnedForm, date_in_range
from privacyregister.limits import TEXT_LIMIT
from privacyregister.models import School, User
from privacyregister.permissions import Capability, roles_with
from rights.models import RightsRequest


class RequestForm(BoardOwnedForm):
    class Meta:
        model = RightsRequest
        fields = [
            "board",
            "school",
            "type",
            "requester_role",
            "requester_name",
            "requester_contact",
            "concerns",
            "received_on",
            "channel",
            "handler",
        ]
        widgets = {"received_on": DATE_INPUT}

    def __init__(self, *args, board, school_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Not an archived school, unless the request already concerns it.
        schools = board.schools.filter(Q(archived_at=None) | Q(pk=self.instance.school_id))
        if school_ids is not None:  # a schoolleider registers requests of the own school
            schools = schools.filter(pk__in=school_ids)
            self.fields["school"].required = True
        self.fields["school"].queryset = schools
        # Only someone who may handle requests is offered; a schoolleider counts, though they
        # handle only their own school's requests.
        self.fields["handler"].queryset = User.objects.filter(
            memberships__board=board,
            memberships__role__in=roles_with(Capability.HANDLE_RIGHTS_REQUESTS),
        ).distinct()

    @property
    def warnings(self) -> list[str]:
        if self.data.get("requester_role") == RightsRequest.RequesterRole.PUPIL_UNDER_16:
            return [
                str(
                    _(
                        "Een leerling jonger dan 16 jaar kan zijn rechten niet zelf uitoefenen: "
                        "dat doen de ouders of wettelijk vertegenwoordigers."
                    )
                )
            ]
        return []


class IdentityForm(forms.Form):
    how = forms.ChoiceField(
        label=_("Hoe"),
        choices=[c for c in RightsRequest.IdentityCheck.choices if c[0]],
        help_text=_("Maak nooit een kopie van een identiteitsbewijs."),
    )
    on = forms.DateField(label=_("Op"), widget=DATE_INPUT, validators=[date_in_range])


class ExtensionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van verlenging"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMIT,
    )
    notified_on = forms.DateField(
        label=_("Verzoeker geïnformeerd op"), widget=DATE_INPUT, validators=[date_in_range]
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[
            (RightsRequest.Status.DONE, _("afgehandeld (toegewezen)")),
            (RightsRequest.Status.REJECTED, _("afgewezen")),
            (RightsRequest.Status.WITHDRAWN, _("ingetrokken door verzoeker")),
        ],
    )
    decided_on = forms.DateField(
        label=_("Datum besluit"), widget=DATE_INPUT, required=False, validators=[date_in_range]
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LIMIT,
    )


class RequestFilter(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("alle scholen"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("open")), ("alle", _("alle"))] + list(RightsRequest.Status.choices),
        required=False,
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
