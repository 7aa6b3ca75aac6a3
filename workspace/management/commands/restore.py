from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from privacyregister.models import Board, User
from privacyregister.services import board_setup
from privacyregister.signals import ensure_operators_group
from processing.findings import findings_deferred


class Command(BaseCommand):
    help = (
        "Zet een back-up (van het commando backup) terug in een lege, gemigreerde database. "
        "Weigert als er al besturen of gebruikers zijn."
    )

    def add_arguments(self, parser):
        parser.add_argument("bestand")

    def handle(self, *args, bestand: str, **options):
        if Board.objects.exists() or User.objects.exists():
            raise CommandError(
                "De database is niet leeg. Zet een back-up alleen terug in een nieuwe database "
                "(migrate, daarna restore)."
            )
        # The history comes from the backup: nothing may add records while it is loaded
        # (loaddata saves raw, but setting many-to-many values would still be recorded).
        # So do the stored lint findings.
        # The groups come from the backup too: the one migrate made (with another number,
        # perhaps) would collide with it by name. A backup without it gets it back afterwards.
        Group.objects.all().delete()
        with override_settings(SIMPLE_HISTORY_ENABLED=False), findings_deferred(refresh=False):
            call_command("loaddata", bestand, verbosity=0)
        ensure_operators_group()
        # A board from a backup made before it was ever set up starts like any new board.
        for board in Board.objects.filter(set_up_at=None):
            board_setup(board=board)
        self.stdout.write(
            f"Teruggezet: {Board.objects.count()} besturen, {User.objects.count()} gebruikers."
        )
