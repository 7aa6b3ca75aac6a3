from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from privacyregister.services import board_create


class Command(BaseCommand):
    help = (
        "Maakt een schoolbestuur aan, met de referentielijsten en de standaardbewaartermijnen, "
        "en nodigt de eerste beheerder uit per e-mail. Voor het aanmelden van veel besturen "
        "vanuit een script."
    )

    def add_arguments(self, parser):
        parser.add_argument("naam", help='De naam van het bestuur, bijvoorbeeld "Stichting Lumen".')
        parser.add_argument("--slug", help="Korte naam in de URL; standaard gemaakt van de naam.")
        parser.add_argument("--beheerder", required=True, help="E-mailadres van de beheerder.")
        parser.add_argument("--beheerder-naam", default="", help="Naam van de beheerder.")
        parser.add_argument("--kvk", default="", help="KvK-nummer (8 cijfers).")
        parser.add_argument("--website", default="", help="Begint met http:// of https://.")
        parser.add_argument("--bezoekadres", default="")
        parser.add_argument("--postadres", default="")

    def handle(self, *args, naam: str, slug: str | None, beheerder: str, **options):
        try:
            created = board_create(
                actor=None,
                name=naam,
                slug=slug if slug is not None else slugify(naam)[:60].strip("-"),
                beheerder_email=beheerder,
                beheerder_name=options["beheerder_naam"],
                kvk_number=options["kvk"],
                website=options["website"],
                visiting_address=options["bezoekadres"],
                postal_address=options["postadres"],
            )
        except ValidationError as error:
            raise CommandError("Niets aangemaakt. " + " ".join(_messages(error))) from None
        board = created.board
        self.stdout.write(f"Bestuur aangemaakt: {board.name} (korte naam: {board.slug})")
        for label, count in created.installed.items():
            self.stdout.write(f"  meegegeven: {count} {label}")
        self.stdout.write(
            f"Uitnodiging als beheerder gestuurd naar {created.invitation.email}; wie nog geen "
            "account heeft, kiest via de link in die e-mail een wachtwoord."
        )


# The option that gave each field of board_create, to name it in an error.
OPTIONS = {
    "name": "naam",
    "slug": "--slug",
    "beheerder_email": "--beheerder",
    "kvk_number": "--kvk",
    "website": "--website",
    "visiting_address": "--bezoekadres",
    "postal_address": "--postadres",
}


def _messages(error: ValidationError) -> list[str]:
    """For instance '--kvk: Een KvK-nummer bestaat uit 8 cijfers.'"""
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        f"{OPTIONS.get(field, field)}: {message}" if field in OPTIONS else message
        for field, messages in error.message_dict.items()
        for message in messages
    ]
