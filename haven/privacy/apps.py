"""App configuration for privacy: personal data, consent hooks, periodic jobs, retention."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "haven.privacy"
    label = "privacy"

    def ready(self) -> None:
        from haven.accounts import hooks
        from haven.privacy import consent, personal_data, retention, services

        personal_data.register_all()
        consent.register_hooks()
        retention.register()
        # Logging in during the grace period cancels a scheduled deletion (any sign-in path).
        hooks.on_user_logged_in(services.deletion_cancel_on_login)
