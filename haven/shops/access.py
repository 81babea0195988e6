"""Who may see or work in a shop: the only way to obtain user-visible shops (rule 3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from haven.core.errors import NotFound
from haven.core.input import MAX_ID
from haven.shops import states
from haven.shops.models import Shop, ShopStaff

#: Roles allowed to change products, prices, refunds and staff below them.
MANAGE = (ShopStaff.Role.OWNER, ShopStaff.Role.MANAGER)
#: Roles allowed to see and ship orders.
FULFIL = (ShopStaff.Role.OWNER, ShopStaff.Role.MANAGER, ShopStaff.Role.FULFILMENT)


def _as_id(value: Any) -> int | None:
    """A shop id from a path or form (1..MAX_ID), or None: a bad id is simply not found."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def staff_role(user: Any, shop: Shop | int) -> str | None:
    """The role `user` has in `shop`, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    shop_id = shop if isinstance(shop, int) else shop.pk
    return ShopStaff.objects.filter(shop_id=shop_id, user=user).values_list("role", flat=True).first()


def public_shops() -> QuerySet[Shop]:
    """Shops anyone may browse and buy from."""
    return Shop.objects.filter(status=states.ACTIVE)


def can_view(viewer: Any, shop: Shop) -> bool:
    """Open shops are public; a pending, rejected or suspended shop is seen by its staff and operators."""
    return shop.status == states.ACTIVE or is_operator(viewer) or staff_role(viewer, shop) is not None


def visible_shop_or_404(viewer: Any, *, slug: str | None = None, shop_id: Any = None) -> Shop:
    """The shop `viewer` may see, by slug or id; missing and hidden look the same."""
    query = Shop.objects.all()
    if slug is not None:
        shop = query.filter(slug=str(slug)[:40]).first()
    elif (pk := _as_id(shop_id)) is not None:
        shop = query.filter(pk=pk).first()
    else:
        shop = None
    if shop is None or not can_view(viewer, shop):
        raise NotFound()
    return shop


def staff_shop_or_404(user: Any, shop_id: Any, *, roles: Iterable[str] = MANAGE) -> Shop:
    """The shop `user` works in with one of `roles` (operators pass), else NotFound."""
    pk = _as_id(shop_id)
    shop = Shop.objects.filter(pk=pk).first() if pk is not None else None
    if shop is None:
        raise NotFound()
    if is_operator(user):
        return shop
    role = staff_role(user, shop)
    if role is None or role not in set(roles):
        raise NotFound()
    return shop


def shops_of(user: Any) -> QuerySet[Shop]:
    """Every shop `user` works in, whatever its status."""
    if not getattr(user, "is_authenticated", False):
        return Shop.objects.none()
    return Shop.objects.filter(staff__user=user).distinct().order_by("-created_at")


def sells(shop: Shop) -> bool:
    """Whether buyers may check out from `shop` now."""
    return shop.status == states.ACTIVE
