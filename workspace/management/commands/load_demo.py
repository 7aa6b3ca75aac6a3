from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacyregister.reference import read_fixture
from workspace.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Laadt de twee demobesturen met hun registers en demogebruikers (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook laden als DEBUG uit staat (de demogebruikers hebben een bekend wachtwoord).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demogebruikers hebben een openbaar wachtwoord. Laad de demo alleen met "
                "DEBUG=1, of gebruik --force als u zeker weet dat dit geen productie is."
            )
        report = load_demo()
        created = ", ".join(f"{n} {what}" for what, n in report.created.items() if n)
        self.stdout.write(f"Demogegevens geladen: {created or 'alles was er al'}.")
        self.stdout.write("Inloggen kan met (wachtwoord voor allemaal: " + DEMO_PASSWORD + "):")
        for user in read_fixture("demo/users.json"):
            roles = (
                ", ".join(f"{m['role']} {m.get('school', m['board'])}" for m in user["memberships"])
                or "Django-beheer (/admin/) van de hele installatie"
            )
            self.stdout.write(f"  {user['email']:<26} {roles}")
