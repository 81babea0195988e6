"""Orders' entries in the personal-data registry (core.personal_data).

Export: the member's address book, cart, and the orders they bought (shop, number, statuses, lines,
totals, shipping address snapshot, tracking, dates) with the checkouts that placed them.

Erasure: addresses and cart lines are deleted. Orders and checkouts are the shops' accounting records
(tax and bookkeeping law: a legal-retention exception, listed through `kept`): they stay, with the
buyer set to null and the order's shipping address snapshot blanked. Order lines stay without the
creator a line's commission was credited to; the orders' audit rows stay without who acted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.orders.models import Address, CartItem, Checkout, Order, OrderLine, OrderTransition

SECTION = "orders"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_addresses(user: Any) -> Iterator[dict[str, Any]]:
    for address in Address.objects.filter(user_id=user.pk).order_by("pk"):
        yield {
            "id": address.pk,
            **address.snapshot(),
            "is_default": address.is_default,
            "created_at": _iso(address.created_at),
        }


def export_cart(user: Any) -> Iterator[dict[str, Any]]:
    rows = CartItem.objects.filter(user_id=user.pk).select_related("variant__product").order_by("pk")
    for item in rows:
        yield {
            "id": item.pk,
            "product_id": item.variant.product_id,
            "product": item.variant.product.title,
            "variant_id": item.variant_id,
            "sku": item.variant.sku,
            "quantity": item.quantity,
            "from_note_id": item.note_id,
            "added_at": _iso(item.added_at),
        }


def export_orders(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        Order.objects.filter(buyer_id=user.pk)
        .select_related("shop")
        .prefetch_related("lines", "transitions")
        .order_by("pk")
    )
    for order in rows.iterator(chunk_size=100):
        yield {
            "number": order.number,
            "checkout_id": order.checkout_id,
            "shop": order.shop.slug,
            "shop_name": order.shop.name,
            "status": order.status,
            "payment_status": order.payment_status,
            "currency": order.currency,
            "subtotal": order.subtotal,
            "shipping": order.shipping,
            "total": order.total,
            "refunded_amount": order.refunded_amount,
            "address": dict(order.address or {}),
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "created_at": _iso(order.created_at),
            "paid_at": _iso(order.paid_at),
            "shipped_at": _iso(order.shipped_at),
            "delivered_at": _iso(order.delivered_at),
            "completed_at": _iso(order.completed_at),
            "cancelled_at": _iso(order.cancelled_at),
            "lines": [
                {
                    "title": line.title,
                    "variant": line.variant_label,
                    "sku": line.sku,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                    "total": line.total,
                    "product_id": line.product_id,
                    "from_note_id": line.note_id,
                }
                for line in order.lines.all()
            ],
            "history": [
                {"field": t.field, "from": t.src, "to": t.dst, "reason": t.reason, "at": _iso(t.created_at)}
                for t in order.transitions.all()
            ],
        }


def export_checkouts(user: Any) -> Iterator[dict[str, Any]]:
    for checkout in Checkout.objects.filter(buyer_id=user.pk).order_by("pk"):
        yield {
            "id": checkout.pk,
            "currency": checkout.currency,
            "total": checkout.total,
            "payment_id": checkout.payment_id,
            "created_at": _iso(checkout.created_at),
        }


def erase_orders(user: Any) -> int:
    """Keep the orders for the shops' books, without the buyer and their address (idempotent)."""
    return int(Order.objects.filter(buyer_id=user.pk).update(buyer=None, address={}))


def erase_checkouts(user: Any) -> int:
    return int(Checkout.objects.filter(buyer_id=user.pk).update(buyer=None))


def erase_line_creators(user: Any) -> int:
    return int(OrderLine.objects.filter(creator_id=user.pk).update(creator=None))


def erase_transition_actors(user: Any) -> int:
    return int(OrderTransition.objects.filter(actor_id=user.pk).update(actor=None))


def register_all() -> None:
    personal_data.register(
        Address,
        section=SECTION,
        owner_fields=("user",),
        personal_fields=("name", "line1", "line2", "city", "region", "postal_code", "country", "phone"),
        exporter=export_addresses,
        eraser=personal_data.rows_deleter(Address),
        order=70,
    )
    personal_data.register(
        CartItem,
        section=SECTION,
        owner_fields=("user",),
        exporter=export_cart,
        eraser=personal_data.rows_deleter(CartItem),
        order=70,
    )
    personal_data.register(
        Order,
        section=SECTION,
        owner_fields=("buyer",),
        personal_fields=("address",),
        exporter=export_orders,
        eraser=erase_orders,
        kept=(
            "Orders you placed stay in the shops' accounts as tax and bookkeeping law requires, without "
            "your account and with the shipping address removed (items, amounts, statuses, dates)."
        ),
        order=75,
    )
    personal_data.register(
        Checkout,
        section=SECTION,
        owner_fields=("buyer",),
        exporter=export_checkouts,
        eraser=erase_checkouts,
        kept="Checkouts (the one payment of a cart's orders) stay with those orders, without your account.",
        order=75,
    )
    personal_data.register(
        OrderLine,
        section=SECTION,
        owner_fields=(),
        other_user_fields=("creator",),
        exporter=None,  # exported inside each order ("lines"); creators see theirs in earnings
        eraser=erase_line_creators,
        kept="Order lines stay in the shops' accounts without the creator whose note led to the sale.",
        order=75,
    )
    personal_data.register(
        OrderTransition,
        section=SECTION,
        owner_fields=(),
        other_user_fields=("actor",),
        exporter=None,  # exported inside each order ("history")
        eraser=erase_transition_actors,
        kept="An order's history stays with the order, without who acted in it.",
        order=75,
    )
