from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreachesConfig(AppConfig):
    name = "breaches"
    verbose_name = _("Datalekken")

    def ready(self) -> None:
        from breaches.export import breach_appendix
        from processing.register_appendices import register_provider

        # The register export lists the breaches without processing importing this app.
        register_provider(breach_appendix)
