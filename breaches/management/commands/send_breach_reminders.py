from django.core.management.base import BaseCommand
from django.utils import timezone

from breaches.reminders import send_breach_reminders


class Command(BaseCommand):
    help = (
        "Herinnert aan de 72 uur om een datalek te melden: na 24 en 48 uur zonder besluit, en als "
        "de termijn verstreken is zonder melding bij de AP."
    )

    def handle(self, *args, **options):
        sent = send_breach_reminders(timezone.now())
        self.stdout.write(f"Herinneringen verstuurd: {sent}.")
