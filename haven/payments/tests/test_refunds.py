"""Refunds (full, partial, too large, idempotent by key, concurrent) and the ledger's balance rule."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from haven.core.errors import Conflict, InvalidInput
from haven.notes.tests.factories import UserFactory
from haven.payments import selectors, services, states
from haven.payments.models import LedgerEntry, Payment, Refund
from haven.payments.providers import sandbox
from haven.payments.services import LedgerLine
from haven.payments.tests.support import make_payment


def paid(amount: int = 10000) -> Payment:
    payment = services.payment_start(payment=make_payment(UserFactory(), amount=amount))
    body = sandbox.build_event(
        event_id=f"evt_paid_{payment.pk}",
        type="payment_intent.succeeded",
        intent_id=str(payment.provider_ref),
    )
    from haven.payments import webhooks

    assert webhooks.receive("sandbox", body, {"haven-signature": sandbox.sign(body)}) == "applied"
    payment.refresh_from_db()
    assert payment.status == states.SUCCEEDED
    return payment


@pytest.mark.django_db
def test_full_refund() -> None:
    payment = paid(10000)
    refund = services.refund_create(payment=payment, amount=10000, key="r-full", reason="returned")
    assert refund.status == Refund.Status.SUCCEEDED and refund.provider_ref.startswith("re_sbx_")
    payment.refresh_from_db()
    assert payment.refunded_amount == 10000 and payment.status == states.SUCCEEDED
    with pytest.raises(InvalidInput) as exc:
        services.refund_create(payment=payment, amount=1, key="r-more")
    assert exc.value.code == "refund_too_large"


@pytest.mark.django_db
def test_partial_refunds_up_to_the_amount() -> None:
    payment = paid(10000)
    services.refund_create(payment=payment, amount=3000, key="r-1")
    services.refund_create(payment=payment, amount=5000, key="r-2")
    with pytest.raises(InvalidInput) as exc:
        services.refund_create(payment=payment, amount=2001, key="r-3")
    assert exc.value.code == "refund_too_large"
    services.refund_create(payment=payment, amount=2000, key="r-4")
    payment.refresh_from_db()
    assert payment.refunded_amount == 10000
    assert Refund.objects.filter(payment=payment).count() == 3


@pytest.mark.django_db
def test_same_key_twice_is_one_refund() -> None:
    payment = paid(10000)
    first = services.refund_create(payment=payment, amount=2500, key="r-same")
    again = services.refund_create(payment=payment, amount=2500, key="r-same")
    assert first.pk == again.pk and first.provider_ref == again.provider_ref
    payment.refresh_from_db()
    assert payment.refunded_amount == 2500 and Refund.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        services.refund_create(payment=payment, amount=2600, key="r-same")
    assert exc.value.code == "idempotency_key_reused"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "key", "code"),
    [
        (0, "k", "invalid_amount"),
        (-5, "k", "invalid_amount"),
        (5, "", "invalid_idempotency_key"),
        (5, "k" * 101, "invalid_idempotency_key"),
    ],
)
def test_refund_input_is_bounded(amount, key, code) -> None:
    payment = paid(1000)
    with pytest.raises(InvalidInput) as exc:
        services.refund_create(payment=payment, amount=amount, key=key)
    assert exc.value.code == code


@pytest.mark.django_db
def test_only_succeeded_payments_are_refunded() -> None:
    payment = make_payment(UserFactory())
    with pytest.raises(Conflict) as exc:
        services.refund_create(payment=payment, amount=100, key="r-early")
    assert exc.value.code == "payment_not_refundable"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_partial_refunds_cannot_exceed_the_amount() -> None:
    payment = paid(10000)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def refund(key: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.refund_create(payment=payment, amount=6000, key=key)
            results.append("ok")
        except InvalidInput as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund, args=(f"race-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["ok", "refund_too_large"]
    payment.refresh_from_db()
    assert payment.refunded_amount == 6000 and Refund.objects.filter(payment=payment).count() == 1


@pytest.mark.django_db
def test_ledger_post_balanced_and_refused_unbalanced() -> None:
    payment = paid(10000)
    lines = [
        LedgerLine("provider", None, "payment", 10000),
        LedgerLine("platform", None, "platform_fee", -500),
        LedgerLine("creator", 7, "commission", -1000),
        LedgerLine("shop", 3, "shop_net", -8500),
    ]
    txn = services.ledger_post(payment=payment, reference="order:1", lines=lines)
    assert LedgerEntry.objects.filter(txn=txn).count() == 4
    assert selectors.references_balance(["order:1", "order:2"]) == {"order:1": 0}
    bad = [
        [],
        [LedgerLine("provider", None, "payment", 10000), LedgerLine("shop", 3, "shop_net", -9999)],
        [LedgerLine("provider", None, "payment", 0)],
        [LedgerLine("bank", None, "payment", 10), LedgerLine("shop", 3, "shop_net", -10)],
        [LedgerLine("provider", None, "payment", 10), LedgerLine("shop", 3, "tip", -10)],
    ]
    for attempt in bad:
        with pytest.raises(ValueError):
            services.ledger_post(payment=payment, reference="order:1", lines=attempt)
    assert LedgerEntry.objects.count() == 4
