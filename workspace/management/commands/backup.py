import gzip
from collections.abc import Iterator
from contextlib import contextmanager

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from privacyregister.models import Board
from workspace.backup import board_objects

# Rebuilt by migrate on the target: content types and permissions (referenced by natural key),
# sessions, and the login-throttling counters.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


@contextmanager
def one_moment() -> Iterator[None]:
    """Every table read as it was at one moment, however long the backup takes.

    The backup reads table after table while the application keeps saving: without this, an
    activity could be read before a save and its history after it, a state that never existed.
    PostgreSQL keeps one snapshot for a REPEATABLE READ transaction (read-only: a backup writes
    nothing); on SQLite a read transaction sees one state and holds writers back until it ends.
    """
    with transaction.atomic(durable=True):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # must be the transaction's first statement
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


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
        with one_moment():
            if bestuur:
                board = self.backup_board(bestand, bestuur)
            else:
                self.backup_installation(bestand)
        self.stdout.write(
            f"Back-up van {board} geschreven naar {bestand}."
            if bestuur
            else f"Back-up geschreven naar {bestand}."
        )

    def backup_board(self, bestand: str, bestuur: str) -> Board:
        board = Board.objects.filter(slug=bestuur).first()
        if board is None:
            raise CommandError(f"Er is geen bestuur met de korte naam {bestuur}.")
        opener = gzip.open if bestand.endswith(".gz") else open
        with opener(bestand, "wt", encoding="utf-8") as file:
            serializers.serialize(
                "xml", board_objects(board), stream=file, use_natural_foreign_keys=True
            )
        return board

    def backup_installation(self, bestand: str) -> None:
        call_command(
            "dumpdata",
            natural_foreign=True,
            # XML keeps timestamps to the microsecond; Django's JSON rounds to milliseconds.
            format="xml",
            exclude=EXCLUDED,
            output=bestand,
            verbosity=0,
        )
