"""The Stripe provider: PaymentIntents, cancels and refunds through the official `stripe` library,
webhooks verified over the raw body with Stripe's signature scheme.

The API address is HAVEN_STRIPE_API_BASE (Stripe's, or the tests' in-process server); the library's
telemetry is off. Calls carry Haven's idempotency keys (payment-<id>, the refund's key), so a retried
call never charges or refunds twice. The outbound calls go to the one operator-configured API base
through the library's own HTTP client (not core.safe_fetch: the address is not user input).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import stripe as stripe_lib
from django.conf import settings
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput, ServiceUnavailable
from haven.payments import states
from haven.payments.providers.base import Intent, ProviderEvent, RefundResult

if TYPE_CHECKING:
    from haven.payments.models import Payment

logger = logging.getLogger(__name__)

stripe_lib.enable_telemetry = False  # never send request metrics to Stripe

NAME = "stripe"
SIGNATURE_HEADER = "Stripe-Signature"
TOLERANCE_SECONDS = 300
TIMEOUT_SECONDS = 20

#: PaymentIntent event type -> the payments.states state it reports.
EVENT_STATES = {
    "payment_intent.processing": states.PROCESSING,
    "payment_intent.requires_action": states.REQUIRES_ACTION,
    "payment_intent.succeeded": states.SUCCEEDED,
    "payment_intent.payment_failed": states.FAILED,
    "payment_intent.canceled": states.CANCELLED,
}
REFUND_EVENTS = frozenset({"charge.refund.updated"})
REFUND_STATES = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}


def _client() -> stripe_lib.StripeClient:
    return stripe_lib.StripeClient(
        settings.HAVEN_STRIPE_SECRET_KEY,
        base_addresses={"api": settings.HAVEN_STRIPE_API_BASE},
        http_client=stripe_lib.RequestsClient(timeout=TIMEOUT_SECONDS),
        max_network_retries=2,
    )


def _unavailable(exc: Exception) -> ServiceUnavailable:
    logger.warning("stripe call failed: %s", exc)
    return ServiceUnavailable(
        _("The payment provider did not answer. Try again in a moment."),
        code="payment_provider_error",
        details={"retry_after_seconds": 10},
    )


def _card(obj: Mapping[str, Any]) -> tuple[str, str]:
    """Brand and last four of the PaymentIntent's latest charge, when the event carries it expanded."""
    charge: Any = obj.get("latest_charge")
    if not isinstance(charge, Mapping):
        listed = (obj.get("charges") or {}).get("data") if isinstance(obj.get("charges"), Mapping) else None
        charge = listed[-1] if isinstance(listed, list) and listed and isinstance(listed[-1], Mapping) else {}
    details = charge.get("payment_method_details") or {}
    card = details.get("card") if isinstance(details, Mapping) else None
    if not isinstance(card, Mapping):
        return "", ""
    return str(card.get("brand") or "")[:20], str(card.get("last4") or "")[-4:]


def _failure_code(obj: Mapping[str, Any]) -> str:
    error = obj.get("last_payment_error")
    if not isinstance(error, Mapping):
        return ""
    return str(error.get("decline_code") or error.get("code") or "")[:40]


class StripeProvider:
    """Stripe: see the module docstring."""

    name = NAME

    def create_intent(self, payment: Payment) -> Intent:
        try:
            intent = _client().v1.payment_intents.create(
                params={
                    "amount": payment.amount,
                    "currency": payment.currency.lower(),
                    "metadata": {"haven_payment_id": str(payment.pk), "purpose": payment.purpose},
                    "automatic_payment_methods": {"enabled": True},
                },
                options={"idempotency_key": f"haven-payment-{payment.pk}"},
            )
        except stripe_lib.StripeError as exc:
            raise _unavailable(exc) from exc
        return Intent(provider_ref=str(intent.id), client_secret=str(intent.client_secret or ""))

    def cancel_intent(self, payment: Payment) -> None:
        if not payment.provider_ref:
            return
        try:
            _client().v1.payment_intents.cancel(
                payment.provider_ref, options={"idempotency_key": f"haven-cancel-{payment.pk}"}
            )
        except stripe_lib.StripeError as exc:
            raise _unavailable(exc) from exc

    def refund(self, payment: Payment, *, amount: int, key: str) -> RefundResult:
        try:
            refund = _client().v1.refunds.create(
                params={
                    "payment_intent": str(payment.provider_ref),
                    "amount": amount,
                    "metadata": {"haven_payment_id": str(payment.pk)},
                },
                options={"idempotency_key": key},
            )
        except stripe_lib.StripeError as exc:
            raise _unavailable(exc) from exc
        status = str(refund.status or "pending")
        return RefundResult(provider_ref=str(refund.id), status=REFUND_STATES.get(status, "pending"))

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent | None:
        secret = settings.HAVEN_STRIPE_WEBHOOK_SECRET
        header = headers.get(SIGNATURE_HEADER.lower(), "")
        if not secret or not header:
            raise InvalidInput(_("The webhook signature is invalid."), code="invalid_signature")
        try:
            stripe_lib.Webhook.construct_event(body, header, secret, tolerance=TOLERANCE_SECONDS)
        except stripe_lib.SignatureVerificationError:
            raise InvalidInput(_("The webhook signature is invalid."), code="invalid_signature") from None
        except ValueError:
            raise InvalidInput(_("The webhook event is malformed."), code="invalid_event") from None
        try:
            event = json.loads(body)
            obj = event["data"]["object"]
            event_id, type_ = str(event["id"]), str(event["type"])
            occurred_at = datetime.fromtimestamp(int(event["created"]), tz=UTC)
            if type_ in EVENT_STATES:
                brand, last4 = _card(obj)
                return ProviderEvent(
                    event_id=event_id[:100],
                    type=type_,
                    provider_ref=str(obj["id"])[:100],
                    occurred_at=occurred_at,
                    payment_status=EVENT_STATES[type_],
                    card_brand=brand,
                    card_last4=last4,
                    failure_code=_failure_code(obj),
                )
            if type_ in REFUND_EVENTS and obj.get("payment_intent"):
                status = str(obj.get("status") or "")
                return ProviderEvent(
                    event_id=event_id[:100],
                    type=type_,
                    provider_ref=str(obj["payment_intent"])[:100],
                    occurred_at=occurred_at,
                    refund_ref=str(obj["id"])[:100],
                    refund_status=REFUND_STATES.get(status, status[:20]),
                )
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
            raise InvalidInput(_("The webhook event is malformed."), code="invalid_event") from exc
        return None
