"""HTML routes of accounts (mounted at /accounts/)."""

from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.set_language_view, name="set_language"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/password/", views.password_view, name="password"),
    path("settings/tokens/", views.tokens_view, name="tokens"),
    path("settings/tokens/revoke/", views.token_revoke_view, name="token_revoke"),
]
