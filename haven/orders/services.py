"""Writes of orders: address book, cart, checkout (stock reservation), order lifecycle, refunds, ledger."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.catalog.access import buyable_variant_or_404
from haven.catalog.models import QUANTITY_MAX, Product, Variant
from haven.catalog.selectors import attributed_note_id
from haven.catalog.services import product_count_sold
from haven.core.errors import Conflict, InvalidInput, NotFound, RateLimited, ServiceUnavailable
from haven.core.transactions import enqueue_on_commit
from haven.notes import access as notes_access
from haven.notes.models import Note
from haven.notifications.models import Notification
from haven.notifications.services import notify_about
from haven.orders import states
from haven.orders.models import (
    ADDRESSES_MAX,
    CART_LINES_MAX,
    Address,
    CartItem,
    Checkout,
    Order,
    OrderLine,
    OrderTransition,
)
from haven.payments import states as payment_states
from haven.payments.models import LedgerEntry, Payment
from haven.payments.services import LedgerLine, ledger_post, payment_cancel, payment_create, refund_create
from haven.shops.access import FULFIL
from haven.shops.models import ShopStaff
from haven.shops.selectors import shipping_quote
from haven.shops.services import shop_count_sold

logger = logging.getLogger(__name__)

_KEY_RE = re.compile(r"^[\x21-\x7e]{1,100}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
PURPOSE_PREFIX = "checkout:"


def hold_minutes() -> int:
    """How long checkout holds stock for an unpaid order (HAVEN_CHECKOUT_HOLD_MINUTES, default 30)."""
    return int(settings.HAVEN_CHECKOUT_HOLD_MINUTES)


def payments_enabled() -> bool:
    """False on a production instance still on the sandbox provider (test cards move no money)."""
    return not (
        settings.HAVEN_PRODUCTION
        and settings.HAVEN_PAYMENTS_PROVIDER == "sandbox"
        and not settings.HAVEN_PAYMENTS_SANDBOX_IN_PRODUCTION
    )


def max_unpaid_checkouts() -> int:
    """How many unpaid checkouts holding stock a member may have (HAVEN_MAX_UNPAID_CHECKOUTS, default 5)."""
    return int(settings.HAVEN_MAX_UNPAID_CHECKOUTS)


def platform_fee_bps() -> int:
    """The platform's fee on each paid order in basis points (HAVEN_PLATFORM_FEE_BPS, default 500 = 5 %)."""
    return int(settings.HAVEN_PLATFORM_FEE_BPS)


# ---------------------------------------------------------------------------------------------------
# Address book


