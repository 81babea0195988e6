"""App configuration for privacy: registers its own models' personal data and its periodic jobs."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "haven.privacy"
    label = "privacy"

    def ready(self) -> None:
        from haven.privacy import consent, personal_data

        personal_data.register_all()
        consent.register_hooks()
