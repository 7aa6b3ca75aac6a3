"""The breach register's pages under /b/<board>/."""

from django.urls import URLPattern, path  # noqa: F401  (the helpers add their pages here)

urlpatterns: list[URLPattern] = []
