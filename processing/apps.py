from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcessingConfig(AppConfig):
    name = "processing"
    verbose_name = _("Register van verwerkingen")

    def ready(self) -> None:
        from processing import findings

        findings.connect()
