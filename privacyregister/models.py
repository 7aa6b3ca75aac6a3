"""Core of the register: users, boards (the controllers), their schools and memberships."""

import unicodedata
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    URLValidator,
)
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacyregister import roles
from privacyregister.branding import LOGO_DIRECTORY, validate_house_colour, validate_logo_name
from privacyregister.limits import BOUNDED_TEXT
from privacyregister.permissions import object_permissions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

AUTORITEIT_PERSOONSGEGEVENS = (
    "Bent u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u een klacht indienen "
    "bij de Autoriteit Persoonsgegevens: https://autoriteitpersoonsgegevens.nl/nl/zelf-doen/"
    "privacyrechten/klacht-over-gebruik-persoonsgegevens"
)

validate_brin = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}$",
    _("Een BRIN-nummer bestaat uit 2 cijfers gevolgd door 2 hoofdletters, bijvoorbeeld 12AB."),
    code="invalid_brin",
)
# The public pages use these words next to school slugs: /privacy/<board>/versies/, the board's
# English statement /privacy/<board>/en/ etc.; the board's own pages have /b/<board>/scholen/nieuw/.
validate_school_slug = RegexValidator(
    r"^(versies|verschil|privacyverklaring|nieuw|leerlingen|en|datalek-melden|v[0-9]+)$",
    _("Deze korte naam is gereserveerd voor pagina's van het register; kies een andere."),
    code="reserved_slug",
    inverse_match=True,
)
# Links in a statement are followed by parents: web addresses only (Django also allows ftp).
validate_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Vul een webadres in dat begint met http:// of https://."),
    # Not "invalid": a URL field would put its own, vaguer message for that code in its place.
    code="not_web_address",
)
validate_kvk = RegexValidator(
    r"^[0-9]{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."), code="invalid_kvk"
)


def unique_with_optional(
    fields: list[str],
    optional: str,
    name: str,
    message: "StrOrPromise | None" = None,
    condition: Q | None = None,
) -> list[models.UniqueConstraint]:
    """Uniqueness over `fields` + `optional` where an empty `optional` counts as one value,
    among the rows that match `condition` (all rows when there is none).

    SQLite has no NULLS NOT DISTINCT, so this is two partial unique indexes, which both
    SQLite and PostgreSQL enforce.
    """
    among = condition if condition is not None else Q()
    return [
        models.UniqueConstraint(
            fields=fields,
            condition=among & Q(**{f"{optional}__isnull": True}),
            name=f"{name}_without_{optional}",
            violation_error_message=message,
        ),
        models.UniqueConstraint(
            fields=[*fields, optional],
            condition=among & Q(**{f"{optional}__isnull": False}),
            name=f"{name}_with_{optional}",
            violation_error_message=message,
        ),
    ]


def normalise_email(value: str) -> str:
    """The one spelling of a login address. Logging in, the lock-out counters and the
    security log all use it, so "Pim@Example.NL " cannot count as a fresh address."""
    return unicodedata.normalize("NFKC", value).strip().lower()


