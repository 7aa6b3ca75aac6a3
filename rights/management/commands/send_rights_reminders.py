from django.core.management.base import BaseCommand
from django.utils import timezone

from rights.services import send_rights_reminders


class Command(BaseCommand):
    help = (
        "Herinnert behandelaars 7 dagen en 1 dag voor de uiterste datum en als die verstreken is."
    )

    def handle(self, *args, **options):
        sent = send_rights_reminders(timezone.localdate())
        self.stdout.write(f"Herinneringen verstuurd: {sent}.")
