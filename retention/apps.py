from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Bewaartermijnen")

    def ready(self) -> None:
        from privacyregister.signals import board_created
        from retention import services

        # Every new board starts with the default retention rules, however it was made.
        board_created.connect(services.install_for_new_board, dispatch_uid="retention.install")
