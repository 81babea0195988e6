"""HTML views of orders: the cart, checkout, the thank-you page, purchases and sales, one order with its
actions, and the address book.

Every write is a form POST that redirects (it works without JavaScript; htmx swaps the cart in place).
Reads go through access and selectors, writes through services; refusals (haven.core.errors) become a
clear message, never a 500. Someone else's order is a 404, like a missing one.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import User
from haven.core.countries import country_choices
from haven.core.errors import HavenError, NotFound
from haven.core.money import parse_major, to_major_string
from haven.orders import access, selectors, services, states
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
)
from haven.payments.selectors import pay_url
from haven.shops import access as shops_access

KEY_MAX = 100
ADDRESS_FIELDS = {
    "name": NAME_MAX,
    "line1": LINE_MAX,
    "line2": LINE_MAX,
    "city": CITY_MAX,
    "region": CITY_MAX,
    "postal_code": POSTAL_MAX,
    "country": 2,
    "phone": PHONE_MAX,
}


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by @login_required
    return user


def _post(request: HttpRequest, name: str, limit: int) -> str:
    return str(request.POST.get(name, ""))[: limit + 1]


def _int(value: Any, default: int | None = None) -> int | None:
    text = str(value or "").strip()
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 6:
        return int(text)
    return default


def _friendly(exc: HavenError) -> str:
    if exc.code == "not_found":
        return _("This item is not available any more.")
    if exc.code == "order_changed":
        return _("This order changed meanwhile. Here it is as it is now.")
    return exc.message


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _new_key() -> str:
    """An Idempotency-Key for one render of a form: a double submit replays instead of repeating."""
    return secrets.token_urlsafe(18)


def _status_label(field: str, value: str) -> str:
    choices = Order.Status if field == "status" else Order.PaymentStatus
    try:
        return str(choices(value).label).capitalize()
    except ValueError:
        return value


# ---------------------------------------------------------------------------------------------------
# Cart


def _cart_context(request: HttpRequest) -> dict[str, Any]:
    the_cart = selectors.cart(_member(request))
    return {"cart": the_cart, "cart_count": the_cart.count, "nav_section": "cart"}


@never_cache
@login_required
@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    """One cart across shops, grouped by shop, with totals per currency."""
    return render(request, "orders/cart.html", _cart_context(request))


def _back_to(request: HttpRequest, fallback: str) -> str:
    target = str(request.POST.get("next") or request.META.get("HTTP_REFERER") or "")[:500]
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """The product page's "Add to cart" (variant_id, quantity, from_note): to the cart (htmx: the badge)."""
    if not request.user.is_authenticated:
        return redirect_to_login(_back_to(request, reverse("orders:cart")))
    quantity = _int(request.POST.get("quantity"), 1)
    try:
        services.cart_add(
            user=_member(request),
            variant_id=_post(request, "variant_id", 20),
            quantity=quantity if quantity is not None else 1,
            note_id=_post(request, "from_note", 20) or None,
        )
    except HavenError as exc:
        if _htmx(request):
            return render(
                request,
                "orders/_cart_badge.html",
                {"cart_count": selectors.cart_count(request.user), "error": _friendly(exc)},
                status=exc.status,
            )
        flash.error(request, _friendly(exc))
        return redirect(_back_to(request, reverse("orders:cart")))
    if _htmx(request):
        return render(request, "orders/_cart_badge.html", {"cart_count": selectors.cart_count(request.user)})
    flash.success(request, _("Added to your cart."))
    return redirect("orders:cart")


def _cart_done(request: HttpRequest) -> HttpResponse:
    if _htmx(request):
        return render(request, "orders/_cart_body.html", _cart_context(request))
    return redirect("orders:cart")


@login_required
@require_POST
def cart_update(request: HttpRequest, item_id: int) -> HttpResponse:
    """The quantity stepper (quantity = the new number; 0 removes the line)."""
    quantity = _int(request.POST.get("quantity"))
    try:
        services.cart_set_quantity(
            user=_member(request), item_id=item_id, quantity=quantity if quantity is not None else -1
        )
    except HavenError as exc:
        flash.error(request, _friendly(exc))
    return _cart_done(request)


@login_required
@require_POST
def cart_remove(request: HttpRequest, item_id: int) -> HttpResponse:
    with contextlib.suppress(NotFound):  # already gone: a double tap
        services.cart_remove(user=_member(request), item_id=item_id)
    return _cart_done(request)


