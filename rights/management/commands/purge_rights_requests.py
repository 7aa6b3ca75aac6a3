from django.core.management.base import BaseCommand
from django.utils import timezone

from rights.services import purge_closed_requests


class Command(BaseCommand):
    help = "Anonimiseert afgesloten verzoeken na de bewaartermijn die het bestuur heeft gekozen."

    def handle(self, *args, **options):
        report = purge_closed_requests(timezone.now())
        for board, count in report.items():
            self.stdout.write(f"{board}: {count} verzoeken geanonimiseerd.")
        self.stdout.write(f"Totaal geanonimiseerd: {sum(report.values())}.")
