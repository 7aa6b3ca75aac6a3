from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrate on the target: content types and permissions (referenced by natural key),
# sessions, and the login-throttling counters.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


class Command(BaseCommand):
    help = (
        "Maakt een back-up van de hele installatie (alle besturen, registers, geschiedenis en "
        "rechten) als XML-bestand; met .gz erachter gecomprimeerd. Terugzetten: restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand", help="Bijvoorbeeld backup-2026-11-24.xml.gz")

    def handle(self, *args, bestand: str, **options):
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
