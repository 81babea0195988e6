"""Orders' personal-data registrations: export (addresses, cart, orders bought with lines and history,
checkouts) and erasure (addresses and cart deleted; orders and checkouts kept without the buyer and the
address; line creators and transition actors set null), idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from haven.accounts.tests.factories import UserFactory
from haven.core import personal_data
from haven.notes.tests.factories import NoteFactory
from haven.orders import services
from haven.orders.models import Address, CartItem, Checkout, Order, OrderLine, OrderTransition
from haven.orders.tests.world import address, pay, product, shop

pytestmark = pytest.mark.django_db
MODELS = (Address, CartItem, Checkout, Order, OrderLine, OrderTransition)


def _mine() -> list[personal_data.Registration]:
    return [r for r in personal_data.registrations() if r.model in MODELS]


def _export(user: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in _mine():
        if r.exporter is not None:
            out.setdefault(r.model.__name__, []).extend(r.exporter(user))
    return out


def _erase(user: Any) -> None:
    for r in _mine():
        assert r.eraser is not None
        r.eraser(user)


def test_every_orders_model_is_registered_and_kept_records_say_why() -> None:
    for model in MODELS:
        registration = personal_data.registration_for(model)
        assert registration is not None, model
    for model in (Order, Checkout, OrderLine, OrderTransition):
        assert personal_data.registration_for(model).kept  # type: ignore[union-attr]


def test_export_and_erasure() -> None:
    buyer, creator = UserFactory(), UserFactory()
    tea = shop()
    variant = product(tea, price=5000, title="Oolong tea")
    home = address(buyer)
    note = NoteFactory(author=creator)
    from haven.catalog.models import NoteProductTag

    NoteProductTag.objects.create(note=note, product=variant.product)
    services.cart_add(user=buyer, variant_id=variant.pk, quantity=2, note_id=note.pk)
    checkout = services.checkout_submit(buyer=buyer, key="k", address_id=home.pk)
    assert checkout.payment is not None
    pay(checkout.payment)
    order = Order.objects.get(checkout=checkout)
    services.order_ship(actor=tea.owner, order=order, carrier="SF", tracking_number="SF1")
    services.cart_add(user=buyer, variant_id=product(tea).pk)

    exported = _export(buyer)
    assert exported["Address"][0]["city"] == "Hangzhou"
    assert len(exported["CartItem"]) == 1
    row = exported["Order"][0]
    assert row["number"] == order.number and row["status"] == "shipped" and row["total"] == order.total
    assert row["lines"][0]["title"] == "Oolong tea" and row["lines"][0]["quantity"] == 2
    assert row["address"]["city"] == "Hangzhou" and row["tracking_number"] == "SF1"
    assert [h["to"] for h in row["history"]][-1] == "shipped"
    assert exported["Checkout"][0]["total"] == checkout.total
    assert _export(UserFactory()) == {"Address": [], "CartItem": [], "Order": [], "Checkout": []}

    _erase(buyer)
    _erase(buyer)  # idempotent
    assert (
        not Address.objects.filter(user=buyer).exists() and not CartItem.objects.filter(user=buyer).exists()
    )
    order.refresh_from_db()
    assert order.buyer_id is None and order.address == {} and order.total == row["total"]
    assert Checkout.objects.get(pk=checkout.pk).buyer_id is None
    assert OrderLine.objects.get(order=order).creator_id == creator.pk  # another member's credit stays

    _erase(creator)
    assert OrderLine.objects.get(order=order).creator_id is None
    _erase(tea.owner)
    assert not OrderTransition.objects.filter(actor=tea.owner).exists()
    assert OrderTransition.objects.filter(order=order, dst="shipped").exists()
