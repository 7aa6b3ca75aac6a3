from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyregisterConfig(AppConfig):
    name = "privacyregister"
    verbose_name = _("Besturen en scholen")

    def ready(self) -> None:
        from privacyregister import audit, signals  # noqa: F401  (connects the receivers)
