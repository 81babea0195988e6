"""Reads of orders: the cart grouped by shop, checkout previews, order lists and order pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from haven.catalog.models import QUANTITY_MAX, Product, ProductImage
from haven.core.money import format_money
from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor, invalid_cursor
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.orders import states
from haven.orders.access import orders_visible_to
from haven.orders.models import Address, CartItem, Checkout, Order, OrderLine, OrderTransition
from haven.shops.models import Shop
from haven.shops.selectors import logo_url, shipping_quote

MINE_SCOPE = "orders.mine"
SALES_SCOPE = "orders.sales"
#: Status filters offered on the order lists ("" = all).
STATUS_FILTERS = ("", *[s for s, _label in Order.Status.choices])


def money(amount: int, currency: str) -> str:
    return format_money(amount, currency)


def cart_count(user: Any) -> int:
    """How many items (sum of quantities) are in `user`'s cart: the badge on commerce pages."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(CartItem.objects.filter(user=user).values_list("quantity", flat=True))


def _covers(product_ids: Iterable[int]) -> dict[int, MediaImage]:
    """Each product's first image (one query)."""
    covers: dict[int, MediaImage] = {}
    ids = [pk for pk in set(product_ids) if pk]
    if not ids:
        return covers
    for row in (
        ProductImage.objects.filter(product_id__in=ids).select_related("image").order_by("position", "id")
    ):
        covers.setdefault(row.product_id, row.image)
    return covers


def _cover_url(covers: dict[int, MediaImage], product_id: int | None) -> str:
    image = covers.get(product_id or 0)
    return rendition_url(image, "grid") if image is not None else ""


# ---------------------------------------------------------------------------------------------------
# The cart


@dataclass
class CartLine:
    id: int
    variant_id: int
    product_id: int
    title: str
    variant_label: str
    image_url: str
    url: str
    currency: str
    unit_price: int
    quantity: int
    stock: int | None
    available: bool  # on sale (product active, variant active, shop open)
    sold_out: bool
    short: bool  # in stock but fewer than the quantity asked for
    max_quantity: int
    is_digital: bool
    note_id: int | None

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def unit_price_text(self) -> str:
        return money(self.unit_price, self.currency)

    @property
    def line_total_text(self) -> str:
        return money(self.line_total, self.currency)

    @property
    def buyable(self) -> bool:
        return self.available and not self.sold_out and not self.short


@dataclass
class CartShop:
    id: int
    name: str
    slug: str
    logo_url: str
    currency: str
    lines: list[CartLine] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("shops:shop", args=[self.slug])

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def subtotal_text(self) -> str:
        return money(self.subtotal, self.currency)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass
class CurrencyTotal:
    currency: str
    amount: int
    items: int
    blocked: bool  # some line in this currency cannot be bought as it is

    @property
    def text(self) -> str:
        return money(self.amount, self.currency)


@dataclass
class Cart:
    shops: list[CartShop]
    totals: list[CurrencyTotal]

    @property
    def count(self) -> int:
        return sum(s.item_count for s in self.shops)

    @property
    def lines(self) -> list[CartLine]:
        return [line for s in self.shops for line in s.lines]

    @property
    def empty(self) -> bool:
        return not self.shops


def cart(user: Any, *, currency: str | None = None) -> Cart:
    """`user`'s cart grouped by shop (newest shop first), with per-currency totals. Two queries."""
    items = list(
        CartItem.objects.filter(user=user)
        .select_related("variant__product__shop__logo")
        .order_by("-added_at", "-id")
    )
    if currency:
        items = [i for i in items if i.variant.product.shop.currency == currency]
    covers = _covers(i.variant.product_id for i in items)
    shops: dict[int, CartShop] = {}
    for item in items:
        variant = item.variant
        product = variant.product
        shop = product.shop
        group = shops.get(shop.pk)
        if group is None:
            group = shops[shop.pk] = CartShop(
                id=shop.pk, name=shop.name, slug=shop.slug, logo_url=logo_url(shop), currency=shop.currency
            )
        available = variant.is_active and product.status == Product.Status.ACTIVE and shop.status == "active"
        sold_out = variant.stock is not None and variant.stock < 1
        group.lines.append(
            CartLine(
                id=item.pk,
                variant_id=variant.pk,
                product_id=product.pk,
                title=product.title,
                variant_label=variant.label,
                image_url=_cover_url(covers, product.pk),
                url=reverse("catalog:detail", args=[product.pk]),
                currency=shop.currency,
                unit_price=variant.price,
                quantity=item.quantity,
                stock=variant.stock,
                available=available,
                sold_out=sold_out,
                short=not sold_out and variant.stock is not None and variant.stock < item.quantity,
                max_quantity=QUANTITY_MAX
                if variant.stock is None
                else max(1, min(QUANTITY_MAX, variant.stock)),
                is_digital=product.is_digital,
                note_id=item.note_id,
            )
        )
    totals: dict[str, CurrencyTotal] = {}
    for group in shops.values():
        total = totals.setdefault(group.currency, CurrencyTotal(group.currency, 0, 0, False))
        total.amount += group.subtotal
        total.items += group.item_count
        total.blocked = total.blocked or any(not line.buyable for line in group.lines)
    return Cart(shops=list(shops.values()), totals=list(totals.values()))


