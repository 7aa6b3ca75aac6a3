"""The breach register's pages under /b/<board>/."""

from django.urls import URLPattern, path

from breaches import views

urlpatterns: list[URLPattern] = [
    path("datalekken/melden/", views.report, name="breach_report"),
]
