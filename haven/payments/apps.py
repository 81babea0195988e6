"""App configuration for payments: the providers and the personal-data registrations."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "haven.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from haven.payments import personal_data
        from haven.payments.providers import register_provider
        from haven.payments.providers.sandbox import SandboxProvider
        from haven.payments.providers.stripe import StripeProvider

        register_provider(SandboxProvider())
        register_provider(StripeProvider())
        personal_data.register_all()
