"""The breach register's pages under /b/<board>/."""

from django.urls import URLPattern, path

from breaches import notification_views

urlpatterns: list[URLPattern] = [
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
