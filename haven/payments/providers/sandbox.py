"""The sandbox provider: a card processor's test mode inside Haven (hosted page, signed webhooks).

Payments are paid on Haven's own hosted page (/pay/<client_secret>/) with the documented test card
numbers (docs/payments.md). The page never moves a payment: it enqueues `tasks.sandbox_deliver`,
which builds a signed webhook event exactly as a processor would send it and hands it to
`webhooks.receive`, the function behind the HTTP webhook endpoint. Refunds succeed at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput
from haven.payments import states
from haven.payments.providers.base import Intent, ProviderEvent, RefundResult

if TYPE_CHECKING:
    from haven.payments.models import Payment

NAME = "sandbox"
SIGNATURE_HEADER = "Haven-Signature"
#: Events older (or newer) than this many seconds are refused, as Stripe's default tolerance.
TOLERANCE_SECONDS = 300

# Outcomes of a card attempt, chosen by the test number.
SUCCEED = "succeed"
DECLINE = "card_declined"
INSUFFICIENT = "insufficient_funds"
REQUIRE_ACTION = "requires_action"

#: The documented test numbers and what they do; any other number that passes Luhn succeeds.
TEST_CARDS: dict[str, str] = {
    "4242424242424242": SUCCEED,
    "4000000000000002": DECLINE,
    "4000000000009995": INSUFFICIENT,
    "4000002500003155": REQUIRE_ACTION,
}

#: Event type -> the payments.states state it reports.
EVENT_STATES = {
    "payment_intent.processing": states.PROCESSING,
    "payment_intent.requires_action": states.REQUIRES_ACTION,
    "payment_intent.succeeded": states.SUCCEEDED,
    "payment_intent.payment_failed": states.FAILED,
    "payment_intent.canceled": states.CANCELLED,
}


@dataclass(frozen=True)
class Card:
    """What the sandbox keeps of a typed card: the brand, the last four digits and the outcome."""

    brand: str
    last4: str
    outcome: str


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    """The brand of a card number by its prefix (as the page shows it while the buyer types)."""
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in {"34", "37"}:
        return "amex"
    if digits[:2] in {"51", "52", "53", "54", "55"} or (len(digits) >= 4 and 2221 <= int(digits[:4]) <= 2720):
        return "mastercard"
    if digits.startswith("62"):
        return "unionpay"
    if digits.startswith(("6011", "65")):
        return "discover"
    if digits.startswith("35"):
        return "jcb"
    return "card"


def read_card(*, number: str, expiry: str, cvc: str, name: str, today: datetime | None = None) -> Card:
    """Check a typed card as a processor would; raise InvalidInput with the processor's code."""
    digits = "".join(ch for ch in (number or "")[:40] if ch not in " -")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not luhn_ok(digits):
        raise InvalidInput(_("Your card number is invalid."), code="invalid_number")
    compact = (expiry or "").replace(" ", "")[:9]
    if "/" not in compact and len(compact) in (4, 6):
        compact = f"{compact[:2]}/{compact[2:]}"
    month, _sep, year = compact.partition("/")
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) in (2, 4)):
        raise InvalidInput(_("Your card's expiry date is invalid."), code="invalid_expiry")
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    now = today or datetime.now(UTC)
    if (full_year, int(month)) < (now.year, now.month):
        raise InvalidInput(_("Your card has expired."), code="expired_card")
    if not (cvc or "").isdigit() or len(cvc) not in (3, 4):
        raise InvalidInput(_("Your card's security code is invalid."), code="invalid_cvc")
    if not (name or "").strip() or len(name) > 100:
        raise InvalidInput(_("Enter the name on the card."), code="invalid_name")
    return Card(brand=card_brand(digits), last4=digits[-4:], outcome=TEST_CARDS.get(digits, SUCCEED))


def webhook_secret() -> str:
    return str(settings.HAVEN_SANDBOX_WEBHOOK_SECRET)


def sign(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> str:
    """The Haven-Signature header of `body`: t=<unix>,v1=<hex HMAC-SHA256 of f"{t}.{body}">."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new((secret or webhook_secret()).encode(), f"{t}.".encode() + body, hashlib.sha256)
    return f"t={t},v1={mac.hexdigest()}"


def verify(body: bytes, header: str, *, secret: str | None = None, now: float | None = None) -> None:
    """Raise InvalidInput "invalid_signature" unless `header` signs `body` within the tolerance."""
    parts: dict[str, list[str]] = {}
    for item in (header or "")[:1000].split(","):
        key, _sep, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    bad = InvalidInput(_("The webhook signature is invalid."), code="invalid_signature")
    timestamps = parts.get("t", [])
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        raise bad
    t = int(timestamps[0])
    if abs((time.time() if now is None else now) - t) > TOLERANCE_SECONDS:
        raise bad
    expected = sign(body, timestamp=t, secret=secret).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise bad


def build_event(
    *,
    event_id: str,
    type: str,
    intent_id: str,
    card: Card | None = None,
    failure_code: str = "",
    created: int | None = None,
) -> bytes:
    """A webhook body shaped like Stripe's (id, type, created, data.object)."""
    obj: dict[str, Any] = {"id": intent_id, "object": "payment_intent"}
    if card is not None:
        obj["card"] = {"brand": card.brand, "last4": card.last4}
    if failure_code:
        obj["last_payment_error"] = {"code": failure_code}
    event = {
        "id": event_id,
        "object": "event",
        "type": type,
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(event, separators=(",", ":")).encode()


class SandboxProvider:
    """Test mode inside Haven: see the module docstring."""

    name = NAME

    def create_intent(self, payment: Payment) -> Intent:
        ref = f"pi_sbx_{secrets.token_hex(12)}"
        return Intent(provider_ref=ref, client_secret=f"{ref}_secret_{secrets.token_urlsafe(18)}")

    def cancel_intent(self, payment: Payment) -> None:
        return None  # nothing is held anywhere

    def refund(self, payment: Payment, *, amount: int, key: str) -> RefundResult:
        digest = hashlib.sha256(f"{payment.provider_ref}:{key}".encode()).hexdigest()[:24]
        return RefundResult(provider_ref=f"re_sbx_{digest}", status="succeeded")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> ProviderEvent | None:
        verify(body, headers.get(SIGNATURE_HEADER.lower(), ""))
        try:
            event = json.loads(body)
            obj = event["data"]["object"]
            event_id, type_, intent_id = str(event["id"]), str(event["type"]), str(obj["id"])
            created = datetime.fromtimestamp(int(event["created"]), tz=UTC)
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            raise InvalidInput(_("The webhook event is malformed."), code="invalid_event") from exc
        if type_ not in EVENT_STATES:
            return None
        card = obj.get("card") if isinstance(obj.get("card"), dict) else {}
        error = obj.get("last_payment_error") if isinstance(obj.get("last_payment_error"), dict) else {}
        return ProviderEvent(
            event_id=event_id[:100],
            type=type_,
            provider_ref=intent_id[:100],
            occurred_at=created,
            payment_status=EVENT_STATES[type_],
            card_brand=str(card.get("brand", ""))[:20],
            card_last4=str(card.get("last4", ""))[-4:],
            failure_code=str(error.get("code", ""))[:40],
        )
