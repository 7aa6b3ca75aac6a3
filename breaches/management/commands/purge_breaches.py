from django.core.management.base import BaseCommand
from django.utils import timezone

from breaches.purge import anonymise_closed_breaches


class Command(BaseCommand):
    help = (
        "Anonimiseert afgesloten datalekken na de termijn die het bestuur heeft gekozen; de "
        "feiten blijven bewaard."
    )

    def handle(self, *args, **options):
        report = anonymise_closed_breaches(timezone.now())
        for board, count in report.items():
            self.stdout.write(f"{board}: {count} datalekken geanonimiseerd.")
        self.stdout.write(f"Totaal geanonimiseerd: {sum(report.values())}.")
