"""Purchases to review: an order line bought through checkout and the fake provider, shipped and
(optionally) delivered through the orders services."""

from __future__ import annotations

from typing import Any

from haven.accounts.tests.factories import UserFactory
from haven.media.tests.factories import MediaImageFactory
from haven.orders import services as orders
from haven.orders.models import Order, OrderLine
from haven.orders.tests.world import address, pay, product, shop

_keys = iter(range(1, 10**9))


def bought(buyer: Any = None, *, variant: Any = None, deliver: bool = True, ship: bool = True) -> OrderLine:
    """One line of a paid order of `buyer` (new member by default), shipped and delivered by default."""
    buyer = buyer or UserFactory()
    variant = variant or product(shop())
    orders.cart_add(user=buyer, variant_id=variant.pk, quantity=1)
    checkout = orders.checkout_submit(buyer=buyer, key=f"k{next(_keys)}", address_id=address(buyer).pk)
    pay(checkout.payment)
    order = Order.objects.select_related("shop").get(checkout=checkout)
    if ship:
        orders.order_ship(actor=order.shop.owner, order=order, carrier="SF", tracking_number="SF1")
        if deliver:
            orders.order_confirm_delivery(actor=buyer, order=order)
    return order.lines.select_related("order", "product").get()


def photos(owner: Any, n: int = 1) -> list[int]:
    return [
        MediaImageFactory(owner=owner, state="ready", grid_path=f"r/{owner.pk}-{i}.webp").pk for i in range(n)
    ]