def _clean(value: Any, limit: int, *, field: str, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise InvalidInput(_("Please fill in this field."), code="required", details={"field": field})
    if len(text) > limit:
        raise InvalidInput(_("This field is too long."), code="too_long", details={"field": field})
    return text


def address_create(*, user: Any, data: dict[str, Any]) -> Address:
    """Add an address to `user`'s book (at most ADDRESSES_MAX); the first one becomes the default."""
    with transaction.atomic():
        count = len(Address.objects.select_for_update().filter(user=user).values_list("pk", flat=True))
        if count >= ADDRESSES_MAX:
            raise Conflict(_("Your address book is full."), code="too_many_addresses")
        address = Address(user=user, is_default=count == 0 or bool(data.get("is_default")))
        _fill_address(address, data)
        if address.is_default:
            Address.objects.filter(user=user).update(is_default=False)
        address.save()
        return address


def address_update(*, address: Address, data: dict[str, Any]) -> Address:
    with transaction.atomic():
        _fill_address(address, data)
        if data.get("is_default"):
            Address.objects.filter(user_id=address.user_id).exclude(pk=address.pk).update(is_default=False)
            address.is_default = True
        address.save()
        return address


def address_delete(*, address: Address) -> None:
    with transaction.atomic():
        was_default = address.is_default
        user_id = address.user_id
        address.delete()
        if was_default:
            nxt = Address.objects.filter(user_id=user_id).order_by("-id").first()
            if nxt is not None:
                Address.objects.filter(pk=nxt.pk).update(is_default=True)


def _fill_address(address: Address, data: dict[str, Any]) -> None:
    from haven.orders import models as m

    address.name = _clean(data.get("name"), m.NAME_MAX, field="name", required=True)
    address.line1 = _clean(data.get("line1"), m.LINE_MAX, field="line1", required=True)
    address.line2 = _clean(data.get("line2"), m.LINE_MAX, field="line2")
    address.city = _clean(data.get("city"), m.CITY_MAX, field="city", required=True)
    address.region = _clean(data.get("region"), m.CITY_MAX, field="region")
    address.postal_code = _clean(data.get("postal_code"), m.POSTAL_MAX, field="postal_code")
    address.phone = _clean(data.get("phone"), m.PHONE_MAX, field="phone")
    country = _clean(data.get("country"), 2, field="country", required=True).upper()
    if not _COUNTRY_RE.match(country):
        raise InvalidInput(_("Choose a country."), code="invalid_country", details={"field": "country"})
    address.country = country


# ---------------------------------------------------------------------------------------------------
# Cart


def _quantity(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= QUANTITY_MAX:
        raise InvalidInput(
            _("Choose a quantity from 1 to %(n)d.") % {"n": QUANTITY_MAX}, code="invalid_quantity"
        )
    return value


def cart_add(*, user: Any, variant_id: Any, quantity: int = 1, note_id: Any = None) -> CartItem:
    """Put `quantity` more of a variant in `user`'s cart. `note_id`: the note whose tag led here."""
    quantity = _quantity(quantity)
    variant = buyable_variant_or_404(variant_id)
    if variant.stock is not None and variant.stock < 1:
        raise Conflict(_("This item is sold out."), code="out_of_stock")
    note = None
    if note_id and str(note_id).isdigit():
        # Only a note the buyer may see and that really tags this product credits its author.
        note = (
            notes_access.visible_notes(user)
            .filter(pk=int(note_id), product_tags__product_id=variant.product_id)
            .first()
        )
    with transaction.atomic():
        item = CartItem.objects.select_for_update().filter(user=user, variant=variant).first()
        if item is None:
            if CartItem.objects.filter(user=user).count() >= CART_LINES_MAX:
                raise Conflict(_("Your cart is full."), code="cart_full")
            return CartItem.objects.create(user=user, variant=variant, quantity=quantity, note=note)
        item.quantity = min(item.quantity + quantity, QUANTITY_MAX)
        if note is not None:
            item.note = note
        item.save(update_fields=["quantity", "note"])
        return item


def cart_set_quantity(*, user: Any, item_id: Any, quantity: int) -> CartItem | None:
    """Change a cart line's quantity; 0 removes it (returns None)."""
    item = CartItem.objects.filter(pk=int(item_id), user=user).first() if str(item_id).isdigit() else None
    if item is None:
        raise NotFound()
    if quantity == 0:
        item.delete()
        return None
    item.quantity = _quantity(quantity)
    item.save(update_fields=["quantity"])
    return item


def cart_remove(*, user: Any, item_id: Any) -> None:
    deleted, _rows = CartItem.objects.filter(
        pk=int(item_id) if str(item_id).isdigit() else 0, user=user
    ).delete()
    if not deleted:
        raise NotFound()


# ---------------------------------------------------------------------------------------------------
# Checkout


def _fingerprint(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _order_number() -> str:
    return "HV" + timezone.now().strftime("%y%m%d") + secrets.token_hex(5).upper()


def checkout_submit(
    *, buyer: Any, key: str | None, address_id: Any = None, currency: str | None = None
) -> Checkout:
    """Turn `buyer`'s cart (the lines in `currency`, default the first line's) into orders, one per shop.

    The `Idempotency-Key` is required: a retry with the same key and request returns the same
    checkout (no second order, no second charge); the same key with a different request gets 409
    idempotency_key_reused. Stock is reserved atomically with conditional UPDATEs (`stock >= qty`),
    so concurrent buyers never oversell: the loser gets 409 out_of_stock and nothing is written.
    Unpaid orders hold their stock for `hold_minutes()`; then the periodic expiry releases it.
    """
    if not key:
        raise InvalidInput(_("An Idempotency-Key header is required."), code="idempotency_key_required")
    if not _KEY_RE.match(key):
        raise InvalidInput(
            _("The Idempotency-Key must be 1 to 100 visible ASCII characters."),
            code="invalid_idempotency_key",
        )
    if not payments_enabled():
        raise ServiceUnavailable(
            _("Payments are not set up on this Haven yet."), code="payments_not_configured"
        )
    request_hash = _fingerprint({"address_id": str(address_id or ""), "currency": (currency or "").upper()})
    existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, request_hash)
    unpaid = (
        Order.objects.filter(
            buyer=buyer, status=states.PENDING_PAYMENT, checkout__expires_at__gt=timezone.now()
        )
        .values("checkout_id")
        .distinct()
        .count()
    )
    if unpaid >= max_unpaid_checkouts():
        # Held stock is scarce: nobody may sit on more than a few unpaid checkouts at once.
        raise RateLimited(
            _("Pay for or cancel your unpaid orders before checking out again."),
            code="too_many_unpaid_orders",
            details={"retry_after_seconds": 60},
        )
    try:
        with transaction.atomic():
            return _checkout(
                buyer=buyer, key=key, request_hash=request_hash, address_id=address_id, currency=currency
            )
    except IntegrityError:
        # A concurrent submission with the same key won; its stock reservation stands, ours rolled back.
        existing = Checkout.objects.filter(buyer=buyer, idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, request_hash)


def _replay(checkout: Checkout, request_hash: str) -> Checkout:
    if checkout.request_hash != request_hash:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."), code="idempotency_key_reused"
        )
    return checkout


def _checkout(*, buyer: Any, key: str, request_hash: str, address_id: Any, currency: str | None) -> Checkout:
    items = list(
        CartItem.objects.filter(user=buyer)
        .select_related("variant__product__shop")
        .order_by("variant__product__shop_id", "variant_id")
    )
    if currency:
        items = [i for i in items if i.variant.product.shop.currency == currency.upper()]
    elif items:
        first = items[0].variant.product.shop.currency
        items = [i for i in items if i.variant.product.shop.currency == first]
    if not items:
        raise Conflict(_("Your cart is empty."), code="cart_empty")
    needs_shipping = any(not i.variant.product.is_digital for i in items)
    address = None
    if needs_shipping or address_id:
        address = (
            Address.objects.filter(pk=int(address_id), user=buyer).first()
            if str(address_id or "").isdigit()
            else None
        )
        if address is None:
            raise Conflict(_("Choose a shipping address."), code="address_required")
    by_shop: dict[int, list[CartItem]] = defaultdict(list)
    for item in items:
        variant = item.variant
        product = variant.product
        if (
            not variant.is_active
            or product.status != Product.Status.ACTIVE
            or product.shop.status != "active"
        ):
            raise Conflict(
                _("%(title)s is no longer on sale. Remove it from your cart.") % {"title": product.title},
                code="item_unavailable",
                details={"variant_id": variant.pk},
            )
        by_shop[product.shop_id].append(item)
    # Reserve stock in variant id order (the order of `items`), so two checkouts never deadlock.
    for item in sorted(items, key=lambda i: i.variant_id):
        if item.variant.stock is None:
            continue
        took = Variant.objects.filter(pk=item.variant_id, stock__gte=item.quantity).update(
            stock=F("stock") - item.quantity
        )
        if not took:
            raise Conflict(
                _("Not enough stock of %(title)s.") % {"title": item.variant.product.title},
                code="out_of_stock",
                details={"variant_id": item.variant_id},
            )
    now = timezone.now()
    currency_code = items[0].variant.product.shop.currency
    plans = []
    for shop_items in by_shop.values():
        shop = shop_items[0].variant.product.shop
        subtotal = sum(i.variant.price * i.quantity for i in shop_items)
        shipping = 0
        physical = sum(i.quantity for i in shop_items if not i.variant.product.is_digital)
        if physical:
            assert address is not None
            quote = shipping_quote(shop, country=address.country, items=physical)
            if quote is None:
                raise Conflict(
                    _("%(shop)s does not ship to this country.") % {"shop": shop.name},
                    code="not_shipped_to_country",
                    details={"shop_id": shop.pk},
                )
            shipping = quote
        plans.append((shop, shop_items, subtotal, shipping))
    total = sum(p[2] + p[3] for p in plans)
    checkout = Checkout.objects.create(
        buyer=buyer,
        idempotency_key=key,
        request_hash=request_hash,
        currency=currency_code,
        total=total,
        expires_at=now + timedelta(minutes=hold_minutes()),
    )
    lines = []
    for shop, shop_items, subtotal, shipping in plans:
        order = Order.objects.create(
            checkout=checkout,
            buyer=buyer,
            shop=shop,
            number=_order_number(),
            currency=currency_code,
            subtotal=subtotal,
            shipping=shipping,
            total=subtotal + shipping,
            address=address.snapshot() if address is not None and shipping_needed(shop_items) else {},
        )
        for item in shop_items:
            note_id = item.note_id or attributed_note_id(user=buyer, product_id=item.variant.product_id)
            creator_id = (
                Note.objects.filter(pk=note_id).values_list("author_id", flat=True).first()
                if note_id
                else None
            )
            if creator_id == buyer.pk:
                # No commission on one's own purchases. A shop owner's own notes do earn it: the
                # commission moves the shop's money to the note's creator in the dashboards.
                creator_id = None
            lines.append(
                OrderLine(
                    order=order,
                    product_id=item.variant.product_id,
                    variant=item.variant,
                    title=item.variant.product.title[:100],
                    variant_label=item.variant.label[:100],
                    sku=item.variant.sku,
                    unit_price=item.variant.price,
                    quantity=item.quantity,
                    commission_bps=item.variant.product.commission_bps if creator_id else 0,
                    note_id=note_id,
                    creator_id=creator_id,
                )
            )
    OrderLine.objects.bulk_create(lines)
    payment = payment_create(
        payer=buyer, amount=total, currency=currency_code, purpose=f"{PURPOSE_PREFIX}{checkout.pk}"
    )
    Checkout.objects.filter(pk=checkout.pk).update(payment=payment)
    checkout.payment = payment
    CartItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    return checkout


def shipping_needed(items: list[CartItem]) -> bool:
    return any(not i.variant.product.is_digital for i in items)


# ---------------------------------------------------------------------------------------------------
# Order lifecycle


def _move(order: Order, *, field: str, dst: str, actor: Any = None, reason: str = "", **updates: Any) -> bool:
    """Compare-and-set one of the order's lifecycles, with an audit row. False when another writer won."""
    graph = states.ORDER_LIFECYCLE if field == "status" else states.PAYMENT_STATUS
    src = getattr(order, field)
    graph.check(src, dst)
    moved = graph.transition(Order.objects.all(), pk=order.pk, field=field, src=src, dst=dst, **updates)
    if moved:
        setattr(order, field, dst)
        for name, value in updates.items():
            setattr(order, name, value)
        OrderTransition.objects.create(
            order=order,
            field=field,
            src=src,
            dst=dst,
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason[:300],
        )
    return moved


def _notify_shop(order: Order, event: str, *, actor_id: int | None = None) -> None:
    roles = ShopStaff.objects.filter(shop_id=order.shop_id, role__in=FULFIL).values_list("user_id", flat=True)
    for user_id in roles:
        notify_about(
            recipient_id=user_id,
            actor_id=actor_id or order.buyer_id or user_id,
            verb=Notification.Verb.ORDER,
            target=f"order:{order.pk}:{event}",
        )


def _notify_buyer(order: Order, event: str, *, actor_id: int | None = None) -> None:
    if order.buyer_id:
        notify_about(
            recipient_id=order.buyer_id,
            actor_id=actor_id or order.shop.owner_id or order.buyer_id,
            verb=Notification.Verb.ORDER,
            target=f"order:{order.pk}:{event}",
        )


def payment_changed(payment: Payment, src: str, dst: str) -> None:
    """The payments listener for checkouts (inside the transaction that moved the payment)."""
    if dst != payment_states.SUCCEEDED:
        return
    checkout = Checkout.objects.filter(payment=payment).first()
    if checkout is None:
        return
    now = timezone.now()
    for order in (
        Order.objects.select_for_update(of=("self",))
        .select_related("shop")
        .filter(checkout=checkout)
        .order_by("pk")
    ):
        if order.status == states.PENDING_PAYMENT and _move(
            order, field="status", dst=states.PAID, paid_at=now
        ):
            _move(order, field="payment_status", dst=states.PAID)
            _post_payment(order, payment)
            items = 0
            for line in order.lines.all():
                items += line.quantity
                if line.product_id:
                    product_count_sold(product_id=line.product_id, items=line.quantity)
            shop_count_sold(shop_id=order.shop_id, items=items)
            _notify_shop(order, "paid")
        elif order.status == states.CANCELLED and order.payment_status == states.VOIDED:
            # The hold expired before the money arrived: the order stays cancelled, the money goes back.
            from haven.orders import tasks

            enqueue_on_commit(tasks.refund_late_payment, order_id=order.pk)


def refund_late_payment(*, order_id: int) -> None:
    """Give back money that arrived for an order that had already expired (idempotent by refund key)."""
    order = Order.objects.select_related("checkout__payment").get(pk=order_id)
    payment = order.checkout.payment
    if payment is None or payment.status != payment_states.SUCCEEDED:
        return
    refund_create(
        payment=payment, amount=order.total, key=f"late:{order.pk}", reason="order expired before payment"
    )


def _post_payment(order: Order, payment: Payment) -> None:
    """Ledger: the provider holds the order's total; it is owed to the platform, creators and the shop."""
    fee = order.total * platform_fee_bps() // 10_000
    commissions: dict[int, int] = defaultdict(int)
    for line in order.lines.all():
        if line.creator_id and line.commission_bps:
            commissions[line.creator_id] += line.total * line.commission_bps // 10_000
    net = order.total - fee - sum(commissions.values())
    lines = [
        LedgerLine(LedgerEntry.Account.PROVIDER, None, LedgerEntry.Kind.PAYMENT, order.total),
        LedgerLine(LedgerEntry.Account.PLATFORM, None, LedgerEntry.Kind.PLATFORM_FEE, -fee),
        *(
            LedgerLine(LedgerEntry.Account.CREATOR, creator_id, LedgerEntry.Kind.COMMISSION, -amount)
            for creator_id, amount in sorted(commissions.items())
        ),
        LedgerLine(LedgerEntry.Account.SHOP, order.shop_id, LedgerEntry.Kind.SHOP_NET, -net),
    ]
    ledger_post(payment=payment, reference=f"order:{order.pk}", lines=lines)


def _post_refund(order: Order, payment: Payment, amount: int) -> None:
    """Ledger: reverse `amount` of the order's payment across the accounts it was credited to.

    Each credited account (platform, creators, shop) still holds part of the order's unrefunded
    total; the refund takes from each in proportion to what it still holds, rounded down, and the
    units left over go one each to the largest remainders (never more than an account holds). So no
    account ever gives back more than it got, and when the whole order is refunded every account is
    back at exactly zero.
    """
    reference = f"order:{order.pk}"
    held: dict[tuple[str, int | None], int] = defaultdict(int)  # what each account still holds (>= 0)
    for account, owner_id, value in LedgerEntry.objects.filter(reference=reference).values_list(
        "account", "owner_id", "amount"
    ):
        if account != LedgerEntry.Account.PROVIDER:
            held[(account, owner_id)] -= value
    remaining = order.total - order.refunded_amount
    accounts = sorted((k for k, v in held.items() if v > 0), key=lambda k: (k[0], k[1] or 0))
    shares = {k: held[k] * amount // remaining for k in accounts}
    leftover = amount - sum(shares.values())
    by_remainder = sorted(accounts, key=lambda k: (-(held[k] * amount % remaining), k[0], k[1] or 0))
    for key in by_remainder:
        if leftover == 0:
            break
        if shares[key] < held[key]:
            shares[key] += 1
            leftover -= 1
    lines = [LedgerLine(LedgerEntry.Account.PROVIDER, None, LedgerEntry.Kind.REFUND, -amount)]
    lines += [LedgerLine(k[0], k[1], LedgerEntry.Kind.REFUND, shares[k]) for k in accounts if shares[k]]
    ledger_post(payment=payment, reference=reference, lines=lines)


def order_ship(*, actor: Any, order: Order, carrier: str, tracking_number: str) -> Order:
    """The seller hands a paid order to a carrier (paid -> shipped) with its tracking number."""
    from haven.orders import models as m

    carrier = _clean(carrier, m.CARRIER_MAX, field="carrier")
    tracking = _clean(tracking_number, m.TRACKING_MAX, field="tracking_number", required=True)
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("shop").get(pk=order.pk)
        if not _move(
            order,
            field="status",
            dst=states.SHIPPED,
            actor=actor,
            shipped_at=timezone.now(),
            carrier=carrier,
            tracking_number=tracking,
        ):
            raise Conflict(_("This order changed meanwhile; reload it."), code="order_changed")
        _notify_buyer(order, "shipped", actor_id=actor.pk)
    return order


def order_confirm_delivery(*, actor: Any, order: Order) -> Order:
    """The buyer (or an operator) confirms a shipped order arrived (shipped -> delivered)."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("shop").get(pk=order.pk)
        if not _move(order, field="status", dst=states.DELIVERED, actor=actor, delivered_at=timezone.now()):
            raise Conflict(_("This order changed meanwhile; reload it."), code="order_changed")
        _notify_shop(order, "delivered", actor_id=actor.pk)
    return order


def order_complete(*, order_id: int) -> bool:
    """Close a delivered order once the return window passed (delivered -> completed)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != states.DELIVERED:
            return False
        return _move(order, field="status", dst=states.COMPLETED, completed_at=timezone.now())


def _release_stock(order: Order) -> None:
    for line in order.lines.all():
        left = line.quantity - line.restocked_quantity
        if line.variant_id and left > 0:
            Variant.objects.filter(pk=line.variant_id, stock__isnull=False).update(stock=F("stock") + left)
            OrderLine.objects.filter(pk=line.pk).update(restocked_quantity=line.quantity)


def order_cancel(*, actor: Any, order: Order, reason: str = "", key: str = "") -> Order:
    """Cancel an order that was not shipped: an unpaid one is voided, a paid one fully refunded.

    Stock goes back either way. The buyer may cancel before payment; staff with the manage role or
    operators may cancel before shipping.
    """
    reason = _clean(reason, 300, field="reason")
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("shop", "checkout__payment")
            .get(pk=order.pk)
        )
        if order.status == states.PENDING_PAYMENT:
            payment = order.checkout.payment
            if payment is not None:
                Payment.objects.select_for_update().filter(pk=payment.pk).first()
                payment.refresh_from_db()
                if payment.status == payment_states.SUCCEEDED:
                    raise Conflict(_("This order changed meanwhile; reload it."), code="order_changed")
            _move(
                order,
                field="status",
                dst=states.CANCELLED,
                actor=actor,
                reason=reason,
                cancelled_at=timezone.now(),
            )
            _move(order, field="payment_status", dst=states.VOIDED, actor=actor)
            _release_stock(order)
            if (
                payment is not None
                and not Order.objects.filter(
                    checkout_id=order.checkout_id, status=states.PENDING_PAYMENT
                ).exists()
            ):
                payment_cancel(payment=payment, reason="orders cancelled")
        elif order.status == states.PAID:
            _move(
                order,
                field="status",
                dst=states.CANCELLED,
                actor=actor,
                reason=reason,
                cancelled_at=timezone.now(),
            )
            left = order.total - order.refunded_amount
            if left > 0:
                _refund(
                    order,
                    actor=actor,
                    amount=left,
                    key=key or f"cancel:{order.pk}",
                    reason=reason or "cancelled",
                )
            _release_stock(order)
        else:
            raise Conflict(
                _("Only an order that was not shipped yet can be cancelled."), code="invalid_transition"
            )
        if getattr(actor, "pk", None) == order.buyer_id:
            _notify_shop(order, "cancelled", actor_id=actor.pk)
        else:
            _notify_buyer(order, "cancelled", actor_id=getattr(actor, "pk", None))
    return order


def order_refund(
    *, actor: Any, order: Order, amount: int, key: str, reason: str = "", restock: bool = False
) -> Order:
    """Refund part or all of a paid order (seller with the manage role, or an operator), once per `key`."""
    reason = _clean(reason, 300, field="reason")
    if not key or not _KEY_RE.match(key):
        raise InvalidInput(_("An Idempotency-Key header is required."), code="idempotency_key_required")
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("shop", "checkout__payment")
            .get(pk=order.pk)
        )
        _refund(order, actor=actor, amount=amount, key=f"order:{order.pk}:{key}", reason=reason)
        if restock:
            _release_stock(order)
        _notify_buyer(order, "refunded", actor_id=getattr(actor, "pk", None))
    return order


