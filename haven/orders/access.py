"""Who may see or act on an order: the buyer, the shop's staff and operators; nobody else (rule 3)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from haven.core.errors import NotFound
from haven.orders.models import Address, Order
from haven.shops.access import FULFIL, MANAGE, is_operator, staff_role


def orders_visible_to(viewer: Any) -> QuerySet[Order]:
    """Every order `viewer` may read: their purchases and their shops' sales (operators: all)."""
    if not getattr(viewer, "is_authenticated", False):
        return Order.objects.none()
    if is_operator(viewer):
        return Order.objects.all()
    return Order.objects.filter(Q(buyer=viewer) | Q(shop__staff__user=viewer)).distinct()


def can_view(viewer: Any, order: Order) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    return order.buyer_id == viewer.pk or is_operator(viewer) or staff_role(viewer, order.shop_id) is not None


def visible_order_or_404(viewer: Any, order_id: Any) -> Order:
    """The order `viewer` may see (by id or number); missing and forbidden look the same."""
    query = Order.objects.select_related("shop")
    text = str(order_id)
    order = query.filter(pk=int(text)).first() if text.isdigit() else query.filter(number=text[:20]).first()
    if order is None or not can_view(viewer, order):
        raise NotFound()
    return order


def bought_order_or_404(buyer: Any, order_id: Any) -> Order:
    """An order `buyer` placed (for buyer-only actions: confirm delivery, cancel before payment)."""
    order = visible_order_or_404(buyer, order_id)
    if order.buyer_id != getattr(buyer, "pk", None):
        raise NotFound()
    return order


def sold_order_or_404(user: Any, order_id: Any, *, manage: bool = False) -> Order:
    """An order of a shop `user` works in (fulfilment roles ship; `manage` roles refund and cancel)."""
    order = visible_order_or_404(user, order_id)
    if is_operator(user):
        return order
    role = staff_role(user, order.shop_id)
    if role is None or role not in (MANAGE if manage else FULFIL):
        raise NotFound()
    return order


def own_address_or_404(user: Any, address_id: Any) -> Address:
    address = (
        Address.objects.filter(pk=int(address_id), user=user).first() if str(address_id).isdigit() else None
    )
    if address is None:
        raise NotFound()
    return address
