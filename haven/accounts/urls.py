"""HTML routes of accounts (mounted at /accounts/)."""

from django.urls import path

from haven.accounts import views, views_security

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
    path("login/two-factor/", views_security.login_two_factor_view, name="login_two_factor"),
    path("settings/security/", views_security.security_view, name="security"),
    path("settings/security/sessions/revoke/", views_security.session_revoke_view, name="session_revoke"),
    path("settings/security/tokens/revoke/", views_security.token_revoke_view, name="security_token_revoke"),
    path("settings/security/end-all/", views_security.end_all_view, name="end_all"),
    path("settings/security/two-factor/", views_security.two_factor_setup_view, name="two_factor_setup"),
    path(
        "settings/security/two-factor/off/", views_security.two_factor_disable_view, name="two_factor_disable"
    ),
    path("settings/security/recovery-codes/", views_security.recovery_codes_view, name="recovery_codes"),
    path("settings/security/passkeys/rename/", views_security.passkey_rename_view, name="passkey_rename"),
    path("settings/security/passkeys/remove/", views_security.passkey_remove_view, name="passkey_remove"),
]
