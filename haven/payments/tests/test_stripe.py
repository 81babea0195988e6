"""The Stripe provider against an in-process server: PaymentIntents, cancel and refunds with their
form parameters and Idempotency-Key headers; webhooks verified over the raw body (signature,
tolerance, duplicates, out of order). Nothing here may reach beyond 127.0.0.1."""

from __future__ import annotations

import socket
import time

import pytest
import stripe as stripe_lib

from haven.core.errors import ServiceUnavailable
from haven.notes.tests.factories import UserFactory
from haven.payments import services, states
from haven.payments.models import PaymentTransition, Refund
from haven.payments.tests.fake_stripe import FakeStripe, intent_event, signed
from haven.payments.tests.support import make_payment

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_secret"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any connection that would leave the machine (telemetry included)."""
    real = socket.socket.connect

    def connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and "/" not in host:
            raise AssertionError(f"test tried to reach {address}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def fake(settings):
    server = FakeStripe()
    settings.HAVEN_STRIPE_API_BASE = server.start()
    settings.HAVEN_STRIPE_SECRET_KEY = "sk_test_haven"
    settings.HAVEN_STRIPE_WEBHOOK_SECRET = SECRET
    yield server
    server.stop()


def started(fake: FakeStripe, amount: int = 12800):
    payment = make_payment(UserFactory(), amount=amount, currency="CNY", provider="stripe")
    return services.payment_start(payment=payment)


def test_telemetry_is_off() -> None:
    assert stripe_lib.enable_telemetry is False


def test_create_intent(fake) -> None:
    payment = started(fake)
    assert payment.provider_ref == "pi_fake1" and payment.client_secret == "pi_fake1_secret_abc"
    call = fake.requests[0]
    assert call.path == "/v1/payment_intents"
    assert call.params["amount"] == ["12800"] and call.params["currency"] == ["cny"]
    assert call.params["metadata[haven_payment_id]"] == [str(payment.pk)]
    assert call.headers["idempotency-key"] == f"haven-payment-{payment.pk}"
    assert call.headers["authorization"] == "Bearer sk_test_haven"
    assert "x-stripe-client-telemetry" not in call.headers
    assert services.payment_start(payment=payment).provider_ref == "pi_fake1"
    assert len(fake.requests) == 1  # started once


def test_provider_errors_are_503_codes_and_retried(fake) -> None:
    fake.fail_next = 1  # the library retries once with the same idempotency key
    payment = started(fake)
    assert payment.provider_ref and len(fake.requests) == 2
    assert fake.requests[0].headers["idempotency-key"] == fake.requests[1].headers["idempotency-key"]
    fake.fail_next = 10
    with pytest.raises(ServiceUnavailable) as exc:
        services.payment_start(payment=make_payment(UserFactory(), provider="stripe"))
    assert exc.value.code == "payment_provider_error"


def test_cancel(fake, django_capture_on_commit_callbacks) -> None:
    payment = started(fake)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.payment_cancel(payment=payment, reason="expired")
    call = fake.requests[-1]
    assert call.path == f"/v1/payment_intents/{payment.provider_ref}/cancel"
    assert call.headers["idempotency-key"] == f"haven-cancel-{payment.pk}"


def deliver(client, event, *, secret: str = SECRET, timestamp: int | None = None):
    body, header = signed(event, secret, timestamp=timestamp)
    return client.post(
        "/pay/webhooks/stripe/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_webhook_applies_with_card_from_latest_charge(client, fake) -> None:
    payment = started(fake)
    event = intent_event("evt_1", "payment_intent.succeeded", payment.provider_ref, card=("visa", "4242"))
    response = deliver(client, event)
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    payment.refresh_from_db()
    assert (payment.status, payment.card_brand, payment.card_last4) == ("succeeded", "visa", "4242")


def test_webhook_failure_code_and_other_types(client, fake) -> None:
    payment = started(fake)
    assert (
        deliver(client, intent_event("evt_f", "payment_intent.payment_failed", payment.provider_ref)).json()[
            "outcome"
        ]
        == "applied"
    )
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code) == ("failed", "insufficient_funds")
    assert deliver(client, intent_event("evt_c", "charge.succeeded", "ch_1")).json()["outcome"] == "ignored"
    assert (
        deliver(client, intent_event("evt_a", "payment_intent.requires_action", payment.provider_ref)).json()[
            "outcome"
        ]
        == "applied"
    )
    assert (
        deliver(client, intent_event("evt_x", "payment_intent.canceled", payment.provider_ref)).json()[
            "outcome"
        ]
        == "applied"
    )
    payment.refresh_from_db()
    assert payment.status == states.CANCELLED


def test_wrong_signature_and_old_timestamp_are_400(client, fake) -> None:
    payment = started(fake)
    event = intent_event("evt_2", "payment_intent.succeeded", payment.provider_ref)
    response = deliver(client, event, secret="whsec_wrong")
    assert response.status_code == 400 and response.json()["code"] == "invalid_signature"
    response = deliver(client, event, timestamp=int(time.time()) - 301)
    assert response.status_code == 400 and response.json()["code"] == "invalid_signature"
    body, header = signed(event, SECRET)
    tampered = body.replace(b"succeeded", b"processing")
    response = client.post(
        "/pay/webhooks/stripe/", tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert client.post("/pay/webhooks/stripe/", body, content_type="application/json").status_code == 400
    payment.refresh_from_db()
    assert payment.status == states.REQUIRES_PAYMENT


def test_duplicates_and_out_of_order_once(client, fake) -> None:
    payment = started(fake)
    t = int(time.time())
    succeeded = intent_event("evt_s", "payment_intent.succeeded", payment.provider_ref, created=t)
    processing = intent_event("evt_p", "payment_intent.processing", payment.provider_ref, created=t - 2)
    outcomes = [deliver(client, succeeded).json()["outcome"] for _ in range(3)]
    outcomes += [deliver(client, processing).json()["outcome"] for _ in range(2)]
    assert outcomes == ["applied", "duplicate", "duplicate", "stale", "duplicate"]
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED
    assert PaymentTransition.objects.filter(payment=payment).count() == 1


def test_refunds_carry_our_key_and_settle_by_webhook(client, fake) -> None:
    payment = started(fake, amount=10000)
    deliver(client, intent_event("evt_ok", "payment_intent.succeeded", payment.provider_ref))
    payment.refresh_from_db()
    refund = services.refund_create(payment=payment, amount=4000, key="order-1-refund-1")
    call = fake.requests[-1]
    assert call.path == "/v1/refunds" and call.headers["idempotency-key"] == "order-1-refund-1"
    assert call.params["payment_intent"] == [payment.provider_ref] and call.params["amount"] == ["4000"]
    assert refund.status == Refund.Status.SUCCEEDED
    fake.refund_status = "pending"
    pending = services.refund_create(payment=payment, amount=6000, key="order-1-refund-2")
    assert pending.status == Refund.Status.PENDING
    with pytest.raises(Exception) as exc:
        services.refund_create(payment=payment, amount=1, key="order-1-refund-3")
    assert getattr(exc.value, "code", "") == "refund_too_large"  # the pending refund counts
    refund_event = {
        "id": "evt_re",
        "object": "event",
        "created": int(time.time()),
        "type": "charge.refund.updated",
        "data": {
            "object": {
                "id": pending.provider_ref,
                "object": "refund",
                "status": "succeeded",
                "payment_intent": payment.provider_ref,
            }
        },
    }
    assert deliver(client, refund_event).json()["outcome"] == "applied"
    assert deliver(client, refund_event).json()["outcome"] == "duplicate"
    payment.refresh_from_db()
    pending.refresh_from_db()
    assert payment.refunded_amount == 10000 and pending.status == Refund.Status.SUCCEEDED


def test_stripe_page_renders_for_the_payer(client, fake, settings) -> None:
    settings.HAVEN_STRIPE_PUBLISHABLE_KEY = "pk_test_haven"
    payment = started(fake)
    client.force_login(payment.payer)
    response = client.get(f"/pay/{payment.client_secret}/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-publishable-key="pk_test_haven"' in html
    assert "Test mode" not in html and "¥128.00" in html
    client.force_login(UserFactory())
    assert client.get(f"/pay/{payment.client_secret}/").status_code == 404
