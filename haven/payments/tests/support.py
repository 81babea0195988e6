"""Helpers of the payments tests: payments, a signed-in payer on the hosted page, sandbox events."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client

from haven.payments import services
from haven.payments.models import Payment
from haven.payments.providers import sandbox

_counter = iter(range(1, 10**9))


def make_payment(
    payer: Any,
    *,
    amount: int = 12800,
    currency: str = "CNY",
    provider: str = "sandbox",
    prefix: str = "test:",
) -> Payment:
    return services.payment_create(
        payer=payer, amount=amount, currency=currency, purpose=f"{prefix}{next(_counter)}", provider=provider
    )


def started(payer: Any, **kwargs: Any) -> Payment:
    return services.payment_start(payment=make_payment(payer, **kwargs))


def open_page(client: Client, payment: Payment) -> str:
    """Open the payment through its start link; return the hosted page's path."""
    response = client.get(f"/pay/start/{payment.pk}/")
    assert response.status_code == 302, response.status_code
    payment.refresh_from_db()
    assert response["Location"] == f"/pay/{payment.client_secret}/"
    return str(response["Location"])


def card(number: str, **overrides: str) -> dict[str, str]:
    return {"number": number, "expiry": "12 / 39", "cvc": "123", "name": "Anna Li", **overrides}


def event_body(
    payment: Payment, type_: str, event_id: str, *, created: int | None = None, last4: str = ""
) -> bytes:
    card_value = sandbox.Card(brand="visa", last4=last4, outcome="") if last4 else None
    return sandbox.build_event(
        event_id=event_id, type=type_, intent_id=str(payment.provider_ref), card=card_value, created=created
    )


def post_webhook(
    client: Client, body: bytes, *, signature: str | None = None, provider: str = "sandbox"
) -> Any:
    header = sandbox.sign(body) if signature is None else signature
    return client.post(
        f"/pay/webhooks/{provider}/", body, content_type="application/json", HTTP_HAVEN_SIGNATURE=header
    )


def now() -> int:
    return int(time.time())
