from django import forms
from django.utils.translation import gettext_lazy as _

from processing.models import ProcessingActivity


class ActivityForm(forms.ModelForm):
    """The core fields of an activity; which schools it applies to is fixed for a schoolleider."""

    class Meta:
        model = ProcessingActivity
        fields = [
            "name",
            "description",
            "applies_to_all_schools",
            "schools",
            "subject_groups",
            "next_review_on",
        ]
        widgets = {
            "schools": forms.CheckboxSelectMultiple,
            "subject_groups": forms.CheckboxSelectMultiple,
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, board, school_scope: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.fields["schools"].queryset = board.schools.all()
        self.fields["subject_groups"].queryset = board.subject_groups.all()
        if school_scope:
            # A schoolleider keeps the local activities of their own school, not their reach.
            for name in ["applies_to_all_schools", "schools"]:
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("applies_to_all_schools") and not cleaned.get("schools"):
            self.add_error("schools", _("Kies de scholen waarvoor deze verwerking geldt."))
        return cleaned


class FgAdviceForm(forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = ["fg_advice"]
        widgets = {"fg_advice": forms.Textarea(attrs={"rows": 6})}