def _refund(order: Order, *, actor: Any, amount: int, key: str, reason: str) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise InvalidInput(_("Enter an amount to refund."), code="invalid_amount")
    payment = order.checkout.payment
    if payment is None or order.payment_status not in (states.PAID, states.PARTIALLY_REFUNDED):
        raise Conflict(_("Only a paid order can be refunded."), code="order_not_refundable")
    existing = payment.refunds.filter(key=key).first()
    if existing is not None:  # a retried request: the refund was made (and posted) already
        if existing.amount != amount:
            raise Conflict(
                _("This refund key was already used for another refund."), code="idempotency_key_reused"
            )
        return
    if amount > order.total - order.refunded_amount:
        raise InvalidInput(_("The refund is larger than what is left of the order."), code="refund_too_large")
    refund = refund_create(
        payment=payment,
        amount=amount,
        key=key,
        reason=reason,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    if refund.status == "failed":
        raise Conflict(_("The payment provider refused the refund."), code="refund_failed")
    _post_refund(order, payment, amount)
    refunded = order.refunded_amount + amount
    Order.objects.filter(pk=order.pk).update(refunded_amount=refunded)
    order.refunded_amount = refunded
    dst = states.REFUNDED if refunded == order.total else states.PARTIALLY_REFUNDED
    _move(order, field="payment_status", dst=dst, actor=actor, reason=reason)


# ---------------------------------------------------------------------------------------------------
# Periodic jobs


def orders_expire_unpaid(*, now: Any = None, limit: int = 500) -> int:
    """Cancel unpaid orders whose hold ran out and give their stock back. Returns how many."""
    now = now or timezone.now()
    checkouts = list(
        Checkout.objects.filter(expires_at__lt=now, orders__status=states.PENDING_PAYMENT)
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    count = 0
    for checkout_id in checkouts:
        with transaction.atomic():
            checkout = Checkout.objects.select_related("payment").get(pk=checkout_id)
            payment = (
                Payment.objects.select_for_update().filter(pk=checkout.payment_id).first()
                if checkout.payment_id
                else None
            )
            if payment is not None and payment.status in (
                payment_states.SUCCEEDED,
                payment_states.PROCESSING,
            ):
                continue  # the money is on its way; the webhook marks the orders paid
            for order in Order.objects.select_for_update().filter(
                checkout=checkout, status=states.PENDING_PAYMENT
            ):
                _move(
                    order,
                    field="status",
                    dst=states.CANCELLED,
                    reason="payment not completed in time",
                    cancelled_at=now,
                )
                _move(order, field="payment_status", dst=states.VOIDED)
                _release_stock(order)
                count += 1
            if payment is not None:
                payment_cancel(payment=payment, reason="hold expired")
    return count


def orders_complete_delivered(*, now: Any = None, days: int | None = None, limit: int = 1000) -> int:
    """Complete orders delivered more than HAVEN_ORDER_COMPLETE_DAYS (default 7) ago."""
    now = now or timezone.now()
    days = days if days is not None else int(settings.HAVEN_ORDER_COMPLETE_DAYS)
    ids = list(
        Order.objects.filter(
            status=states.DELIVERED, delivered_at__lt=now - timedelta(days=days)
        ).values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if order_complete(order_id=pk))


def ledger_totals(*, reference: str) -> dict[str, int]:
    """Per-account sums of one order's ledger (tests and statements)."""
    rows = LedgerEntry.objects.filter(reference=reference).values("account").annotate(total=Sum("amount"))
    return {r["account"]: int(r["total"]) for r in rows}
