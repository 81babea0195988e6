"""POST /pay/webhooks/<provider>/ with the sandbox's signing: signatures, tolerance, bounds, and an
event applied exactly once however often and in whatever order it arrives."""

from __future__ import annotations

import pytest

from haven.notes.tests.factories import UserFactory
from haven.payments import services, states, webhooks
from haven.payments.models import PaymentTransition, WebhookEvent
from haven.payments.providers import sandbox
from haven.payments.tests.support import event_body, make_payment, now, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment():
    return services.payment_start(payment=make_payment(UserFactory()))


def test_signed_event_applies(client, payment) -> None:
    response = post_webhook(client, event_body(payment, "payment_intent.succeeded", "evt_1", last4="4242"))
    assert response.status_code == 200 and response.json() == {"received": True, "outcome": "applied"}
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED and payment.card_last4 == "4242"


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=123",
        "v1=abc",
        "t=abc,v1=00",
        "garbage",
        "t={now},v1=" + "0" * 64,
        "t={old},v1={good_old}",  # correctly signed, but outside the 5-minute tolerance
        "t={future},v1={good_future}",
    ],
)
def test_bad_signatures_are_400(client, payment, signature) -> None:
    body = event_body(payment, "payment_intent.succeeded", "evt_bad")
    old, future = now() - 301, now() + 301
    header = signature.format(
        now=now(),
        old=old,
        future=future,
        good_old=sandbox.sign(body, timestamp=old).split("v1=")[1],
        good_future=sandbox.sign(body, timestamp=future).split("v1=")[1],
    )
    response = post_webhook(client, body, signature=header)
    assert response.status_code == 400 and response.json()["code"] == "invalid_signature"
    payment.refresh_from_db()
    assert payment.status == states.REQUIRES_PAYMENT and not WebhookEvent.objects.exists()


def test_signature_of_another_body_or_secret_is_400(client, payment) -> None:
    body = event_body(payment, "payment_intent.succeeded", "evt_x")
    other = sandbox.sign(body.replace(b"evt_x", b"evt_y"))
    assert post_webhook(client, body, signature=other).json()["code"] == "invalid_signature"
    wrong_secret = sandbox.sign(body, secret="not-the-secret")
    assert post_webhook(client, body, signature=wrong_secret).status_code == 400


def test_within_tolerance_and_several_v1_values(client, payment) -> None:
    body = event_body(payment, "payment_intent.processing", "evt_tol")
    t = now() - 290
    good = sandbox.sign(body, timestamp=t).split("v1=")[1]
    response = post_webhook(client, body, signature=f"t={t},v1={'0' * 64},v1={good}")
    assert response.status_code == 200 and response.json()["outcome"] == "applied"


def test_unknown_provider_malformed_and_large_bodies(client, payment) -> None:
    body = event_body(payment, "payment_intent.succeeded", "evt_u")
    assert post_webhook(client, body, provider="paypal").status_code == 404
    assert post_webhook(client, body, provider="paypal").json()["code"] == "unknown_provider"
    malformed = b'{"id": "evt_m"}'
    response = post_webhook(client, malformed)
    assert response.status_code == 400 and response.json()["code"] == "invalid_event"
    large = b'{"pad": "' + b"x" * webhooks.MAX_BODY_BYTES + b'"}'
    response = post_webhook(client, large)
    assert response.status_code == 413 and response.json()["code"] == "webhook_too_large"
    assert client.get("/pay/webhooks/sandbox/").status_code == 405


def test_ignored_and_unknown_payment_events(client, payment) -> None:
    ignored = sandbox.build_event(event_id="evt_i", type="customer.created", intent_id="cus_1")
    assert post_webhook(client, ignored).json()["outcome"] == "ignored"
    other = sandbox.build_event(
        event_id="evt_o", type="payment_intent.succeeded", intent_id="pi_sbx_elsewhere"
    )
    assert post_webhook(client, other).json()["outcome"] == "unknown_payment"
    assert not WebhookEvent.objects.filter(event_id="evt_o").exists()  # a redelivery is tried again


def test_duplicates_and_out_of_order_change_state_once(client, payment) -> None:
    t = now()
    processing = event_body(payment, "payment_intent.processing", "evt_p", created=t - 5)
    succeeded = event_body(payment, "payment_intent.succeeded", "evt_s", created=t, last4="4242")
    outcomes = [post_webhook(client, succeeded).json()["outcome"] for _ in range(3)]
    assert outcomes == ["applied", "duplicate", "duplicate"]
    assert [post_webhook(client, processing).json()["outcome"] for _ in range(3)] == [
        "stale",
        "duplicate",
        "duplicate",
    ]
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED
    assert list(PaymentTransition.objects.filter(payment=payment).values_list("src", "dst")) == [
        ("requires_payment", "succeeded")
    ]
    assert WebhookEvent.objects.filter(payment=payment).count() == 2


def test_an_older_failure_does_not_undo_a_newer_state(client, payment) -> None:
    t = now()
    assert (
        post_webhook(
            client, event_body(payment, "payment_intent.requires_action", "evt_ra", created=t)
        ).json()["outcome"]
        == "applied"
    )
    late = event_body(payment, "payment_intent.payment_failed", "evt_f", created=t - 60)
    assert post_webhook(client, late).json()["outcome"] == "stale"
    payment.refresh_from_db()
    assert payment.status == states.REQUIRES_ACTION


def test_receive_is_what_the_endpoint_calls(payment) -> None:
    body = event_body(payment, "payment_intent.succeeded", "evt_fn")
    assert webhooks.receive("sandbox", body, {"HAVEN-SIGNATURE": sandbox.sign(body)}) == "applied"
    assert webhooks.receive("sandbox", body, {"haven-signature": sandbox.sign(body)}) == "duplicate"


def test_listeners_hear_each_move_once(payment) -> None:
    heard: list[tuple[int, str, str]] = []
    services.register_payment_listener("test:", lambda p, src, dst: heard.append((p.pk, src, dst)))
    body = event_body(payment, "payment_intent.succeeded", "evt_l")
    for _ in range(2):
        webhooks.receive("sandbox", body, {"haven-signature": sandbox.sign(body)})
    assert (payment.pk, "requires_payment", "succeeded") in heard
    assert len([h for h in heard if h[0] == payment.pk]) == 1
