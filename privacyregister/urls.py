"""The core's own pages: accounts, invitations, health checks, and a board's members, schools,
matrix and security log. The root URLconf (workspace.urls) mounts them with the feature apps'."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from privacyregister import board_views, two_factor, views
from privacyregister.forms import LoginForm

# Under /b/<board>/, where the root URLconf mounts them.
board_patterns: list[URLPattern | URLResolver] = [
    path("autorisatie/", views.matrix, name="matrix"),
    path("beveiligingslog/", views.audit_log, name="audit_log"),
    path("leden/", views.members, name="members"),
    path("leden/<int:pk>/intrekken/", views.membership_revoke, name="membership_revoke"),
    path(
        "leden/uitnodigingen/<int:pk>/intrekken/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("instellingen/", views.board_settings, name="board_settings"),
    path("scholen/", views.schools, name="schools"),
    path("scholen/nieuw/", views.school_create, name="school_create"),
    path("scholen/<slug:school>/", views.school_edit, name="school_edit"),
    path("scholen/<slug:school>/archiveren/", views.school_archive, name="school_archive"),
    path("scholen/<slug:school>/terugzetten/", views.school_restore, name="school_restore"),
]

account_patterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/meldingen/", views.notification_settings, name="notification_settings"),
    path("tweestapsverificatie/instellen/", two_factor.setup, name="two_factor_setup"),
    path("tweestapsverificatie/code/", two_factor.verify, name="two_factor_verify"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verzonden/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("gezond/", views.health, name="health"),
    path("gereed/", views.ready, name="ready"),
    path("uitnodigingen/<int:pk>/aannemen/", views.invitation_accept, name="invitation_accept"),
    path("uitnodigingen/<int:pk>/afwijzen/", views.invitation_decline, name="invitation_decline"),
    path("besturen/nieuw/", board_views.board_create, name="board_create"),
    path("besturen/<slug:slug>/aangemaakt/", board_views.board_created, name="board_created"),
    *account_patterns,
]
