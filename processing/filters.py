import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from processing.models import (
    ActivityDataCategory,
    DataCategory,
    LegalBasis,
    ProcessingActivity,
    Recipient,
)


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="search")
    school = django_filters.ModelChoiceFilter(
        label=_("School"), queryset=None, method="for_school", empty_label=_("alle scholen")
    )
    subject_group = django_filters.ModelChoiceFilter(
        label=_("Betrokkenen"),
        field_name="subject_groups",
        queryset=None,
        empty_label=_("iedereen"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProcessingActivity.Status.choices, empty_label=_("alle")
    )
    legal_basis = django_filters.ChoiceFilter(
        label=_("Grondslag"),
        field_name="purposes__legal_basis",
        choices=LegalBasis.choices,
        empty_label=_("alle"),
        distinct=True,
    )
    special = django_filters.BooleanFilter(
        label=_("Met bijzondere persoonsgegevens"), method="with_special"
    )
    processor = django_filters.ModelChoiceFilter(
        label=_("Verwerker"), field_name="processors", queryset=None, empty_label=_("alle")
    )
    open_advice = django_filters.BooleanFilter(
        label=_("Met open advies van de FG"), method="with_open_advice"
    )

    class Meta:
        model = ProcessingActivity
        fields: list[str] = []

    def __init__(self, *args, board, advice: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not advice:  # the FG's advice is for those who see the working copy
            del self.filters["open_advice"]
        self.filters["school"].queryset = board.schools.all()
        self.filters["subject_group"].queryset = board.subject_groups.all()
        self.filters["processor"].queryset = board.recipients.filter(kind=Recipient.Kind.PROCESSOR)

    def search(self, queryset, _name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def for_school(self, queryset, _name, school):
        return queryset.for_schools([school.pk])

    def with_special(self, queryset, _name, value):
        special = Exists(
            ActivityDataCategory.objects.filter(
                activity=OuterRef("pk"), category__kind=DataCategory.Kind.SPECIAL
            )
        )
        return queryset.filter(special if value else ~special)

    def with_open_advice(self, queryset, _name, value):
        return queryset.with_open_advice_only(value)
