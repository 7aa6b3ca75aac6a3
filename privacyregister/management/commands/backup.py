import gzip

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from privacyregister.backup import board_objects
from privacyregister.models import Board

# Rebuilt by migrate on the target: content types and permissions (referenced by natural key),
# sessions, and the login-throttling counters.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


class Command(BaseCommand):
    help = (
        "Maakt een back-up van de hele installatie (alle besturen, registers, geschiedenis en "
        "rechten) als XML-bestand; met .gz erachter gecomprimeerd; met --bestuur alleen dat "
        "bestuur. Terugzetten: restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="Bijvoorbeeld backup-2026-11-24.xml.gz")
        parser.add_argument(
            "--bestuur", help="Alleen dit bestuur (korte naam), met zijn gebruikers."
        )

    def handle(self, *args, bestand: str, bestuur: str | None = None, **options):
        if bestuur:
            board = Board.objects.filter(slug=bestuur).first()
            if board is None:
                raise CommandError(f"Er is geen bestuur met de korte naam {bestuur}.")
            opener = gzip.open if bestand.endswith(".gz") else open
            with opener(bestand, "wt", encoding="utf-8") as file:
                serializers.serialize(
                    "xml", board_objects(board), stream=file, use_natural_foreign_keys=True
                )
            self.stdout.write(f"Back-up van {board} geschreven naar {bestand}.")
            return
        call_command(
            "dumpdata",
            natural_foreign=True,
            # XML keeps timestamps to the microsecond; Django's JSON rounds to milliseconds.
            format="xml",
            exclude=EXCLUDED,
            output=bestand,
            verbosity=0,
        )
        self.stdout.write(f"Back-up geschreven naar {bestand}.")
