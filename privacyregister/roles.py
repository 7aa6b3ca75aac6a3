"""The roles a user can hold in a board."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("beheerder")
    PRIVACY_OFFICER = "privacy_officer", _("privacycoördinator")
    FG = "fg", _("functionaris gegevensbescherming")
    SCHOOLLEIDER = "schoolleider", _("schoolleider")
    MEDEWERKER = "medewerker", _("medewerker")


# These roles act for one school; the others act for the whole board.
SCHOOL_ROLES = [Role.SCHOOLLEIDER.value, Role.MEDEWERKER.value]

# Not a role in a board but one of the installation: who may create boards. An operator gets it
# through this group (made by migration 0005) and sees no board's register unless invited to it.
CREATE_BOARDS = "privacyregister.add_board"
OPERATORS_GROUP = "Installatiebeheer"