# ---------------------------------------------------------------------------------------------------
# Checkout


def _checkout_context(
    request: HttpRequest, *, address_id: Any, currency: str, **extra: Any
) -> dict[str, Any]:
    user = _member(request)
    the_cart = selectors.cart(user)
    currencies = [t.currency for t in the_cart.totals]
    if currency not in currencies:
        currency = currencies[0] if currencies else ""
    book = selectors.addresses(user)
    chosen: Address | None = None
    if str(address_id or "").isdigit():
        chosen = next((a for a in book if a.pk == int(address_id)), None)
    if chosen is None and book:
        chosen = book[0]
    preview = selectors.checkout_preview(the_cart, currency=currency, address=chosen) if currency else None
    return {
        "cart": the_cart,
        "cart_count": the_cart.count,
        "currencies": currencies,
        "currency": currency,
        "addresses": book,
        "address": chosen,
        "preview": preview,
        "key": _new_key(),
        "countries": country_choices(),
        "address_form": {},
        "nav_section": "cart",
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkout_page(request: HttpRequest) -> HttpResponse:
    """Choose an address, review each shop's order with shipping, then Pay (one payment for all)."""
    if request.method == "GET":
        context = _checkout_context(
            request,
            address_id=request.GET.get("address", "")[:20],
            currency=request.GET.get("currency", "")[:3].upper(),
        )
        if context["cart"].empty:
            return redirect("orders:cart")
        return render(request, "orders/checkout.html", context)
    address_id = _post(request, "address_id", 20)
    currency = _post(request, "currency", 3).upper()
    try:
        checkout = services.checkout_submit(
            buyer=_member(request),
            key=_post(request, "key", KEY_MAX) or None,
            address_id=address_id or None,
            currency=currency or None,
        )
    except HavenError as exc:
        context = _checkout_context(
            request, address_id=address_id, currency=currency, error=_friendly(exc), error_code=exc.code
        )
        if context["cart"].empty:
            flash.error(request, _friendly(exc))
            return redirect("orders:cart")
        return render(request, "orders/checkout.html", context, status=exc.status)
    return redirect(_checkout_pay_url(checkout))


def _checkout_pay_url(checkout: Checkout) -> str:
    if checkout.payment is None:  # nothing to pay (cannot happen: totals are positive)
        return reverse("orders:checkout_done", args=[checkout.pk])
    return pay_url(checkout.payment)


@login_required
@require_POST
def checkout_address(request: HttpRequest) -> HttpResponse:
    """Add an address from the checkout page (the address book inline), then back to checkout with it."""
    currency = _post(request, "currency", 3).upper()
    data: dict[str, Any] = {name: _post(request, name, limit) for name, limit in ADDRESS_FIELDS.items()}
    data["is_default"] = bool(request.POST.get("is_default"))
    try:
        address = services.address_create(user=_member(request), data=data)
    except HavenError as exc:
        context = _checkout_context(
            request,
            address_id="",
            currency=currency,
            address_error=_friendly(exc),
            address_field=exc.details.get("field", ""),
            address_form=data,
            open_address_form=True,
        )
        return render(request, "orders/checkout.html", context, status=exc.status)
    query = urlencode({"address": address.pk, "currency": currency})
    return redirect(f"{reverse('orders:checkout')}?{query}")


@never_cache
@login_required
@require_GET
def checkout_done(request: HttpRequest, checkout_id: int) -> HttpResponse:
    """Thank you: the orders the checkout placed (the payment page returns here)."""
    checkout = (
        Checkout.objects.select_related("payment").filter(pk=checkout_id, buyer=_member(request)).first()
    )
    if checkout is None:
        raise Http404
    orders = selectors.checkout_orders(checkout)
    rows = selectors.order_rows(
        list(
            Order.objects.filter(checkout=checkout)
            .select_related("shop")
            .prefetch_related("lines")
            .order_by("pk")
        )
    )
    paid = any(o.status != states.PENDING_PAYMENT for o in orders) or (
        checkout.payment is not None and checkout.payment.status in ("succeeded", "processing")
    )
    return render(
        request,
        "orders/done.html",
        {
            "checkout": checkout,
            "rows": rows,
            "paid": paid,
            "total_text": selectors.money(checkout.total, checkout.currency),
            "pay_url": _checkout_pay_url(checkout) if not paid else "",
            "cart_count": selectors.cart_count(request.user),
        },
    )


def checkout_return_url(payment: Any) -> str:
    """Where the hosted payment page sends the buyer (payments.register_return_url for "checkout:")."""
    checkout = selectors.checkout_of_payment(payment)
    if checkout is None:
        return reverse("orders:mine")
    return reverse("orders:checkout_done", args=[checkout.pk])


# ---------------------------------------------------------------------------------------------------
# Order lists


def _status_param(request: HttpRequest) -> str:
    status = request.GET.get("status", "")[:20]
    return status if status in selectors.STATUS_FILTERS else ""


def _filters(base: str, status: str, **extra: Any) -> list[dict[str, Any]]:
    out = []
    for value in selectors.STATUS_FILTERS:
        query = {**extra, **({"status": value} if value else {})}
        out.append(
            {
                "value": value,
                "label": _status_label("status", value) if value else _("All"),
                "url": f"{base}?{urlencode(query)}" if query else base,
                "current": value == status,
            }
        )
    return out


@never_cache
@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """The member's purchases, newest first, with status chips and a cursor."""
    status = _status_param(request)
    try:
        page = selectors.orders_bought(
            _member(request), status=status, cursor=request.GET.get("cursor", "")[:2001] or None
        )
    except HavenError:
        return redirect("orders:mine")
    base = reverse("orders:mine")
    next_url = (
        f"{base}?{urlencode({**({'status': status} if status else {}), 'cursor': page.next_cursor})}"
        if page.next_cursor
        else ""
    )
    return render(
        request,
        "orders/list.html",
        {
            "rows": selectors.order_rows(page.items),
            "filters": _filters(base, status),
            "next_url": next_url,
            "status": status,
            "selling": False,
            "nav_section": "me",
        },
    )


@never_cache
@login_required
@require_GET
def sales(request: HttpRequest) -> HttpResponse:
    """A shop's orders for its staff (?shop=<id>), filtered by status."""
    user = _member(request)
    shop_param = request.GET.get("shop", "")[:20]
    if not shop_param:
        shops = list(shops_access.shops_of(user).order_by("pk")[:2])
        if len(shops) == 1:
            return redirect(f"{reverse('orders:sales')}?shop={shops[0].pk}")
        if not shops:
            raise Http404
        return redirect("shops:mine")
    try:
        shop = shops_access.staff_shop_or_404(user, shop_param, roles=shops_access.FULFIL)
    except NotFound:
        raise Http404 from None
    status = _status_param(request)
    try:
        page = selectors.orders_sold(shop, status=status, cursor=request.GET.get("cursor", "")[:2001] or None)
    except HavenError:
        return redirect(f"{reverse('orders:sales')}?shop={shop.pk}")
    base = reverse("orders:sales")
    query = {"shop": shop.pk, **({"status": status} if status else {})}
    next_url = f"{base}?{urlencode({**query, 'cursor': page.next_cursor})}" if page.next_cursor else ""
    return render(
        request,
        "orders/list.html",
        {
            "rows": selectors.order_rows(page.items),
            "filters": _filters(base, status, shop=shop.pk),
            "next_url": next_url,
            "status": status,
            "selling": True,
            "shop": shop,
            "nav_section": "me",
        },
    )


# ---------------------------------------------------------------------------------------------------
# One order


def _visible(request: HttpRequest, number: str) -> Order:
    try:
        return access.visible_order_or_404(request.user, number)
    except NotFound:
        raise Http404 from None


def _timeline(page: selectors.OrderPage) -> list[dict[str, Any]]:
    rows = [{"label": _("Order placed"), "at": page.order.created_at, "reason": "", "kind": "placed"}]
    for t in page.transitions:
        if t.field == "payment_status" and t.dst == states.PAID:
            continue  # the same moment as "paid"
        label = _status_label(t.field, t.dst)
        if t.field == "payment_status":
            label = _("Payment: %(status)s") % {"status": label}
        rows.append({"label": label, "at": t.created_at, "reason": t.reason, "kind": t.dst})
    return rows


@never_cache
@login_required
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _visible(request, number)
    page = selectors.order_page(request.user, order)
    return render(request, "orders/detail.html", _detail_context(request, page))


def _detail_context(request: HttpRequest, page: selectors.OrderPage, **extra: Any) -> dict[str, Any]:
    return {
        "page": page,
        "order": page.order,
        "timeline": _timeline(page),
        "status_label": _status_label("status", page.order.status),
        "payment_label": _status_label("payment_status", page.order.payment_status),
        "pay_url": pay_url(page.payment) if page.can_pay else "",
        "refund_key": _new_key(),
        "cancel_key": _new_key(),
        "carrier_max": CARRIER_MAX,
        "tracking_max": TRACKING_MAX,
        "reason_max": REASON_MAX,
        "refund_default": to_major_string(page.refundable, page.order.currency),
        "nav_section": "me",
        **extra,
    }


@login_required
@require_POST
def order_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """cancel, confirm (delivery), ship (carrier, tracking_number), refund (amount, reason, restock, key)."""
    user = _member(request)
    try:
        if action == "confirm":
            order = access.bought_order_or_404(user, number)
            services.order_confirm_delivery(actor=user, order=order)
            flash.success(request, _("Thanks! The order is marked as delivered."))
        elif action == "cancel":
            order = access.visible_order_or_404(user, number)
            if not (order.buyer_id == user.pk and order.status == states.PENDING_PAYMENT):
                order = access.sold_order_or_404(user, number, manage=True)
            services.order_cancel(
                actor=user,
                order=order,
                reason=_post(request, "reason", REASON_MAX),
                key=_post(request, "key", KEY_MAX),
            )
            flash.success(request, _("The order was cancelled."))
        elif action == "ship":
            order = access.sold_order_or_404(user, number)
            services.order_ship(
                actor=user,
                order=order,
                carrier=_post(request, "carrier", CARRIER_MAX),
                tracking_number=_post(request, "tracking_number", TRACKING_MAX),
            )
            flash.success(request, _("Marked as shipped. The buyer was told."))
        elif action == "refund":
            order = access.sold_order_or_404(user, number, manage=True)
            amount = parse_major(_post(request, "amount", 30).strip(), order.currency)
            services.order_refund(
                actor=user,
                order=order,
                amount=amount,
                key=_post(request, "key", KEY_MAX),
                reason=_post(request, "reason", REASON_MAX),
                restock=bool(request.POST.get("restock")),
            )
            flash.success(request, _("The refund was made."))
        else:
            raise Http404
    except NotFound:
        raise Http404 from None
    except HavenError as exc:
        flash.error(request, _friendly(exc))
    order = _visible(request, number)
    return redirect("orders:detail", number=order.number)


# ---------------------------------------------------------------------------------------------------
# Address book


def _address_data(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {name: _post(request, name, limit) for name, limit in ADDRESS_FIELDS.items()}
    data["is_default"] = bool(request.POST.get("is_default"))
    return data


def _book_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "addresses": selectors.addresses(request.user),
        "countries": country_choices(),
        "form": {},
        "nav_section": "settings",
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_book(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = _address_data(request)
        try:
            services.address_create(user=_member(request), data=data)
        except HavenError as exc:
            context = _book_context(
                request, form=data, error=_friendly(exc), error_field=exc.details.get("field", "")
            )
            return render(request, "orders/addresses.html", context, status=exc.status)
        flash.success(request, _("Address saved."))
        return redirect("orders:addresses")
    return render(request, "orders/addresses.html", _book_context(request))


def _own(request: HttpRequest, address_id: int) -> Address:
    try:
        return access.own_address_or_404(request.user, address_id)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, address_id: int) -> HttpResponse:
    address = _own(request, address_id)
    if request.method == "POST":
        data = _address_data(request)
        try:
            services.address_update(address=address, data=data)
        except HavenError as exc:
            context = {
                "address": address,
                "form": data,
                "countries": country_choices(),
                "error": _friendly(exc),
                "error_field": exc.details.get("field", ""),
                "nav_section": "settings",
            }
            return render(request, "orders/address_edit.html", context, status=exc.status)
        flash.success(request, _("Address saved."))
        return redirect("orders:addresses")
    form = {**address.snapshot(), "is_default": address.is_default}
    return render(
        request,
        "orders/address_edit.html",
        {"address": address, "form": form, "countries": country_choices(), "nav_section": "settings"},
    )


@login_required
@require_POST
def address_delete(request: HttpRequest, address_id: int) -> HttpResponse:
    services.address_delete(address=_own(request, address_id))
    flash.success(request, _("Address removed."))
    return redirect("orders:addresses")


@login_required
@require_POST
def address_default(request: HttpRequest, address_id: int) -> HttpResponse:
    address = _own(request, address_id)
    services.address_update(address=address, data={**address.snapshot(), "is_default": True})
    return redirect(_back_to(request, reverse("orders:addresses")))
