from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from privacyregister import views
from privacyregister.forms import LoginForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("taal/", include("django.conf.urls.i18n")),
]
