from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    # No models, so no verbose_name: the app never shows in the admin.
    name = "workspace"
