from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "processing"
    verbose_name = _("Register van verwerkingen")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from privacyregister.models import School
        from privacyregister.signals import board_created
        from processing import findings, services, statements

        findings.connect()
        # Every new board starts with the reference vocabularies, however it was made.
        board_created.connect(services.install_for_new_board, dispatch_uid="processing.install")
        # A school archived or restored: this worker's public pages know at once.
        post_save.connect(
            statements.forget_public_lookup, sender=School, dispatch_uid="processing.school"
        )
