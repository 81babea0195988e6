"""Cart, checkout with Idempotency-Key and stock reservation, payment, lifecycle, refunds and the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag, TagClick, Variant
from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited, ServiceUnavailable
from haven.notes.tests.factories import NoteFactory
from haven.notifications.models import Notification
from haven.orders import services, states
from haven.orders.models import Checkout, Order, OrderTransition
from haven.orders.tests.world import FAKE, address, pay, product, shop
from haven.payments.models import LedgerEntry, Payment

pytestmark = pytest.mark.django_db


def _cart(buyer, variant, quantity=1, note=None):  # type: ignore[no-untyped-def]
    return services.cart_add(
        user=buyer, variant_id=variant.pk, quantity=quantity, note_id=note.pk if note else None
    )


def test_checkout_creates_one_order_per_shop_and_one_payment() -> None:
    buyer = UserFactory()
    home = address(buyer)
    tea, cups = shop(shipping=800), shop(shipping=0)
    a, b = product(tea, price=5000), product(cups, price=1200, stock=None)
    _cart(buyer, a, 2)
    _cart(buyer, b, 3)
    checkout = services.checkout_submit(buyer=buyer, key="k1", address_id=home.pk)
    orders = {o.shop_id: o for o in Order.objects.filter(checkout=checkout)}
    assert orders[tea.pk].total == 2 * 5000 + 800 and orders[cups.pk].total == 3 * 1200
    assert checkout.total == checkout.payment.amount == 2 * 5000 + 800 + 3600
    assert orders[tea.pk].address["city"] == "Hangzhou"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.stock == 8 and b.stock is None
    assert not buyer.cart_items.exists()


def test_a_retry_with_the_same_key_returns_the_same_checkout_and_a_different_request_conflicts() -> None:
    buyer = UserFactory()
    home = address(buyer)
    variant = product(shop())
    _cart(buyer, variant)
    first = services.checkout_submit(buyer=buyer, key="same", address_id=home.pk)
    again = services.checkout_submit(buyer=buyer, key="same", address_id=home.pk)
    assert again.pk == first.pk and Checkout.objects.count() == 1 and Payment.objects.count() == 1
    other = address(buyer, "US")
    with pytest.raises(Conflict) as err:
        services.checkout_submit(buyer=buyer, key="same", address_id=other.pk)
    assert err.value.code == "idempotency_key_reused"


@pytest.mark.parametrize(
    "key,code", [(None, "idempotency_key_required"), ("bad key", "invalid_idempotency_key")]
)
def test_checkout_needs_a_valid_key(key, code) -> None:  # type: ignore[no-untyped-def]
    buyer = UserFactory()
    with pytest.raises(InvalidInput) as err:
        services.checkout_submit(buyer=buyer, key=key, address_id=address(buyer).pk)
    assert err.value.code == code


def test_checkout_refuses_more_than_the_stock_and_writes_nothing() -> None:
    buyer = UserFactory()
    home = address(buyer)
    scarce, plenty = product(shop(), stock=1), product(shop(), stock=5)
    _cart(buyer, plenty, 2)
    _cart(buyer, scarce, 2)
    with pytest.raises(Conflict) as err:
        services.checkout_submit(buyer=buyer, key="k", address_id=home.pk)
    assert err.value.code == "out_of_stock"
    assert Variant.objects.get(pk=plenty.pk).stock == 5 and Variant.objects.get(pk=scarce.pk).stock == 1
    assert not Order.objects.exists() and buyer.cart_items.count() == 2


def test_bad_checkouts_get_stable_codes() -> None:
    buyer = UserFactory()
    with pytest.raises(Conflict) as err:
        services.checkout_submit(buyer=buyer, key="k", address_id=None)
    assert err.value.code == "cart_empty"
    nowhere = shop()
    nowhere.shipping_rates.all().delete()
    _cart(buyer, product(nowhere))
    with pytest.raises(Conflict) as err:
        services.checkout_submit(buyer=buyer, key="k", address_id=None)
    assert err.value.code == "address_required"
    with pytest.raises(Conflict) as err:
        services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    assert err.value.code == "not_shipped_to_country"
    with pytest.raises(NotFound):
        services.cart_add(user=buyer, variant_id=product(shop(status="pending")).pk)
    with pytest.raises(InvalidInput) as err:
        services.cart_add(user=buyer, variant_id=product(shop()).pk, quantity=0)
    assert err.value.code == "invalid_quantity"


def test_payment_marks_orders_paid_posts_a_balanced_ledger_and_tells_the_seller() -> None:
    buyer, creator = UserFactory(), UserFactory()
    tea = shop()
    variant = product(tea, price=10000, commission_bps=1000)
    note = NoteFactory(author=creator)
    NoteProductTag.objects.create(note=note, product=variant.product)
    _cart(buyer, variant, 1, note=note)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    assert pay(checkout.payment) == "applied"
    order = Order.objects.get(checkout=checkout)
    assert (order.status, order.payment_status) == (states.PAID, states.PAID)
    line = order.lines.get()
    assert (line.note_id, line.creator_id, line.commission_bps) == (note.pk, creator.pk, 1000)
    totals = services.ledger_totals(reference=f"order:{order.pk}")
    assert sum(totals.values()) == 0
    assert totals["provider"] == order.total == 11000
    assert (
        totals["platform"] == -550 and totals["creator"] == -1000 and totals["shop"] == -(11000 - 550 - 1000)
    )
    assert Notification.objects.filter(
        recipient=tea.owner, verb="order", target=f"order:{order.pk}:paid"
    ).exists()
    assert order.lines.get().product.sold_count == 1
    tea.refresh_from_db()
    assert tea.sold_count == 1


def test_last_tag_click_within_the_window_attributes_the_sale() -> None:
    buyer, first, last = UserFactory(), UserFactory(), UserFactory()
    variant = product(shop())
    for author in (first, last):
        note = NoteFactory(author=author)
        NoteProductTag.objects.create(note=note, product=variant.product)
        TagClick.objects.create(user=buyer, note=note, product=variant.product)
    _cart(buyer, variant)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    assert Order.objects.get(checkout=checkout).lines.get().creator_id == last.pk
    old = UserFactory()
    TagClick.objects.all().delete()
    note = NoteFactory(author=old)
    click = TagClick.objects.create(user=buyer, note=note, product=variant.product)
    TagClick.objects.filter(pk=click.pk).update(created_at=timezone.now() - timedelta(days=30))
    _cart(buyer, variant)
    checkout = services.checkout_submit(buyer=buyer, key="k2", address_id=address(buyer).pk)
    assert Order.objects.get(checkout=checkout).lines.get().creator_id is None


def test_no_commission_on_ones_own_purchase() -> None:
    creator = UserFactory()
    variant = product(shop())
    note = NoteFactory(author=creator)
    NoteProductTag.objects.create(note=note, product=variant.product)
    _cart(creator, variant, note=note)
    checkout = services.checkout_submit(buyer=creator, key="k", address_id=address(creator).pk)
    line = Order.objects.get(checkout=checkout).lines.get()
    assert line.creator_id is None and line.commission_bps == 0


def test_full_lifecycle_with_audit_rows_and_notifications() -> None:
    buyer = UserFactory()
    tea = shop()
    _cart(buyer, product(tea))
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    pay(checkout.payment)
    order = Order.objects.get(checkout=checkout)
    with pytest.raises(InvalidInput):
        services.order_ship(actor=tea.owner, order=order, carrier="SF", tracking_number="")
    services.order_ship(actor=tea.owner, order=order, carrier="SF Express", tracking_number="SF123")
    assert Notification.objects.filter(recipient=buyer, target=f"order:{order.pk}:shipped").exists()
    with pytest.raises(Conflict) as err:
        services.order_ship(actor=tea.owner, order=order, carrier="SF", tracking_number="SF1")
    assert err.value.code == "invalid_transition"
    services.order_confirm_delivery(actor=buyer, order=order)
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=8))
    assert services.orders_complete_delivered() == 1
    order.refresh_from_db()
    assert order.status == states.COMPLETED
    moves = list(OrderTransition.objects.filter(order=order, field="status").values_list("src", "dst"))
    assert moves == [
        ("pending_payment", "paid"),
        ("paid", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
    ]


def test_an_expired_hold_cancels_the_order_releases_stock_and_a_late_payment_is_refunded(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    buyer = UserFactory()
    variant = product(shop(), stock=3)
    _cart(buyer, variant, 2)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    payment = checkout.payment
    from haven.payments.services import payment_start

    payment_start(payment=payment)
    assert services.orders_expire_unpaid(now=timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_expire_unpaid(now=timezone.now() + timedelta(hours=1)) == 1
    order = Order.objects.get(checkout=checkout)
    assert (order.status, order.payment_status) == (states.CANCELLED, states.VOIDED)
    assert Variant.objects.get(pk=variant.pk).stock == 3
    payment.refresh_from_db()
    assert payment.status == "cancelled" and FAKE.cancelled == [payment.pk]
    assert services.orders_expire_unpaid(now=timezone.now() + timedelta(hours=1)) == 0
    # The money arrives anyway (the buyer's bank was slow): the order stays cancelled, the money goes back.
    Payment.objects.filter(pk=payment.pk).update(status="processing")
    with django_capture_on_commit_callbacks(execute=True):
        assert pay(payment) == "applied"
    order.refresh_from_db()
    assert order.status == states.CANCELLED
    assert FAKE.refunds == [(payment.pk, order.total, f"late:{order.pk}")]


def test_cancel_before_payment_and_after_payment() -> None:
    buyer = UserFactory()
    tea = shop()
    variant = product(tea, stock=4)
    _cart(buyer, variant, 1)
    unpaid = Order.objects.get(
        checkout=services.checkout_submit(buyer=buyer, key="a", address_id=address(buyer).pk)
    )
    services.order_cancel(actor=buyer, order=unpaid, reason="changed my mind")
    assert Variant.objects.get(pk=variant.pk).stock == 4
    _cart(buyer, variant, 2)
    checkout = services.checkout_submit(buyer=buyer, key="b", address_id=address(buyer).pk)
    pay(checkout.payment)
    paid = Order.objects.get(checkout=checkout)
    services.order_cancel(actor=tea.owner, order=paid, reason="out of stock in the warehouse")
    paid.refresh_from_db()
    assert (paid.status, paid.payment_status, paid.refunded_amount) == (
        states.CANCELLED,
        states.REFUNDED,
        paid.total,
    )
    assert Variant.objects.get(pk=variant.pk).stock == 4
    assert services.ledger_totals(reference=f"order:{paid.pk}") == {"provider": 0, "platform": 0, "shop": 0}


def test_partial_refunds_add_up_and_cannot_exceed_the_order() -> None:
    buyer = UserFactory()
    tea = shop(shipping=0)
    variant = product(tea, price=999, commission_bps=333)
    creator = UserFactory()
    note = NoteFactory(author=creator)
    NoteProductTag.objects.create(note=note, product=variant.product)
    _cart(buyer, variant, 3, note=note)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    pay(checkout.payment)
    order = Order.objects.get(checkout=checkout)
    services.order_refund(actor=tea.owner, order=order, amount=1000, key="r1")
    order = services.order_refund(
        actor=tea.owner, order=order, amount=1000, key="r1"
    )  # a retry: no second refund
    assert order.refunded_amount == 1000 and len(FAKE.refunds) == 1
    with pytest.raises(InvalidInput) as err:
        services.order_refund(actor=tea.owner, order=order, amount=order.total, key="r2")
    assert err.value.code == "refund_too_large"
    services.order_refund(actor=tea.owner, order=order, amount=order.total - 1000, key="r3", restock=True)
    order.refresh_from_db()
    assert order.payment_status == states.REFUNDED
    totals = services.ledger_totals(reference=f"order:{order.pk}")
    assert set(totals.values()) == {0}
    assert LedgerEntry.objects.filter(reference=f"order:{order.pk}", kind="refund").count() >= 6


def test_nobody_holds_more_than_a_few_unpaid_checkouts(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HAVEN_MAX_UNPAID_CHECKOUTS = 2
    buyer = UserFactory()
    home = address(buyer)
    variant = product(shop(), stock=None)
    for n in range(2):
        _cart(buyer, variant)
        services.checkout_submit(buyer=buyer, key=f"k{n}", address_id=home.pk)
    _cart(buyer, variant)
    with pytest.raises(RateLimited) as err:
        services.checkout_submit(buyer=buyer, key="k2", address_id=home.pk)
    assert err.value.code == "too_many_unpaid_orders"
    assert services.checkout_submit(buyer=buyer, key="k1", address_id=home.pk)  # a retry still replays
    pay(Checkout.objects.get(idempotency_key="k0").payment)
    assert services.checkout_submit(buyer=buyer, key="k2", address_id=home.pk)


def test_a_production_instance_on_the_sandbox_takes_no_orders(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HAVEN_PRODUCTION = True
    settings.HAVEN_PAYMENTS_PROVIDER = "sandbox"
    buyer = UserFactory()
    _cart(buyer, product(shop()))
    with pytest.raises(ServiceUnavailable) as err:
        services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    assert err.value.code == "payments_not_configured"
    settings.HAVEN_PAYMENTS_SANDBOX_IN_PRODUCTION = True  # a public demo says so explicitly
    assert services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)


def test_a_shop_owner_earns_commission_on_sales_through_their_own_note() -> None:
    buyer = UserFactory()
    tea = shop()
    variant = product(tea, price=10000, commission_bps=2000)
    note = NoteFactory(author=tea.owner)
    NoteProductTag.objects.create(note=note, product=variant.product)
    _cart(buyer, variant, note=note)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=address(buyer).pk)
    pay(checkout.payment)
    order = Order.objects.get(checkout=checkout)
    assert order.lines.get().creator_id == tea.owner_id
    assert services.ledger_totals(reference=f"order:{order.pk}")["creator"] == -2000


def test_a_note_the_buyer_cannot_see_credits_nobody() -> None:
    buyer, creator = UserFactory(), UserFactory()
    variant = product(shop())
    hidden = NoteFactory(author=creator, visibility="private")
    NoteProductTag.objects.create(note=hidden, product=variant.product)
    item = _cart(buyer, variant, note=hidden)
    assert item.note_id is None