# ---------------------------------------------------------------------------------------------------
# Checkout preview


@dataclass
class ShopQuote:
    shop: CartShop
    shipping: int | None  # None: the shop does not ship to the address's country
    needs_address: bool

    @property
    def ships(self) -> bool:
        return self.shipping is not None

    @property
    def shipping_text(self) -> str:
        return money(self.shipping or 0, self.shop.currency)

    @property
    def total(self) -> int:
        return self.shop.subtotal + (self.shipping or 0)

    @property
    def total_text(self) -> str:
        return money(self.total, self.shop.currency)


@dataclass
class CheckoutPreview:
    currency: str
    quotes: list[ShopQuote]
    needs_address: bool
    blocked: bool  # something cannot be bought as it is (sold out, unavailable, not shipped there)

    @property
    def total(self) -> int:
        return sum(q.total for q in self.quotes)

    @property
    def total_text(self) -> str:
        return money(self.total, self.currency)

    @property
    def shipping_total_text(self) -> str:
        return money(sum(q.shipping or 0 for q in self.quotes), self.currency)

    @property
    def subtotal_text(self) -> str:
        return money(sum(q.shop.subtotal for q in self.quotes), self.currency)


def checkout_preview(the_cart: Cart, *, currency: str, address: Address | None) -> CheckoutPreview:
    """What checking out the cart's `currency` lines to `address` would cost, per shop (one query a shop)."""
    quotes = []
    for group in the_cart.shops:
        if group.currency != currency:
            continue
        physical = sum(line.quantity for line in group.lines if not line.is_digital)
        shipping: int | None = 0
        if physical:
            shipping = (
                shipping_quote(Shop(pk=group.id), country=address.country, items=physical)
                if address is not None
                else 0
            )
        quotes.append(ShopQuote(shop=group, shipping=shipping, needs_address=bool(physical)))
    needs_address = any(q.needs_address for q in quotes)
    blocked = any(not line.buyable for q in quotes for line in q.shop.lines) or any(
        not q.ships for q in quotes
    )
    return CheckoutPreview(currency=currency, quotes=quotes, needs_address=needs_address, blocked=blocked)


def addresses(user: Any) -> list[Address]:
    return list(Address.objects.filter(user=user).order_by("-is_default", "-id"))


def checkout_orders(checkout: Checkout) -> list[Order]:
    return list(checkout.orders.select_related("shop").order_by("pk"))


def checkout_of_payment(payment: Any) -> Checkout | None:
    return Checkout.objects.filter(payment=payment).first()


# ---------------------------------------------------------------------------------------------------
# Order lists


def _position(cursor: str | None, scope: str) -> tuple[datetime, int] | None:
    data = decode_cursor(cursor, scope=scope)
    if data is None:
        return None
    try:
        return datetime.fromisoformat(str(data["t"])), int(data["i"])
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_cursor() from exc


def _page(query: QuerySet[Order], *, cursor: str | None, limit: int, scope: str) -> Page[Order]:
    limit = clamp_page_size(limit)
    position = _position(cursor, scope)
    if position is not None:
        at, pk = position
        query = query.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    rows = list(
        query.select_related("shop__logo")
        .prefetch_related("lines")
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor({"t": rows[-1].created_at.isoformat(), "i": rows[-1].pk}, scope=scope)
        if more and rows
        else None
    )
    return Page(items=rows, next_cursor=next_cursor)


def _status_filter(query: QuerySet[Order], status: str | None) -> QuerySet[Order]:
    return query.filter(status=status) if status and status in Order.Status.values else query


