from django.core.management.base import BaseCommand

from privacyregister.models import Board
from privacyregister.services import board_permissions_sync


class Command(BaseCommand):
    help = (
        "Zet de objectrechten (django-guardian) van alle gebruikers opnieuw volgens hun rollen "
        "en de autorisatiematrix. Veilig om vaker te draaien."
    )

    def handle(self, *args, **options):
        boards = Board.objects.order_by("name")
        users = sum(board_permissions_sync(board=board) for board in boards)
        self.stdout.write(
            f"Rechten bijgewerkt: {len(boards)} besturen, {users} gebruikers per bestuur."
        )
