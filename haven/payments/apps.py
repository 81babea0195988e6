"""App configuration for payments."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "haven.payments"
    label = "payments"
