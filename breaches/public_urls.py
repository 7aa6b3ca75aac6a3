"""The public page to report a possible data breach, under /privacy/<board>/. Included before the
statement pages, whose <school> slug cannot be "datalek-melden" (validate_school_slug)."""

from django.urls import URLPattern, path

from breaches import report_views as views

urlpatterns: list[URLPattern] = [
    path("<slug:board>/datalek-melden/", views.report_public, name="breach_report_public"),
    path(
        "<slug:board>/datalek-melden/verstuurd/",
        views.report_public_sent,
        name="breach_report_public_sent",
    ),
]
