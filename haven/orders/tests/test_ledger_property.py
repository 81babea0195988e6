"""Property: whatever sequence of orders, partial refunds and cancellations happens, the ledger balances.

Per order, the lines sum to zero; per payment, the provider account holds exactly what the provider
kept (charged minus refunded); no account goes the wrong way (the platform, creators and shops
are never owed less than zero).
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag
from haven.core.errors import Conflict, InvalidInput
from haven.notes.tests.factories import NoteFactory
from haven.orders import services, states
from haven.orders.models import Order
from haven.orders.tests.world import address, pay, product, shop
from haven.payments.models import LedgerEntry, Payment

ORDER = st.fixed_dictionaries(
    {
        "price": st.integers(1, 50_000),
        "quantity": st.integers(1, 5),
        "commission_bps": st.sampled_from([0, 1, 250, 1000, 3333, 5000]),
        "shipping": st.integers(0, 2_000),
        "attributed": st.booleans(),
        "paid": st.booleans(),
        # Each action: ("refund", share of what is left in per-mille) or ("cancel", 0).
        "actions": st.lists(
            st.tuples(st.sampled_from(["refund", "refund", "cancel"]), st.integers(1, 1000)), max_size=4
        ),
    }
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orders=st.lists(ORDER, min_size=1, max_size=4))
def test_the_ledger_balances_per_order_and_matches_the_provider(
    orders, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    buyer, creator = UserFactory(), UserFactory()
    home = address(buyer)
    for n, plan in enumerate(orders):
        seller = shop(shipping=plan["shipping"])
        variant = product(seller, price=plan["price"], commission_bps=plan["commission_bps"], stock=None)
        note = None
        if plan["attributed"]:
            note = NoteFactory(author=creator)
            NoteProductTag.objects.create(note=note, product=variant.product)
        services.cart_add(
            user=buyer, variant_id=variant.pk, quantity=plan["quantity"], note_id=note.pk if note else None
        )
        checkout = services.checkout_submit(buyer=buyer, key=f"k{n}-{variant.pk}", address_id=home.pk)
        order = Order.objects.get(checkout=checkout)
        with django_capture_on_commit_callbacks(execute=True):
            if plan["paid"]:
                pay(checkout.payment)
            for i, (action, share) in enumerate(plan["actions"]):
                order.refresh_from_db()
                try:
                    if action == "cancel":
                        services.order_cancel(actor=seller.owner, order=order, reason="test")
                    else:
                        left = order.total - order.refunded_amount
                        amount = max(1, left * share // 1000)
                        services.order_refund(actor=seller.owner, order=order, amount=amount, key=f"r{i}")
                except (Conflict, InvalidInput):
                    pass  # refunding an unpaid or refunded order, cancelling twice: refused, nothing moves

    by_ref: dict[str, int] = defaultdict(int)
    for ref, amount in LedgerEntry.objects.values_list("reference", "amount"):
        by_ref[ref] += amount
    assert set(by_ref.values()) <= {0}
    for payment in Payment.objects.all():
        provider = (
            LedgerEntry.objects.filter(payment=payment, account="provider").aggregate(t=Sum("amount"))["t"]
            or 0
        )
        kept = payment.amount - payment.refunded_amount if payment.status == "succeeded" else 0
        assert provider == kept
    for account in ("platform", "creator", "shop"):
        for owner, total in (
            LedgerEntry.objects.filter(account=account).values_list("owner_id").annotate(t=Sum("amount"))
        ):
            assert total <= 0, (account, owner, total)  # credits are negative: nobody owes the other way
    for order in Order.objects.all():
        assert order.refunded_amount <= order.total
        if order.payment_status == states.REFUNDED:
            assert order.refunded_amount == order.total
