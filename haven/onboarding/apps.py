"""App configuration for onboarding: sign-up lands on its first step; its progress is personal data."""

from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "haven.onboarding"
    label = "onboarding"
    verbose_name = "Onboarding"

    def ready(self) -> None:
        from haven.accounts import hooks
        from haven.onboarding import personal_data

        hooks.set_after_signup_url("onboarding:start")
        personal_data.register_all()
