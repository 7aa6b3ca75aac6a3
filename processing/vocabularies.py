"""The board's own lists (vocabularies), written down once: which model, under which key in
the fixture files, at which URL, with which fields on the form and where the register uses a
term. The term pages, the reference data, the backup and the statement all read this registry."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from processing import models


@dataclass(frozen=True)
class Vocabulary:
    model: type[models.Vocabulary]
    fixture_key: str  # in fixtures/reference/vocabularies.json
    slug: str  # in the URL of the term pages
    fields: list[str]  # on the term form
    used_by: Callable[[models.Vocabulary], Q]  # term -> Q over ProcessingActivity
    # Rows of an activity (data categories, sources, recipients, staff access) refer to the
    # term by id; the statement reads those terms once per vocabulary instead of per row.
    referred_to_by_rows: bool = True

    @property
    def title(self) -> str:
        return str(self.model._meta.verbose_name_plural).capitalize()


# In the order of the navigation between the term pages.
VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary(
        models.DataSubjectGroup,
        "subject_groups",
        "betrokkenen",
        ["name", "description"],
        lambda t: (
            Q(subject_groups=t) | Q(data_categories__subject_group=t) | Q(sources__subject_group=t)
        ),
    ),
    Vocabulary(
        models.DataCategory,
        "data_categories",
        "gegevens",
        ["name", "kind", "special_type", "description"],
        lambda t: Q(data_categories__category=t),
    ),
    Vocabulary(
        models.DataSource,
        "data_sources",
        "bronnen",
        ["name", "description"],
        lambda t: Q(sources__source=t),
    ),
    Vocabulary(
        models.Recipient,
        "recipients",
        "ontvangers",
        [
            "name",
            "kind",
            "description",
            "country",
            "in_eea",
            "product",
            "data_location",
            "dpa_status",
            "dpa_signed_on",
            "dpa_valid_until",
            "dpa_uses_sector_model",
            "dpa_document_url",
        ],
        lambda t: Q(recipients__recipient=t) | Q(processors=t) | Q(transfers__recipient=t),
    ),
    Vocabulary(
        models.StaffRole,
        "staff_roles",
        "functies",
        ["name", "description"],
        lambda t: Q(staff_access__staff_role=t),
    ),
    Vocabulary(
        models.SecurityMeasure,
        "security_measures",
        "beveiliging",
        ["name", "kind", "description"],
        lambda t: Q(security_measures=t),
        referred_to_by_rows=False,  # a many-to-many of the activity itself
    ),
)
BY_SLUG = {vocabulary.slug: vocabulary for vocabulary in VOCABULARIES}
BY_FIXTURE_KEY = {vocabulary.fixture_key: vocabulary for vocabulary in VOCABULARIES}
# Keyed by any model class, so that a form field's queryset model can be looked up as it is.
BY_MODEL: dict[type, Vocabulary] = {vocabulary.model: vocabulary for vocabulary in VOCABULARIES}
