from django.urls import path

from processing import views

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/bewerken/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/vaststellen/", views.activity_approve_view, name="activity_approve"),
    path("<int:pk>/advies/", views.activity_advice, name="activity_advice"),
    path("<int:pk>/geschiedenis/", views.activity_history, name="activity_history"),
]
