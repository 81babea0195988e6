"""The interface every payment provider implements, and the values it exchanges with payments.services."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from haven.payments.models import Payment


@dataclass(frozen=True)
class Intent:
    """What the provider answered when asked to prepare a payment (a PaymentIntent at Stripe)."""

    provider_ref: str
    client_secret: str = ""


@dataclass(frozen=True)
class RefundResult:
    provider_ref: str
    status: str  # "succeeded" | "pending" | "failed"


@dataclass(frozen=True)
class ProviderEvent:
    """A verified webhook event, translated into Haven's terms.

    `payment_status` is the payments.states state the event reports (None when the event is not about
    a payment's state, e.g. a refund update); `occurred_at` is when the provider created the event.
    """

    event_id: str
    type: str
    provider_ref: str
    occurred_at: datetime
    payment_status: str | None = None
    card_brand: str = ""
    card_last4: str = ""
    failure_code: str = ""
    refund_ref: str = ""
    refund_status: str = ""


class PaymentProvider(Protocol):
    """A card processor. Implementations: providers.sandbox (embedded, demo, tests) and providers.stripe."""

    name: str

    def create_intent(self, payment: Payment) -> Intent:
        """Prepare the payment at the provider (called when the buyer opens the payment page)."""
        ...

    def cancel_intent(self, payment: Payment) -> None:
        """Cancel a payment that was not completed (its order expired or was cancelled)."""
        ...

    def refund(self, payment: Payment, *, amount: int, key: str) -> RefundResult:
        """Refund `amount` minor units of a succeeded payment; `key` is the idempotency key."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent | None:
        """Verify the signature over the raw `body` and translate the event.

        Raises haven.core.errors.InvalidInput (code "invalid_signature") when the signature is wrong or
        too old; returns None for an event type Haven does not act on.
        """
        ...
