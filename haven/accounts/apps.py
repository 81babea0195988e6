"""App configuration for accounts: personal-data registrations and the sign-in signal receiver."""

from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"

    def ready(self) -> None:
        from haven.accounts import reportable

        reportable.register()
        from django.contrib.auth.signals import user_logged_in

        from haven.accounts import retention
        from haven.accounts.personal_data import register_all

        register_all()
        retention.register()
        user_logged_in.connect(_session_signed_in, dispatch_uid="haven.accounts.session_signed_in")


def _session_signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Every `django.contrib.auth.login()` (any login view, the test client's force_login): track the
    new session at once, so the first request after sign-in costs no extra queries, then run the
    registered sign-in callbacks."""
    from haven.accounts import hooks, sessions
    from haven.accounts.models import User

    if not isinstance(user, User):
        return
    if request is not None and getattr(request, "session", None) is not None:
        sessions.session_record(request=request, user=user)
    hooks.user_logged_in(user)
