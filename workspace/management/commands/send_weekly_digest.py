from django.core.management.base import BaseCommand

from workspace.summary import send_weekly_digest


class Command(BaseCommand):
    help = (
        "Mailt elk lid per bestuur wat op hem wacht: vast te stellen verwerkingen, open advies, "
        "verouderde privacyverklaringen, te late verzoeken (wekelijks draaien vanuit cron; "
        "niets als er niets wacht)."
    )

    def handle(self, *args, **options):
        sent = send_weekly_digest()
        self.stdout.write(f"Weekoverzicht verstuurd: {sent} e-mails.")
