from django.urls import path

from rights import views

urlpatterns = [
    path("verzoeken/", views.request_list, name="rights_request_list"),
    path("verzoeken/nieuw/", views.request_create, name="rights_request_create"),
    path("verzoeken/<int:pk>/", views.request_detail, name="rights_request_detail"),
    path(
        "verzoeken/<int:pk>/brief/<slug:kind>.pdf",
        views.request_letter,
        name="rights_request_letter",
    ),
    path("verzoeken/<int:pk>/<slug:action>/", views.request_action, name="rights_request_action"),
]
