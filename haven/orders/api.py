"""JSON API of orders (mounted under /api/v1/orders/ in config.api): address book, cart, checkout with a
required Idempotency-Key, the caller's purchases, a shop's sales, one order and its actions.

Each endpoint parses, checks access, and calls one service or selector. Someone else's order is 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.openapi import errors
from haven.orders import access, selectors, services, states
from haven.orders.models import Checkout, Order
from haven.orders.schemas import (
    KEY_PATTERN,
    MAX_ID,
    NUMBER_MAX,
    AddressIn,
    AddressOut,
    AddressPatch,
    CancelIn,
    CartItemIn,
    CartItemPatch,
    CartOut,
    CheckoutIn,
    CheckoutOut,
    ListQuery,
    OrderDetailOut,
    OrderPageOut,
    RefundIn,
    SalesQuery,
    ShipIn,
    address_out,
    cart_out,
    checkout_out,
    order_detail_out,
    order_out,
)
from haven.payments.selectors import pay_url
from haven.shops import access as shops_access

router = Router(tags=["orders"])
Id = Path(..., ge=1, le=MAX_ID)
Number = Path(..., min_length=1, max_length=NUMBER_MAX)
KEY_HEADER = "Idempotency-Key"
#: Refusals that depend on the cart's state rather than on the request: 409, like out_of_stock.
STATE_CODES = frozenset({"cart_empty", "address_required", "not_shipped_to_country"})


def _key_header(description: str) -> dict[str, Any]:
    """Documents the Idempotency-Key header as required; the endpoint reads it itself, so a missing or
    malformed key is the stable 400 idempotency_key_required / invalid_idempotency_key, not a 422."""
    return {
        "parameters": [
            {
                "in": "header",
                "name": KEY_HEADER,
                "required": True,
                "description": description,
                "schema": {"type": "string", "pattern": KEY_PATTERN, "maxLength": 100},
            }
        ]
    }


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _key(request: HttpRequest) -> str | None:
    value = request.headers.get(KEY_HEADER)
    return value[:101] if value else None


# ---------------------------------------------------------------------------------------------------
# Addresses


@router.get("/addresses", response=list[AddressOut], summary="My address book (at most 10)")
def list_addresses(request: HttpRequest) -> list[dict[str, Any]]:
    return [address_out(a) for a in selectors.addresses(_user(request))]


@router.post("/addresses", response={201: AddressOut, **errors(409)}, summary="Add an address")
def create_address(request: HttpRequest, payload: AddressIn) -> Status[Any]:
    address = services.address_create(user=_user(request), data=payload.dict())
    return Status(201, address_out(address))


@router.patch("/addresses/{address_id}", response=AddressOut, summary="Change an address")
def update_address(request: HttpRequest, payload: AddressPatch, address_id: int = Id) -> dict[str, Any]:
    address = access.own_address_or_404(_user(request), address_id)
    data = {**address.snapshot(), **payload.dict(exclude_unset=True, exclude_none=True)}
    return address_out(services.address_update(address=address, data=data))


@router.delete("/addresses/{address_id}", response={204: None}, summary="Delete an address")
def delete_address(request: HttpRequest, address_id: int = Id) -> Status[None]:
    services.address_delete(address=access.own_address_or_404(_user(request), address_id))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------------
# Cart


@router.get("/cart", response=CartOut, summary="My cart, grouped by shop, with totals per currency")
def get_cart(request: HttpRequest) -> dict[str, Any]:
    return cart_out(selectors.cart(_user(request)))


@router.post("/cart/items", response={201: CartOut, **errors(404, 409)}, summary="Add a variant to my cart")
def add_item(request: HttpRequest, payload: CartItemIn) -> Status[Any]:
    user = _user(request)
    services.cart_add(
        user=user, variant_id=payload.variant_id, quantity=payload.quantity, note_id=payload.note_id
    )
    return Status(201, cart_out(selectors.cart(user)))


@router.patch("/cart/items/{item_id}", response=CartOut, summary="Change a line's quantity (0 removes it)")
def update_item(request: HttpRequest, payload: CartItemPatch, item_id: int = Id) -> dict[str, Any]:
    user = _user(request)
    services.cart_set_quantity(user=user, item_id=item_id, quantity=payload.quantity)
    return cart_out(selectors.cart(user))


@router.delete("/cart/items/{item_id}", response={204: None}, summary="Remove a line")
def delete_item(request: HttpRequest, item_id: int = Id) -> Status[None]:
    services.cart_remove(user=_user(request), item_id=item_id)
    return Status(204, None)


# ---------------------------------------------------------------------------------------------------
# Checkout


def _checkout_body(viewer: Any, checkout: Checkout) -> dict[str, Any]:
    orders = list(
        Order.objects.filter(checkout=checkout)
        .select_related("shop")
        .prefetch_related("lines")
        .order_by("pk")
    )
    return checkout_out(viewer, checkout, orders, pay_url(checkout.payment) if checkout.payment else None)


@router.post(
    "/checkout",
    response={200: CheckoutOut, 201: CheckoutOut, **errors(409)},
    summary="Check out the cart (one currency): one order per shop and one payment",
    description=(
        "Requires an `Idempotency-Key` header (1-100 visible ASCII characters; 400 "
        "idempotency_key_required without it). A retry with the same key and body returns the same "
        "checkout with 200; the same key with another body is 409 idempotency_key_reused. Other 409 codes: "
        "cart_empty, address_required, out_of_stock, item_unavailable, not_shipped_to_country. "
        "Open `pay_url` to pay; unpaid orders hold their stock for HAVEN_CHECKOUT_HOLD_MINUTES."
    ),
    openapi_extra=_key_header("Makes a retried checkout return the first one instead of a second"),
)
def checkout(request: HttpRequest, payload: CheckoutIn) -> Status[Any]:
    user = _user(request)
    key = _key(request)
    replay = bool(key) and Checkout.objects.filter(buyer=user, idempotency_key=key).exists()
    try:
        made = services.checkout_submit(
            buyer=user, key=key, address_id=payload.address_id, currency=payload.currency
        )
    except InvalidInput as exc:
        if exc.code in STATE_CODES:
            raise Conflict(exc.message, code=exc.code, details=exc.details) from exc
        raise
    return Status(200 if replay else 201, _checkout_body(user, made))


# ---------------------------------------------------------------------------------------------------
# Orders


@router.get("", response=OrderPageOut, summary="My purchases, newest first")
def my_orders(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    viewer = _user(request)
    page = selectors.orders_bought(viewer, status=query.status, cursor=query.cursor, limit=query.limit)
    return {"items": [order_out(viewer, o) for o in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/sales", response={200: OrderPageOut, **errors(404)}, summary="A shop's orders (its staff and operators)"
)
def sales(request: HttpRequest, query: Query[SalesQuery]) -> dict[str, Any]:
    viewer = _user(request)
    shop = shops_access.staff_shop_or_404(viewer, query.shop_id, roles=shops_access.FULFIL)
    page = selectors.orders_sold(shop, status=query.status, cursor=query.cursor, limit=query.limit)
    return {"items": [order_out(viewer, o) for o in page.items], "next_cursor": page.next_cursor}


def _detail(viewer: Any, order: Order) -> dict[str, Any]:
    page = selectors.order_page(viewer, order)
    return order_detail_out(viewer, page, pay_url(page.payment) if page.can_pay else None)


@router.get(
    "/{number}", response=OrderDetailOut, summary="One order (its buyer, its shop's staff, operators)"
)
def get_order(request: HttpRequest, number: str = Number) -> dict[str, Any]:
    viewer = _user(request)
    return _detail(viewer, access.visible_order_or_404(viewer, number))


@router.post(
    "/{number}/ship",
    response={200: OrderDetailOut, **errors(409)},
    summary="Seller: hand a paid order to a carrier",
)
def ship(request: HttpRequest, payload: ShipIn, number: str = Number) -> dict[str, Any]:
    viewer = _user(request)
    order = access.sold_order_or_404(viewer, number)
    services.order_ship(
        actor=viewer, order=order, carrier=payload.carrier, tracking_number=payload.tracking_number
    )
    return _detail(viewer, order)


@router.post(
    "/{number}/confirm-delivery",
    response={200: OrderDetailOut, **errors(409)},
    summary="Buyer: the shipped order arrived",
)
def confirm_delivery(request: HttpRequest, number: str = Number) -> dict[str, Any]:
    viewer = _user(request)
    order = access.visible_order_or_404(viewer, number)
    if order.buyer_id != viewer.pk and not shops_access.is_operator(viewer):
        raise NotFound()
    services.order_confirm_delivery(actor=viewer, order=order)
    return _detail(viewer, order)


@router.post(
    "/{number}/cancel",
    response={200: OrderDetailOut, **errors(409)},
    summary="Cancel: the buyer before payment; the shop's managers before shipping (refunded in full)",
)
def cancel(request: HttpRequest, payload: CancelIn, number: str = Number) -> dict[str, Any]:
    viewer = _user(request)
    order = access.visible_order_or_404(viewer, number)
    if not (order.buyer_id == viewer.pk and order.status == states.PENDING_PAYMENT):
        order = access.sold_order_or_404(viewer, number, manage=True)
    services.order_cancel(actor=viewer, order=order, reason=payload.reason, key=_key(request) or "")
    return _detail(viewer, order)


@router.post(
    "/{number}/refund",
    response={200: OrderDetailOut, **errors(409)},
    summary="Seller (managers): refund part or all of a paid order, once per Idempotency-Key",
    openapi_extra=_key_header("A retried refund with the same key is made once"),
)
def refund(request: HttpRequest, payload: RefundIn, number: str = Number) -> dict[str, Any]:
    viewer = _user(request)
    order = access.sold_order_or_404(viewer, number, manage=True)
    services.order_refund(
        actor=viewer,
        order=order,
        amount=payload.amount,
        key=_key(request) or "",
        reason=payload.reason,
        restock=payload.restock,
    )
    return _detail(viewer, order)
