"""The breach register's pages under /b/<board>/."""

from django.urls import URLPattern, path

from breaches import notification_views, report_views, views

urlpatterns: list[URLPattern] = [
    path("datalekken/", views.breach_list, name="breach_list"),
    # Before <pk>/: "melden" is no number, but the order keeps the reading plain.
    path("datalekken/melden/", report_views.report, name="report_breach"),
    path(
        "datalekken/massamelding/afsluiten/",
        views.breach_flood_dismiss,
        name="breach_flood_dismiss",
    ),
    path("datalekken/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("datalekken/<int:pk>/in-behandeling/", views.breach_start, name="breach_start"),
    path("datalekken/<int:pk>/koppelen/", views.breach_link, name="breach_link"),
    path("datalekken/<int:pk>/feiten/", views.breach_facts, name="breach_facts"),
    path("datalekken/<int:pk>/besluit/", views.breach_decide, name="breach_decide"),
    path("datalekken/<int:pk>/advies/", views.breach_advise, name="breach_advise"),
    path("datalekken/<int:pk>/maatregelen/", views.breach_measures, name="breach_measures"),
    path("datalekken/<int:pk>/afsluiten/", views.breach_close, name="breach_close"),
    path("datalekken/<int:pk>/heropenen/", views.breach_reopen, name="breach_reopen"),
    path("datalekken/<int:pk>/geschiedenis/", views.breach_history, name="breach_history"),
    path(
        "datalekken/<int:pk>/melding-ap/",
        notification_views.breach_ap_notification,
        name="breach_ap_notification",
    ),
    path(
        "datalekken/<int:pk>/melding-ap.pdf",
        notification_views.breach_ap_notification_pdf,
        name="breach_ap_notification_pdf",
    ),
    path(
        "datalekken/<int:pk>/brief-betrokkenen.pdf",
        notification_views.breach_subjects_letter,
        name="breach_subjects_letter",
    ),
    path(
        "datalekken/<int:pk>/ap-gemeld/",
        notification_views.breach_record_ap_notification,
        name="breach_record_ap_notification",
    ),
    path(
        "datalekken/<int:pk>/betrokkenen-geinformeerd/",
        notification_views.breach_record_subjects_informed,
        name="breach_record_subjects_informed",
    ),
]
