from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "processing"
    verbose_name = _("Register van verwerkingen")

    def ready(self) -> None:
        from privacyregister.signals import board_created
        from processing import findings, services

        findings.connect()
        # Every new board starts with the reference vocabularies, however it was made.
        board_created.connect(services.install_for_new_board, dispatch_uid="processing.install")
