"""The root URLconf: the core's pages and every feature app's, under one address space."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from privacyregister import urls as core_urls
from workspace import views

board_patterns: list[URLPattern | URLResolver] = [
    path("", views.board_home, name="board_home"),
    path("", include(core_urls.board_patterns)),
    path("", include("processing.urls")),
    path("", include("retention.urls")),
    path("", include("rights.urls")),
    path("", include("breaches.urls")),
]

handler404 = "privacyregister.errors.page_not_found"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("", include(core_urls)),
    path("b/<slug:board>/", include(board_patterns)),
    path("privacy/", include("breaches.public_urls")),
    path("privacy/", include("processing.public_urls")),
    path("admin/", admin.site.urls),
    path("taal/", include("django.conf.urls.i18n")),
]