# A school role needs its school; a board role has none.
SCHOOL_MATCHES_ROLE = Q(role__in=roles.SCHOOL_ROLES, school__isnull=False) | (
    ~Q(role__in=roles.SCHOOL_ROLES) & Q(school__isnull=True)
)
SCHOOL_MATCHES_ROLE_MESSAGE = _(
    "Een schoolleider of medewerker hoort bij één school; "
    "rollen van het bestuur horen niet bij een school."
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Een gebruiker heeft een e-mailadres nodig.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str | None) -> "User":
        # Django's signature allows no address; no address is no user.
        if email is None:
            raise self.model.DoesNotExist
        # Addresses are stored lowercased, so "A.Jansen@School.nl" logs in as well.
        return self.get(email=normalise_email(email))

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address; roles come from memberships."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Mag inloggen op de Django-beheeromgeving."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class BoardQuerySet(models.QuerySet):
    def for_user(self, user) -> "BoardQuerySet":
        """The boards where the user holds a role: the only boards a user can reach."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("board"))


class Board(models.Model):
    """The bevoegd gezag: the controller (verwerkingsverantwoordelijke) under the AVG."""

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(
        _("korte naam in de URL"),
        max_length=60,
        unique=True,
        error_messages={"unique": _("Er is al een bestuur met deze korte naam; kies een andere.")},
    )
    visiting_address = models.TextField(_("bezoekadres"), blank=True, validators=[BOUNDED_TEXT])
    postal_address = models.TextField(_("postadres"), blank=True, validators=[BOUNDED_TEXT])
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True, validators=[validate_kvk]
    )
    website = models.URLField(_("website"), blank=True, validators=[validate_web_url])
    # The statement facts below may be empty while the board is being set up: the operator who
    # creates a board does not know them, its beheerder fills them in, and publishing a statement
    # is refused until they are there (processing.lint.missing_board_facts).
    privacy_email = models.EmailField(_("e-mailadres voor privacyvragen"), blank=True)
    privacy_phone = models.CharField(
        _("telefoonnummer voor privacyvragen"), max_length=30, blank=True
    )
    fg_name = models.CharField(
        _("naam functionaris gegevensbescherming"), max_length=150, blank=True
    )
    fg_email = models.EmailField(_("e-mailadres FG"), blank=True)
    fg_phone = models.CharField(_("telefoonnummer FG"), max_length=30, blank=True)
    fg_organisation = models.CharField(_("organisatie van de FG"), max_length=200, blank=True)
    fg_is_external = models.BooleanField(_("FG is extern ingehuurd"), default=False)
    rights_request_instructions = models.TextField(
        _("zo dient u een verzoek in"),
        blank=True,
        help_text=_("Bij wie, hoe, en wat het kost, bijvoorbeeld voor extra kopieën."),
        validators=[BOUNDED_TEXT],
    )
    rights_request_instructions_en = models.TextField(
        _("zo dient u een verzoek in, in het Engels"),
        blank=True,
        help_text=_("Voor de Engelse verklaring. Leeg: daar staat de Nederlandse tekst."),
        validators=[BOUNDED_TEXT],
    )
    rights_pause_for_identity = models.BooleanField(
        _("termijn staat stil tijdens identiteitscontrole"),
        default=False,
        help_text=_("Zo ja, dan telt de tijd waarin u wacht op bewijs van identiteit niet mee."),
    )
    rights_purge_after_days = models.PositiveIntegerField(
        _("afgeronde verzoeken anonimiseren na (dagen)"),
        default=365,
        # A hundred years, like the longest retention period: beyond that dates overflow.
        validators=[MaxValueValidator(36_500)],
    )
    # Art. 33(5) sets no period; five years after closing is the sector's habit (LEGAL.md §6).
    breach_anonymise_after_years = models.PositiveSmallIntegerField(
        _("afgesloten datalekken anonimiseren na (jaren)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Daarna blijven de feiten, de gevolgen, de maatregelen en de motivering van het "
            "besluit bewaard (art. 33 lid 5 AVG). Weg gaan: de naam, het e-mailadres en het "
            "telefoonnummer van de melder, de tekst van de melding in de eigen woorden van de "
            "melder, de eigenaren van de maatregelen en het IP-adres van een melding via de "
            "website."
        ),
    )
    complaint_authority_text = models.TextField(
        _("tekst over klacht bij de toezichthouder"),
        default=AUTORITEIT_PERSOONSGEGEVENS,
        validators=[BOUNDED_TEXT],
    )
    complaint_authority_text_en = models.TextField(
        _("tekst over klacht bij de toezichthouder, in het Engels"),
        blank=True,
        help_text=_("Voor de Engelse verklaring. Leeg: daar staat de Nederlandse tekst."),
        validators=[BOUNDED_TEXT],
    )
    # Set when the board received what every board starts with (services.board_setup): a restore
    # sets up only boards that never were, so it does not bring back terms a board removed.
    set_up_at = models.DateTimeField(_("ingericht op"), null=True, blank=True, editable=False)
    logo = models.FileField(
        _("logo"),
        upload_to=LOGO_DIRECTORY,
        blank=True,
        validators=[validate_logo_name],
        help_text=_("PNG of JPEG, hoogstens 1 MB. Komt boven de privacyverklaring en in de PDF."),
    )
    house_colour = models.CharField(
        _("huiskleur"),
        max_length=7,
        blank=True,
        validators=[validate_house_colour],
        help_text=_(
            "Als #rrggbb, bijvoorbeeld #0b4f8a. Witte tekst moet er goed leesbaar op zijn."
        ),
    )
    # The four-eyes principle: whoever last changed an activity's content cannot also approve
    # it (processing.services.activity_approve). Off by default: a small board may have one
    # privacy officer only.
    four_eyes = models.BooleanField(
        _("vier ogen bij vaststellen"),
        default=False,
        help_text=_(
            "Aan: wie een verwerking het laatst heeft gewijzigd, mag die niet zelf vaststellen. "
            "Een collega kijkt dan altijd mee. Zet dit alleen aan als er minstens twee mensen "
            "zijn die mogen vaststellen."
        ),
    )

    objects = BoardQuerySet.as_manager()

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["name"]
        permissions = object_permissions()

    def __str__(self) -> str:
        return self.name

    @property
    def logo_file(self) -> str:
        """The logo's name as the public logo URL has it (without the storage directory)."""
        return (self.logo.name or "").rpartition("/")[2]

    def memberships_by_role(self) -> models.QuerySet:
        """Who holds which role, as the matrix page and the register's appendix list them."""
        return self.memberships.select_related("user", "school").order_by("role", "user__email")


