from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyregisterConfig(AppConfig):
    name = "privacyregister"
    verbose_name = _("Besturen en scholen")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from privacyregister import audit, signals  # noqa: F401  (connects the receivers)

        # After Django's own post_migrate receivers (auth's permissions come first: the auth
        # app is installed before this one).
        post_migrate.connect(signals.ensure_operators_group, sender=self)
