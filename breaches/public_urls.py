"""The public page to report a possible data breach, under /privacy/<board>/. Included before the
statement pages, whose <school> slug cannot be "datalek-melden" (validate_school_slug)."""

from django.urls import URLPattern, path  # noqa: F401  (the report page is added here)

urlpatterns: list[URLPattern] = []
