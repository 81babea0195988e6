"""App configuration for privacy: registers its own models' personal data and its periodic jobs."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "haven.privacy"
    label = "privacy"

    def ready(self) -> None:
        from haven.accounts import hooks
        from haven.privacy import consent, personal_data, services

        personal_data.register_all()
        consent.register_hooks()
        # Logging in during the grace period cancels a scheduled deletion (any sign-in path).
        hooks.on_user_logged_in(services.deletion_cancel_on_login)
