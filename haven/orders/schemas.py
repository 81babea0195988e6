"""Schemas of the orders API: every field bounded (lengths, list sizes, id and amount ranges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from haven.catalog.models import QUANTITY_MAX
from haven.core.money import AMOUNT_MAX, format_money
from haven.orders import selectors
from haven.orders.models import (
    CARRIER_MAX,
    CITY_MAX,
    LINE_MAX,
    NAME_MAX,
    PHONE_MAX,
    POSTAL_MAX,
    REASON_MAX,
    TRACKING_MAX,
    Address,
    Checkout,
    Order,
    OrderTransition,
)

MAX_ID = 2**63 - 1
CURSOR_MAX = 2000
NUMBER_MAX = 20
#: Required address fields need something besides spaces; countries are two letters.
_CTRL = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f"  # what the input guard refuses
SOME_TEXT = f"^[^{_CTRL}]*[^\\s{_CTRL}][^{_CTRL}]*$"
COUNTRY = r"^[A-Za-z]{2}$"
#: What services accept as an Idempotency-Key (documented on the operations that take one).
KEY_PATTERN = r"^[!-~]{1,100}$"
StatusFilter = Literal["pending_payment", "paid", "shipped", "delivered", "completed", "cancelled"]


# ---------------------------------------------------------------------------------------------------
# Addresses


class AddressIn(Schema):
    name: str = Field(..., min_length=1, pattern=SOME_TEXT, max_length=NAME_MAX)
    line1: str = Field(..., min_length=1, pattern=SOME_TEXT, max_length=LINE_MAX)
    line2: str = Field("", max_length=LINE_MAX)
    city: str = Field(..., min_length=1, pattern=SOME_TEXT, max_length=CITY_MAX)
    region: str = Field("", max_length=CITY_MAX)
    postal_code: str = Field("", max_length=POSTAL_MAX)
    country: str = Field(..., min_length=2, max_length=2, pattern=COUNTRY, description="ISO 3166-1 alpha-2")
    phone: str = Field("", max_length=PHONE_MAX)
    is_default: bool = False


class AddressPatch(Schema):
    """Fields left out stay as they are."""

    name: str | None = Field(None, min_length=1, pattern=SOME_TEXT, max_length=NAME_MAX)
    line1: str | None = Field(None, min_length=1, pattern=SOME_TEXT, max_length=LINE_MAX)
    line2: str | None = Field(None, max_length=LINE_MAX)
    city: str | None = Field(None, min_length=1, pattern=SOME_TEXT, max_length=CITY_MAX)
    region: str | None = Field(None, max_length=CITY_MAX)
    postal_code: str | None = Field(None, max_length=POSTAL_MAX)
    country: str | None = Field(None, min_length=2, max_length=2, pattern=COUNTRY)
    phone: str | None = Field(None, max_length=PHONE_MAX)
    is_default: bool | None = None


class AddressOut(Schema):
    id: int
    name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str
    is_default: bool


def address_out(address: Address) -> dict[str, Any]:
    return {"id": address.pk, **address.snapshot(), "is_default": address.is_default}


# ---------------------------------------------------------------------------------------------------
# Cart


class CartItemIn(Schema):
    variant_id: int = Field(..., ge=1, le=MAX_ID)
    quantity: int = Field(1, ge=1, le=QUANTITY_MAX)
    note_id: int | None = Field(None, ge=1, le=MAX_ID, description="The note whose product tag led here")


class CartItemPatch(Schema):
    quantity: int = Field(..., ge=0, le=QUANTITY_MAX, description="0 removes the line")


class CartLineOut(Schema):
    id: int
    variant_id: int
    product_id: int
    title: str
    variant_label: str
    image_url: str
    unit_price: int
    unit_price_display: str
    quantity: int
    line_total: int
    stock: int | None = None
    available: bool
    sold_out: bool
    short: bool = Field(description="Fewer in stock than the quantity")
    note_id: int | None = None


class CartShopOut(Schema):
    id: int
    name: str
    slug: str
    logo_url: str
    currency: str
    subtotal: int
    subtotal_display: str
    lines: list[CartLineOut]


class CurrencyTotalOut(Schema):
    currency: str
    amount: int
    display: str
    items: int
    blocked: bool = Field(description="Some line cannot be bought as it is")


class CartOut(Schema):
    count: int
    shops: list[CartShopOut]
    totals: list[CurrencyTotalOut]


def cart_out(cart: selectors.Cart) -> dict[str, Any]:
    return {
        "count": cart.count,
        "shops": [
            {
                "id": s.id,
                "name": s.name,
                "slug": s.slug,
                "logo_url": s.logo_url,
                "currency": s.currency,
                "subtotal": s.subtotal,
                "subtotal_display": s.subtotal_text,
                "lines": [
                    {
                        "id": line.id,
                        "variant_id": line.variant_id,
                        "product_id": line.product_id,
                        "title": line.title,
                        "variant_label": line.variant_label,
                        "image_url": line.image_url,
                        "unit_price": line.unit_price,
                        "unit_price_display": line.unit_price_text,
                        "quantity": line.quantity,
                        "line_total": line.line_total,
                        "stock": line.stock,
                        "available": line.available,
                        "sold_out": line.sold_out,
                        "short": line.short,
                        "note_id": line.note_id,
                    }
                    for line in s.lines
                ],
            }
            for s in cart.shops
        ],
        "totals": [
            {
                "currency": t.currency,
                "amount": t.amount,
                "display": t.text,
                "items": t.items,
                "blocked": t.blocked,
            }
            for t in cart.totals
        ],
    }


# ---------------------------------------------------------------------------------------------------
# Orders


class ShopRefOut(Schema):
    id: int
    name: str
    slug: str


class OrderLineOut(Schema):
    id: int
    product_id: int | None = None
    variant_id: int | None = None
    title: str
    variant_label: str
    sku: str
    unit_price: int
    quantity: int
    total: int
    restocked_quantity: int


class OrderTransitionOut(Schema):
    field: str
    src: str
    dst: str
    reason: str
    at: datetime


class PaymentRefOut(Schema):
    id: int
    status: str
    brand: str
    last4: str


class OrderOut(Schema):
    number: str
    shop: ShopRefOut
    status: str
    payment_status: str
    currency: str
    subtotal: int
    shipping: int
    total: int
    total_display: str
    refunded_amount: int
    address: dict[str, str]
    carrier: str
    tracking_number: str
    created_at: datetime
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    is_buyer: bool = Field(description="Whether the caller bought it (else: shop staff or operator)")
    lines: list[OrderLineOut]
    url: str


class OrderDetailOut(OrderOut):
    transitions: list[OrderTransitionOut]
    payment: PaymentRefOut | None = None
    pay_url: str | None = Field(None, description="Where the buyer pays, while the order awaits payment")
    expires_at: datetime = Field(description="When an unpaid order's stock hold runs out")


class OrderPageOut(Schema):
    items: list[OrderOut]
    next_cursor: str | None = None


def order_out(viewer: Any, order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "shop": {"id": order.shop.pk, "name": order.shop.name, "slug": order.shop.slug},
        "status": order.status,
        "payment_status": order.payment_status,
        "currency": order.currency,
        "subtotal": order.subtotal,
        "shipping": order.shipping,
        "total": order.total,
        "total_display": format_money(order.total, order.currency),
        "refunded_amount": order.refunded_amount,
        "address": {str(k): str(v) for k, v in (order.address or {}).items()},
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "shipped_at": order.shipped_at,
        "delivered_at": order.delivered_at,
        "completed_at": order.completed_at,
        "cancelled_at": order.cancelled_at,
        "is_buyer": order.buyer_id is not None and order.buyer_id == getattr(viewer, "pk", None),
        "lines": [
            {
                "id": line.pk,
                "product_id": line.product_id,
                "variant_id": line.variant_id,
                "title": line.title,
                "variant_label": line.variant_label,
                "sku": line.sku,
                "unit_price": line.unit_price,
                "quantity": line.quantity,
                "total": line.total,
                "restocked_quantity": line.restocked_quantity,
            }
            for line in order.lines.all()
        ],
        "url": reverse("orders:detail", args=[order.number]),
    }


def order_detail_out(viewer: Any, page: selectors.OrderPage, pay_url: str | None) -> dict[str, Any]:
    payment = page.payment
    transitions: list[OrderTransition] = page.transitions
    return {
        **order_out(viewer, page.order),
        "transitions": [
            {"field": t.field, "src": t.src, "dst": t.dst, "reason": t.reason, "at": t.created_at}
            for t in transitions
        ],
        "payment": (
            {
                "id": payment.pk,
                "status": payment.status,
                "brand": payment.card_brand,
                "last4": payment.card_last4,
            }
            if payment is not None
            else None
        ),
        "pay_url": pay_url,
        "expires_at": page.expires_at,
    }


class ListQuery(Schema):
    status: StatusFilter | None = None
    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    limit: int = Field(20, ge=1, le=50)


class SalesQuery(ListQuery):
    shop_id: int = Field(..., ge=1, le=MAX_ID)


class CheckoutIn(Schema):
    address_id: int | None = Field(None, ge=1, le=MAX_ID, description="Required when something ships")
    currency: str | None = Field(
        None,
        min_length=3,
        max_length=3,
        pattern=r"^[A-Za-z]{3}$",
        description="Which of the cart's currencies (default: the first)",
    )


class CheckoutOut(Schema):
    id: int
    currency: str
    total: int
    total_display: str
    expires_at: datetime
    payment_id: int | None = None
    pay_url: str | None = Field(None, description="Open this to pay (the hosted payment page)")
    orders: list[OrderOut]


def checkout_out(viewer: Any, checkout: Checkout, orders: list[Order], pay_url: str | None) -> dict[str, Any]:
    return {
        "id": checkout.pk,
        "currency": checkout.currency,
        "total": checkout.total,
        "total_display": format_money(checkout.total, checkout.currency),
        "expires_at": checkout.expires_at,
        "payment_id": checkout.payment_id,
        "pay_url": pay_url,
        "orders": [order_out(viewer, o) for o in orders],
    }


class ShipIn(Schema):
    carrier: str = Field("", max_length=CARRIER_MAX)
    tracking_number: str = Field(..., min_length=1, max_length=TRACKING_MAX)


class CancelIn(Schema):
    reason: str = Field("", max_length=REASON_MAX)


class RefundIn(Schema):
    amount: int = Field(..., ge=1, le=AMOUNT_MAX, description="Minor units of the order's currency")
    reason: str = Field("", max_length=REASON_MAX)
    restock: bool = False