def orders_bought(
    user: Any, *, status: str | None = None, cursor: str | None = None, limit: int = 20
) -> Page[Order]:
    """`user`'s purchases, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Page(items=[], next_cursor=None)
    query = _status_filter(Order.objects.filter(buyer=user), status)
    return _page(query, cursor=cursor, limit=limit, scope=MINE_SCOPE)


def orders_sold(
    shop: Shop, *, status: str | None = None, cursor: str | None = None, limit: int = 20
) -> Page[Order]:
    """A shop's orders, newest first (the caller checked the viewer works in the shop)."""
    query = _status_filter(Order.objects.filter(shop=shop), status)
    return _page(query, cursor=cursor, limit=limit, scope=f"{SALES_SCOPE}:{shop.pk}")


def visible_orders(viewer: Any) -> QuerySet[Order]:
    return orders_visible_to(viewer)


@dataclass
class OrderRow:
    """An order in a list: number, shop, status, total, the first line's picture and title."""

    order: Order
    title: str
    more_lines: int
    image_url: str
    item_count: int

    @property
    def total_text(self) -> str:
        return money(self.order.total, self.order.currency)


def order_rows(orders: Sequence[Order]) -> list[OrderRow]:
    """List rows for orders loaded by `_page` (lines prefetched): one more query for the pictures."""
    firsts: dict[int, OrderLine | None] = {o.pk: next(iter(o.lines.all()), None) for o in orders}
    covers = _covers(line.product_id for line in firsts.values() if line is not None and line.product_id)
    rows = []
    for o in orders:
        lines = list(o.lines.all())
        first = firsts[o.pk]
        rows.append(
            OrderRow(
                order=o,
                title=first.title if first else "",
                more_lines=max(len(lines) - 1, 0),
                image_url=_cover_url(covers, first.product_id if first else None),
                item_count=sum(line.quantity for line in lines),
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------------
# One order


@dataclass
class LineView:
    line: OrderLine
    image_url: str
    url: str
    currency: str

    @property
    def unit_price_text(self) -> str:
        return money(self.line.unit_price, self.currency)

    @property
    def total_text(self) -> str:
        return money(self.line.total, self.currency)


@dataclass
class OrderPage:
    order: Order
    lines: list[LineView]
    transitions: list[OrderTransition]
    payment: Any  # payments.Payment or None
    expires_at: datetime
    is_buyer: bool
    role: str | None  # the viewer's staff role in the shop
    operator: bool

    @property
    def currency(self) -> str:
        return self.order.currency

    def _m(self, amount: int) -> str:
        return money(amount, self.order.currency)

    @property
    def subtotal_text(self) -> str:
        return self._m(self.order.subtotal)

    @property
    def shipping_text(self) -> str:
        return self._m(self.order.shipping)

    @property
    def total_text(self) -> str:
        return self._m(self.order.total)

    @property
    def refunded_text(self) -> str:
        return self._m(self.order.refunded_amount)

    @property
    def refundable(self) -> int:
        return self.order.total - self.order.refunded_amount

    @property
    def refundable_text(self) -> str:
        return self._m(self.refundable)

    @property
    def hold_open(self) -> bool:
        return self.expires_at > timezone.now()

    # What the viewer may do (the services check again).
    @property
    def can_pay(self) -> bool:
        return (
            self.is_buyer
            and self.order.status == states.PENDING_PAYMENT
            and self.hold_open
            and self.payment is not None
            and self.payment.status in ("requires_payment", "requires_action", "failed")
        )

    @property
    def can_buyer_cancel(self) -> bool:
        return self.is_buyer and self.order.status == states.PENDING_PAYMENT

    @property
    def can_confirm(self) -> bool:
        return (self.is_buyer or self.operator) and self.order.status == states.SHIPPED

    @property
    def can_ship(self) -> bool:
        return (self.operator or self.role is not None) and self.order.status == states.PAID

    @property
    def manages(self) -> bool:
        return self.operator or self.role in ("owner", "manager")

    @property
    def can_seller_cancel(self) -> bool:
        return self.manages and self.order.status == states.PAID

    @property
    def can_refund(self) -> bool:
        return (
            self.manages
            and self.order.payment_status in (states.PAID, states.PARTIALLY_REFUNDED)
            and self.refundable > 0
        )

    @property
    def reviewable(self) -> bool:
        return self.is_buyer and self.order.status in (states.DELIVERED, states.COMPLETED)


def order_page(viewer: Any, order: Order) -> OrderPage:
    """Everything the order page shows, for a viewer access.visible_order_or_404 let through."""
    from haven.shops.access import is_operator, staff_role

    order = Order.objects.select_related("shop__logo", "checkout__payment").get(pk=order.pk)
    lines = list(order.lines.all())
    covers = _covers(line.product_id for line in lines if line.product_id)
    views = [
        LineView(
            line=line,
            image_url=_cover_url(covers, line.product_id),
            url=reverse("catalog:detail", args=[line.product_id]) if line.product_id else "",
            currency=order.currency,
        )
        for line in lines
    ]
    return OrderPage(
        order=order,
        lines=views,
        transitions=list(order.transitions.order_by("id")),
        payment=order.checkout.payment,
        expires_at=order.checkout.expires_at,
        is_buyer=order.buyer_id is not None and order.buyer_id == getattr(viewer, "pk", None),
        role=staff_role(viewer, order.shop_id),
        operator=is_operator(viewer),
    )


def lines_by_order(order_ids: Sequence[int]) -> dict[int, list[OrderLine]]:
    out: dict[int, list[OrderLine]] = defaultdict(list)
    for line in OrderLine.objects.filter(order_id__in=list(order_ids)).order_by("id"):
        out[line.order_id].append(line)
    return out


# ---------------------------------------------------------------------------------------------------
# Notifications (Verb.ORDER, target "order:<id>:<event>"), worded from the recipient's side


def _target(group: Any) -> tuple[int | None, str]:
    _kind, _sep, rest = str(getattr(group, "target", "") or "").partition(":")
    order_id, _sep, event = rest.partition(":")
    return (int(order_id) if order_id.isdigit() and len(order_id) < 19 else None), event


def notification_text(group: Any) -> str:
    """ "New order HV… was paid" for the shop's staff, "Your order HV… has shipped" for the buyer.

    paid and delivered go to the shop, shipped and refunded to the buyer; a cancellation goes to the
    shop when the buyer cancelled (the actor is the buyer) and to the buyer otherwise.
    """
    from django.utils.translation import gettext as _

    order_id, event = _target(group)
    row = Order.objects.filter(pk=order_id).values("number", "buyer_id").first() if order_id else None
    if row is None:
        return _("There is news about an order.")
    number = str(row["number"])
    actors = getattr(group, "actors", None) or []
    by_buyer = bool(actors) and row["buyer_id"] is not None and actors[0].id == row["buyer_id"]
    texts = {
        "paid": _("New order %(number)s was paid. Time to pack it."),
        "delivered": _("The buyer received order %(number)s."),
        "shipped": _("Your order %(number)s has shipped."),
        "refunded": _("You got a refund for order %(number)s."),
    }
    if event == "cancelled":
        text = (
            _("Order %(number)s was cancelled by the buyer.")
            if by_buyer
            else _("Your order %(number)s was cancelled.")
        )
    else:
        text = texts.get(event, _("There is news about order %(number)s."))
    # The inbox formats the sentence with str.format: keep braces literal.
    return (text % {"number": number}).replace("{", "{{").replace("}", "}}")


def notification_link(group: Any) -> str:
    order_id, _event = _target(group)
    number = Order.objects.filter(pk=order_id).values_list("number", flat=True).first() if order_id else None
    return reverse("orders:detail", args=[number]) if number else reverse("orders:mine")


#: Items a payment page names before "and N more".
PAYMENT_ITEMS_SHOWN = 3


def payment_summary(payment: Any) -> dict[str, Any] | None:
    """What a checkout's payment pays for, for the payment page (payments.register_payment_summary):
    the shops' names as the title, then the item count and the first items."""
    checkout = Checkout.objects.filter(payment_id=payment.pk).first()
    if checkout is None:
        return None
    orders = list(checkout.orders.select_related("shop").order_by("pk"))
    lines = list(
        OrderLine.objects.filter(order__checkout=checkout)
        .order_by("order_id", "pk")
        .values_list("title", "variant_label", "quantity")
    )
    count = sum(q for _t, _v, q in lines)
    shown = [
        (f"{title} · {label} × {quantity}" if label else f"{title} × {quantity}")
        for title, label, quantity in lines[:PAYMENT_ITEMS_SHOWN]
    ]
    rest = len(lines) - len(shown)
    if rest > 0:
        shown.append(ngettext("and %(n)d more", "and %(n)d more", rest) % {"n": rest})
    return {
        "title": " · ".join(o.shop.name for o in orders),
        "lines": [ngettext("%(n)d item", "%(n)d items", count) % {"n": count}, *shown],
    }
