from django.urls import path, re_path

from retention import views

urlpatterns = [
    path("bewaartermijnen/", views.schedule_page, name="retention_schedule"),
    re_path(
        r"^bewaartermijnen/schema\.(?P<format>pdf|xlsx)$",
        views.schedule_download,
        name="retention_schedule_download",
    ),
    path("bewaartermijnen/nieuw/", views.rule_create, name="retention_rule_create"),
    path("bewaartermijnen/standaard/", views.rule_adopt, name="retention_rule_adopt"),
    path("bewaartermijnen/<int:pk>/", views.rule_edit, name="retention_rule_edit"),
    path("bewaartermijnen/<int:pk>/verwijderen/", views.rule_delete, name="retention_rule_delete"),
    path("bewaartermijnen/rekenhulp/", views.calculator, name="retention_calculator"),
    path("bewaartermijnen/kalender/", views.destruction_calendar, name="retention_calendar"),
]
