from django.core.management.base import BaseCommand
from django.utils import timezone

from retention.services import send_retention_reminders


class Command(BaseCommand):
    help = (
        "Mailt elke school welke gegevens de komende 30 dagen vernietigd moeten worden "
        "(dagelijks draaien vanuit cron; elke plicht wordt één keer gemeld)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dagen", type=int, default=30, help="Zo ver vooruit kijken.")

    def handle(self, *args, dagen: int, **options):
        sent = send_retention_reminders(timezone.localdate(), days_ahead=dagen)
        self.stdout.write(f"Herinneringen verstuurd aan {sent} scholen.")
