"""GET /api/v1/payments/{id} (payer only), personal-data export and erasure, and the settings rules."""

from __future__ import annotations

import pytest
from django.test import Client

from config.env import HavenSettings
from haven.core import personal_data
from haven.notes.tests.factories import UserFactory
from haven.payments import services
from haven.payments.models import Payment, Refund
from haven.payments.tests.support import make_payment
from haven.payments.tests.test_refunds import paid

URL = "/api/v1/payments"


@pytest.mark.django_db
def test_payer_reads_their_payment(client) -> None:
    payment = paid(12800)
    client.force_login(payment.payer)
    body = client.get(f"{URL}/{payment.pk}").json()
    assert body["status"] == "succeeded" and body["amount"] == 12800 and body["currency"] == "CNY"
    assert body["pay_url"] == f"/pay/start/{payment.pk}/" and body["amount_display"] == "¥128.00"
    assert set(body) >= {"brand", "last4", "failure_code", "refunded_amount", "created_at"}


@pytest.mark.django_db
def test_others_and_anonymous_get_nothing(client) -> None:
    payment = make_payment(UserFactory())
    client.force_login(UserFactory())
    for path in (f"{URL}/{payment.pk}", f"{URL}/999999", f"{URL}/{'9' * 30}"):
        response = client.get(path)
        assert response.status_code in (404, 400), path
    response = client.get(f"{URL}/{payment.pk}")
    assert response.status_code == 404 and response.json()["code"] == "payment_not_found"
    assert Client().get(f"{URL}/{payment.pk}").status_code == 401


@pytest.mark.django_db
def test_export_and_erasure_keep_the_books() -> None:
    payment = paid(5000)
    member = payment.payer
    services.refund_create(payment=payment, amount=1000, key="pd-1", requested_by=member)
    registration = personal_data.registration_for(Payment)
    assert registration is not None and registration.kept
    rows = list(registration.exporter(member))  # type: ignore[misc]
    assert rows[0]["amount"] == 5000 and rows[0]["refunds"][0]["amount"] == 1000
    assert "client_secret" not in rows[0] and "provider_ref" not in rows[0]
    for model in (Payment, Refund):
        reg = personal_data.registration_for(model)
        assert reg is not None and reg.eraser is not None
        reg.eraser(member)
        assert reg.eraser(member) == 0  # idempotent
    payment.refresh_from_db()
    assert payment.payer_id is None and payment.amount == 5000
    assert Refund.objects.get().requested_by_id is None


def test_production_refuses_stripe_without_keys() -> None:
    base = {"production": True, "secret_key": "s" * 60, "allowed_hosts": ["haven.example"]}
    assert HavenSettings(**base).insecure_reasons() == []  # sandbox
    reasons = HavenSettings(**base, payments_provider="stripe").insecure_reasons()
    assert any("HAVEN_STRIPE_SECRET_KEY" in r for r in reasons)
    keyed = HavenSettings(
        **base, payments_provider="stripe", stripe_secret_key="sk_live_x", stripe_webhook_secret="whsec_x"
    )
    assert keyed.insecure_reasons() == []
    plain = HavenSettings(
        **base,
        payments_provider="stripe",
        stripe_secret_key="sk_live_x",
        stripe_webhook_secret="whsec_x",
        stripe_api_base="http://127.0.0.1:9",
    )
    assert plain.insecure_reasons() == ["HAVEN_STRIPE_API_BASE must be an https:// address"]
