"""Reads of shops: shipping quotes, what a shop page shows, lists for members and operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from haven.core.countries import country_choices, country_name
from haven.core.money import format_money
from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor, invalid_cursor
from haven.media.selectors import rendition_url
from haven.shops import access, states
from haven.shops.models import REST_OF_WORLD, ShippingRate, Shop, ShopStaff, ShopTransition

#: Shipping rates the shop page lists before "and N more".
SHIPPING_SHOWN = 6
#: Review-history rows shown on the manage page and the review queue.
HISTORY_SHOWN = 10


def shipping_quote(shop: Shop, *, country: str, items: int) -> int | None:
    """What shipping `items` items from `shop` to `country` costs, or None when the shop does not ship there.

    The country's own rate wins over the shop's "everywhere else" rate.
    """
    rates = {
        r.region: r
        for r in ShippingRate.objects.filter(shop=shop, region__in=[country.upper(), REST_OF_WORLD])
    }
    rate = rates.get(country.upper()) or rates.get(REST_OF_WORLD)
    if rate is None:
        return None
    return rate.amount * items if rate.mode == ShippingRate.Mode.PER_ITEM else rate.amount


def description_for(shop: Shop, language: str | None = None) -> str:
    """The shop's description in the reader's interface language (Chinese for zh readers when the shop
    wrote one, else English), falling back to the other one."""
    language = (language or get_language() or "en").lower()
    first, second = (
        (shop.description_zh, shop.description_en)
        if language.startswith("zh")
        else (shop.description_en, shop.description_zh)
    )
    return first or second


def logo_url(shop: Shop) -> str:
    """The logo's grid rendition (a signed URL), or "" (no queries when loaded with `logo`)."""
    if not shop.logo_id or shop.logo is None:
        return ""
    return rendition_url(shop.logo, "grid")


def shipping_rates(shop: Shop) -> list[ShippingRate]:
    """Every rate of the shop (at most SHIPPING_REGIONS_MAX), countries by name in the active language,
    "everywhere else" last."""
    rows = list(ShippingRate.objects.filter(shop=shop).order_by("region"))
    order = {code: n for n, (code, _name) in enumerate(country_choices())}
    return sorted(rows, key=lambda r: (r.region == REST_OF_WORLD, order.get(r.region, len(order)), r.region))


def rate_label(rate: ShippingRate, currency: str) -> str:
    """How a rate reads to buyers: "Free", "¥10.00 per order", "¥5.00 per item"."""
    if rate.amount == 0:
        return _("Free shipping")
    amount = format_money(rate.amount, currency)
    if rate.mode == ShippingRate.Mode.PER_ITEM:
        return _("%(amount)s per item") % {"amount": amount}
    return _("%(amount)s per order") % {"amount": amount}


def region_label(region: str) -> str:
    """A rate's region as people read it: the country's name in the active language, or "Everywhere else"."""
    return country_name(region)


@dataclass
class ShopPage:
    """What the public shop page shows."""

    shop: Shop
    logo_url: str
    description: str
    rating: float | None
    sold_count: int
    rates: list[ShippingRate]
    role: str | None


def shop_page(viewer: Any, shop: Shop) -> ShopPage:
    return ShopPage(
        shop=shop,
        logo_url=logo_url(shop),
        description=description_for(shop),
        rating=shop.rating,
        sold_count=shop.sold_count,
        rates=shipping_rates(shop),
        role=access.staff_role(viewer, shop),
    )


def staff_list(shop: Shop) -> list[ShopStaff]:
    """The shop's staff (at most STAFF_MAX), owner first, then managers, then fulfilment, by joining."""
    order: dict[str, int] = {ShopStaff.Role.OWNER: 0, ShopStaff.Role.MANAGER: 1, ShopStaff.Role.FULFILMENT: 2}
    rows = list(ShopStaff.objects.filter(shop=shop).select_related("user").order_by("created_at", "pk"))
    return sorted(rows, key=lambda r: order.get(r.role, 3))


def history(shop: Shop, limit: int = HISTORY_SHOWN) -> list[ShopTransition]:
    """The newest review-lifecycle changes of the shop, newest first."""
    return list(ShopTransition.objects.filter(shop=shop).select_related("actor").order_by("-pk")[:limit])


# -------------------------------------------------------------------------------------------------
# Cursor-paginated lists (newest first by (created_at, id))

MINE_SCOPE = "shops.mine"
QUEUE_SCOPE = "shops.review"


def _position(cursor: str | None, scope: str) -> tuple[datetime, int] | None:
    data = decode_cursor(cursor, scope=scope)
    if data is None:
        return None
    try:
        return datetime.fromisoformat(str(data["t"])), int(data["i"])
    except (KeyError, TypeError, ValueError) as exc:
        raise invalid_cursor() from exc


def _page(query: QuerySet[Shop], *, cursor: str | None, limit: int, scope: str) -> Page[Shop]:
    limit = clamp_page_size(limit)
    position = _position(cursor, scope)
    if position is not None:
        at, pk = position
        query = query.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    rows = list(query.select_related("logo").order_by("-created_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        encode_cursor({"t": rows[-1].created_at.isoformat(), "i": rows[-1].pk}, scope=scope)
        if more and rows
        else None
    )
    return Page(items=rows, next_cursor=next_cursor)


def my_shops(user: Any, *, cursor: str | None = None, limit: int = 20) -> Page[Shop]:
    """The shops `user` works in, whatever their status, newest first."""
    query = (
        Shop.objects.filter(staff__user=user)
        if getattr(user, "is_authenticated", False)
        else Shop.objects.none()
    )
    return _page(query, cursor=cursor, limit=limit, scope=MINE_SCOPE)


def roles_of(user: Any, shop_ids: list[int]) -> dict[int, str]:
    """`user`'s role in each of `shop_ids` (one query)."""
    if not getattr(user, "is_authenticated", False) or not shop_ids:
        return {}
    return dict(ShopStaff.objects.filter(user=user, shop_id__in=shop_ids).values_list("shop_id", "role"))


#: What the operators' queue can show.
QUEUE_STATUSES = (states.PENDING, states.ACTIVE, states.SUSPENDED, states.REJECTED)


def review_queue(*, status: str = states.PENDING, cursor: str | None = None, limit: int = 20) -> Page[Shop]:
    """Shops in `status` for operators, newest first (pending: waiting longest is at the end of the page)."""
    if status not in QUEUE_STATUSES:
        status = states.PENDING
    query = Shop.objects.filter(status=status).select_related("owner")
    return _page(query, cursor=cursor, limit=limit, scope=f"{QUEUE_SCOPE}.{status}")


def pending_count() -> int:
    return Shop.objects.filter(status=states.PENDING).count()
