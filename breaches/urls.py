"""The breach register's pages under /b/<board>/."""

from django.urls import URLPattern, path

from breaches import report_views as views

urlpatterns: list[URLPattern] = [
    path("datalekken/melden/", views.report, name="breach_report"),
]