class BoardDocument(models.Model):
    """A further document the statement links to: privacy regulation, school guide, camera
    protocol."""

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="documents", verbose_name=_("bestuur")
    )
    title = models.CharField(_("titel"), max_length=200)
    url = models.URLField(_("webadres"), max_length=500, validators=[validate_web_url])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["board_id", "id"]

    def __str__(self) -> str:
        return self.title


class SchoolQuerySet(models.QuerySet):
    def active(self) -> "SchoolQuerySet":
        """The schools that are not archived: the ones offered for new work and shown to
        the public."""
        return self.filter(archived_at=None)


class School(models.Model):
    class Audience(models.TextChoices):
        PUPILS_AND_PARENTS = "leerlingen_ouders", _("leerlingen en ouders")
        PARENTS = "ouders", _("alleen ouders")
        STAFF = "medewerkers", _("medewerkers")

    class Sector(models.TextChoices):
        PO = "PO", _("primair onderwijs")
        SBO = "SBO", _("speciaal basisonderwijs")
        SO = "SO", _("speciaal onderwijs")
        VSO = "VSO", _("voortgezet speciaal onderwijs")
        VO = "VO", _("voortgezet onderwijs")
        PRO = "PRO", _("praktijkonderwijs")
        MBO = "MBO", _("middelbaar beroepsonderwijs")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="schools", verbose_name=_("bestuur")
    )
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(
        _("korte naam in de URL"), max_length=60, validators=[validate_school_slug]
    )
    brin = models.CharField(_("BRIN-nummer"), max_length=4, validators=[validate_brin])
    sector = models.CharField(_("sector"), max_length=3, choices=Sector.choices)
    address = models.TextField(_("adres"), blank=True, validators=[BOUNDED_TEXT])
    director_name = models.CharField(_("naam directeur"), max_length=150, blank=True)
    director_email = models.EmailField(_("e-mailadres directeur"), blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_web_url])
    audience = models.CharField(
        _("voor wie de privacyverklaring is"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PUPILS_AND_PARENTS,
        help_text=_("Bepaalt hoe de verklaring de lezer aanspreekt."),
    )
    # Archived: gone from lists, new work and the public pages; its history and published
    # statements stay, and it can be brought back. One field, so flag and date cannot disagree.
    archived_at = models.DateTimeField(_("gearchiveerd op"), null=True, blank=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["board_id", "name"]
        permissions = object_permissions()
        constraints = [
            models.UniqueConstraint(
                fields=["board", "slug"],
                name="school_unique_slug_per_board",
                violation_error_message=_("Dit bestuur heeft al een school met deze korte naam."),
            ),
            models.CheckConstraint(
                condition=Q(brin__regex=r"^[0-9]{2}[A-Z]{2}$"),
                name="school_brin_format",
                violation_error_message=validate_brin.message,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    """A user's role in a board, limited to one school for the school roles."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("gebruiker")
    )
    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bestuur")
    )
    role = models.CharField(_("rol"), max_length=20, choices=roles.Role.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("school"),
        help_text=_("Verplicht voor schoolleider en medewerker; leeg voor rollen van het bestuur."),
    )
    # From here on the board's security log shows the member's logins.
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)
    # Between pre_save and post_save: the user and board it had (privacyregister.signals).
    _previous: tuple[int, int] | None

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["board_id", "user_id", "role"]
        constraints = [
            *unique_with_optional(
                ["user", "board", "role"],
                "school",
                name="membership_unique",
                message=_("Deze gebruiker heeft deze rol hier al."),
            ),
            models.CheckConstraint(
                condition=SCHOOL_MATCHES_ROLE,
                name="membership_school_matches_role",
                violation_error_message=SCHOOL_MATCHES_ROLE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.board
        return f"{self.user} — {self.get_role_display()} ({where})"

    def clean(self) -> None:
        super().clean()
        _check_school_of_board(self)


def _check_school_of_board(role_holder: "Membership | Invitation") -> None:
    school, board_id = role_holder.school, role_holder.board_id
    if school is not None and board_id and school.board_id != board_id:
        raise ValidationError({"school": _("Deze school hoort niet bij dit bestuur.")})


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(status=Invitation.Status.PENDING)

    def for_user(self, user) -> "InvitationQuerySet":
        """The open invitations addressed to the user: only they can answer them."""
        if not user.is_authenticated:
            return self.none()
        return self.pending().filter(email=user.email)


class Invitation(models.Model):
    """A role offered to an e-mail address; it becomes a membership when that person accepts.

    Until then the board knows only the address it typed, nothing of an account behind it, and
    nobody gets a role in a board without saying yes to it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("open")
        ACCEPTED = "accepted", _("aangenomen")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    board = models.ForeignKey(
        Board, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("bestuur")
    )
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=20, choices=roles.Role.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("school"),
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["board_id", "email", "role"]
        constraints = [
            # One open invitation per role: a board cannot flood someone's inbox.
            *unique_with_optional(
                ["board", "email", "role"],
                "school",
                name="invitation_unique_pending",
                message=_("Dit adres is al uitgenodigd voor deze rol."),
                condition=Q(status="pending"),
            ),
            models.CheckConstraint(
                condition=SCHOOL_MATCHES_ROLE,
                name="invitation_school_matches_role",
                violation_error_message=SCHOOL_MATCHES_ROLE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} ({self.school or self.board})"

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)
        _check_school_of_board(self)


class SecurityEvent(models.Model):
    """An entry of the audit log: logins, role changes, exports, publications.

    Written only by the application (privacyregister.audit); nothing in the app changes or
    deletes entries, and the admin shows them read-only.
    """

    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    action = models.CharField(_("gebeurtenis"), max_length=60)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("bestuur"),
    )
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslog")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class NotificationSettings(models.Model):
    """Which e-mails a user wants. Without a row a user gets both: a new member is told what
    waits for them until they switch it off on their own page."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
        verbose_name=_("gebruiker"),
    )
    on_events = models.BooleanField(
        _("e-mail bij gebeurtenissen"),
        default=True,
        help_text=_(
            "Een e-mail als een verwerking ter review wordt aangeboden of is vastgesteld, en bij "
            "advies van de FG."
        ),
    )
    weekly_digest = models.BooleanField(
        _("wekelijks overzicht"),
        default=True,
        help_text=_("Elke week een e-mail met wat op u wacht; niets als er niets wacht."),
    )

    class Meta:
        verbose_name = _("e-mailinstellingen")
        verbose_name_plural = _("e-mailinstellingen")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def opted_out(cls, kind: str) -> Q:
        """Users who switched this kind of e-mail off ("on_events" or "weekly_digest"), as a
        filter on User."""
        return Q(**{f"notification_settings__{kind}": False})
