"""The money test: racing checkouts never oversell, never create a second order or charge for one key.

1,000 checkout submissions from 800 distinct buyers race for a variant with 100 in stock; 200 of the
submissions repeat another submission's Idempotency-Key (the same buyer retrying). Then every
checkout that got stock is paid, each payment's webhook delivered three times and out of order.
Expected: exactly 100 paid orders, stock 0 and never below, one order and one charge per key, one
state change per payment. It needs PostgreSQL (real row locks and concurrent writers); the embedded
profile runs the small sequential version below it.
"""

from __future__ import annotations

import os
import random
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.db import close_old_connections, connection

from haven.accounts.models import User
from haven.core.errors import Conflict
from haven.orders import services, states
from haven.orders.models import Address, CartItem, Checkout, Order
from haven.orders.tests.world import FAKE, product, shop
from haven.payments.models import Payment, PaymentTransition, WebhookEvent
from haven.payments.providers.base import ProviderEvent
from haven.payments.services import payment_apply_event, payment_start

BUYERS = 800
REPEATS = 200
STOCK = 100


def _buyers(n: int) -> list[User]:
    users = User.objects.bulk_create(
        [User(username=f"racer{i}", email=f"racer{i}@example.com") for i in range(n)]
    )
    Address.objects.bulk_create(
        [
            Address(user=u, name="Racer", line1="1 Road", city="Shanghai", country="CN", is_default=True)
            for u in users
        ]
    )
    return users


def _submit(buyer_id: int, key: str) -> tuple[str, int | None]:
    close_old_connections()
    try:
        buyer = User.objects.get(pk=buyer_id)
        address = buyer.addresses.first()
        try:
            checkout = services.checkout_submit(buyer=buyer, key=key, address_id=address.pk)
            return "ok", checkout.pk
        except Conflict as exc:
            return exc.code, None
    finally:
        connection.close()


def _event(payment: Payment, status: str, n: int, *, minutes: int) -> ProviderEvent:
    return ProviderEvent(
        event_id=f"evt_{payment.pk}_{n}",
        type=f"payment_intent.{status}",
        provider_ref=payment.provider_ref or "",
        occurred_at=datetime.now(UTC) + timedelta(minutes=minutes),
        payment_status=status,
        card_brand="visa",
        card_last4="4242",
    )


def _deliver(payment_id: int) -> list[str]:
    """The `succeeded` webhook delivered three times, with the older `processing` event arriving late."""
    close_old_connections()
    try:
        payment = payment_start(payment=Payment.objects.get(pk=payment_id))
        succeeded = _event(payment, "succeeded", 1, minutes=2)
        processing = _event(payment, "processing", 0, minutes=1)
        rest = [succeeded, succeeded, processing]
        random.shuffle(rest)
        events = [succeeded, *rest]
        return [payment_apply_event(provider=FAKE.name, event=e) for e in events]
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("HAVEN_DATABASE_URL"), reason="the race needs PostgreSQL's concurrent writers"
)
def test_a_thousand_racing_checkouts_sell_exactly_the_stock_once_each() -> None:
    variant = product(shop(shipping=500), price=8800, stock=STOCK)
    buyers = _buyers(BUYERS)
    CartItem.objects.bulk_create([CartItem(user=b, variant=variant, quantity=1) for b in buyers])
    submissions = [(b.pk, f"key-{b.pk}") for b in buyers]
    rng = random.Random(9)
    submissions += [rng.choice(submissions) for _ in range(REPEATS)]  # retries of others' submissions
    rng.shuffle(submissions)
    assert len(submissions) == 1000 and len({s[0] for s in submissions}) == BUYERS

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda s: _submit(*s), submissions))
    outcomes = Counter(r[0] for r in results)
    checkouts = {r[1] for r in results if r[1] is not None}

    variant.refresh_from_db()
    assert variant.stock == 0
    assert (
        len(checkouts)
        == STOCK
        == Checkout.objects.count()
        == Order.objects.count()
        == Payment.objects.count()
    )
    # A repeat of a key that won returns the same checkout; every other submission found no stock
    # (a buyer whose first try lost and who retries gets out_of_stock again, or cart_empty never).
    assert outcomes["ok"] + outcomes["out_of_stock"] == 1000, outcomes
    assert Order.objects.values("buyer").distinct().count() == STOCK

    with ThreadPoolExecutor(max_workers=8) as pool:
        deliveries = list(pool.map(_deliver, Payment.objects.values_list("pk", flat=True)))
    applied = Counter(outcome for d in deliveries for outcome in d)
    assert applied["applied"] == STOCK and applied["duplicate"] == 2 * STOCK and applied["stale"] == STOCK

    assert Order.objects.filter(status=states.PAID, payment_status=states.PAID).count() == STOCK
    assert Payment.objects.filter(status="succeeded").count() == STOCK
    assert PaymentTransition.objects.filter(dst="succeeded").count() == STOCK  # each charged exactly once
    assert PaymentTransition.objects.count() == STOCK
    assert WebhookEvent.objects.count() == 2 * STOCK
    print(
        f"\nmoney test: 1000 submissions ({REPEATS} repeated keys, {BUYERS} buyers) -> {dict(outcomes)}; "
        f"{Order.objects.filter(status='paid').count()} paid orders, stock {variant.stock}, "
        f"{Payment.objects.filter(status='succeeded').count()} charges, webhook outcomes {dict(applied)}"
    )


@pytest.mark.django_db
def test_sequential_version_in_every_profile() -> None:
    variant = product(shop(), stock=3)
    buyers = _buyers(5)
    CartItem.objects.bulk_create([CartItem(user=b, variant=variant, quantity=1) for b in buyers])
    outcomes = []
    for buyer in buyers + buyers[:2]:
        try:
            services.checkout_submit(buyer=buyer, key=f"k{buyer.pk}", address_id=buyer.addresses.first().pk)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
    assert outcomes == ["ok", "ok", "ok", "out_of_stock", "out_of_stock", "ok", "ok"]
    variant.refresh_from_db()
    assert Checkout.objects.count() == 3 and variant.stock == 0
