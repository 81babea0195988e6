"""Payment providers behind one interface (base.PaymentProvider): the registry and the configured one."""

from __future__ import annotations

from django.conf import settings

from haven.payments.providers.base import PaymentProvider

_providers: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    """Make `provider` available under `provider.name` (called from PaymentsConfig.ready())."""
    _providers[provider.name] = provider


def get_provider(name: str) -> PaymentProvider:
    """The provider registered as `name` (KeyError when there is none)."""
    return _providers[name]


def active_provider() -> PaymentProvider:
    """The provider new payments use: HAVEN_PAYMENTS_PROVIDER ("sandbox" unless configured)."""
    return _providers[getattr(settings, "HAVEN_PAYMENTS_PROVIDER", "sandbox")]
