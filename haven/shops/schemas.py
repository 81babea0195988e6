"""Schemas of the shops API: every field bounded (lengths, list sizes, id ranges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from haven.core.money import AMOUNT_MAX
from haven.shops import access, selectors
from haven.shops.models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    RETURN_POLICY_MAX,
    REVIEW_NOTE_MAX,
    SLUG_MAX,
    ShippingRate,
    Shop,
    ShopStaff,
    ShopTransition,
)

MAX_ID = 2**63 - 1
USERNAME_MAX = 150
CURSOR_MAX = 2000


class ShopIn(Schema):
    """Open a shop: it waits for review before buyers see it."""

    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    slug: str = Field(..., min_length=3, max_length=SLUG_MAX, description="The shop's address: a-z, 0-9, -")
    kind: Literal["creator", "brand"] = "creator"
    currency: str = Field(..., min_length=3, max_length=3, description="ISO 4217, fixed after opening")
    description_en: str = Field("", max_length=DESCRIPTION_MAX)
    description_zh: str = Field("", max_length=DESCRIPTION_MAX)
    return_policy: str = Field("", max_length=RETURN_POLICY_MAX)
    logo_id: int | None = Field(None, ge=1, le=MAX_ID, description="An image of yours from /media")


class ShopPatch(Schema):
    """Change a shop's settings (owner and managers); fields left out stay as they are."""

    name: str | None = Field(None, min_length=1, max_length=NAME_MAX)
    description_en: str | None = Field(None, max_length=DESCRIPTION_MAX)
    description_zh: str | None = Field(None, max_length=DESCRIPTION_MAX)
    return_policy: str | None = Field(None, max_length=RETURN_POLICY_MAX)
    logo_id: int | None = Field(None, ge=0, le=MAX_ID, description="An image of yours (0 removes the logo)")
    currency: str | None = Field(None, min_length=3, max_length=3, description="Refused if it differs")


class ShippingRateIn(Schema):
    region: str = Field(..., min_length=1, max_length=2, description='ISO 3166-1 alpha-2, or "*"')
    mode: Literal["flat", "per_item"] = "flat"
    amount: int = Field(..., ge=0, le=AMOUNT_MAX, description="Minor units of the shop's currency")


class ShippingRateOut(Schema):
    region: str
    mode: str
    amount: int


class StaffIn(Schema):
    username: str = Field(..., min_length=1, max_length=USERNAME_MAX)
    role: Literal["manager", "fulfilment"]


class RoleIn(Schema):
    role: Literal["manager", "fulfilment"]


class StaffOut(Schema):
    username: str
    display_name: str
    role: str
    since: datetime


class ReviewIn(Schema):
    action: Literal["approve", "reject", "suspend", "reinstate"]
    note: str = Field("", max_length=REVIEW_NOTE_MAX)


class TransitionOut(Schema):
    src: str
    dst: str
    note: str
    by_operator: bool
    at: datetime


class ShopOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    status: str
    currency: str
    description_en: str
    description_zh: str
    description: str = Field(description="In the caller's language, falling back to the other one")
    return_policy: str
    logo_url: str | None = None
    rating: float | None = None
    rating_count: int
    sold_count: int
    shipping: list[ShippingRateOut]
    url: str
    my_role: str | None = None
    review_note: str | None = Field(None, description="The operators' note (staff and operators only)")
    created_at: datetime


class ShopPageOut(Schema):
    items: list[ShopOut]
    next_cursor: str | None = None


class ListQuery(Schema):
    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    limit: int = Field(20, ge=1, le=50)


class QueueQuery(ListQuery):
    status: Literal["pending", "active", "suspended", "rejected"] = "pending"


def shop_out(
    viewer: Any, shop: Shop, *, role: str | None = None, rates: list[ShippingRate] | None = None
) -> dict[str, Any]:
    """A shop as the API shows it to `viewer`; the review note only to its staff and operators."""
    from django.urls import reverse

    insider = role is not None or access.is_operator(viewer)
    rates = selectors.shipping_rates(shop) if rates is None else rates
    return {
        "id": shop.pk,
        "slug": shop.slug,
        "name": shop.name,
        "kind": shop.kind,
        "status": shop.status,
        "currency": shop.currency,
        "description_en": shop.description_en,
        "description_zh": shop.description_zh,
        "description": selectors.description_for(shop),
        "return_policy": shop.return_policy,
        "logo_url": selectors.logo_url(shop) or None,
        "rating": shop.rating,
        "rating_count": shop.rating_count,
        "sold_count": shop.sold_count,
        "shipping": [{"region": r.region, "mode": r.mode, "amount": r.amount} for r in rates],
        "url": reverse("shops:shop", args=[shop.slug]),
        "my_role": role,
        "review_note": shop.review_note if insider else None,
        "created_at": shop.created_at,
    }


def staff_out(row: ShopStaff) -> dict[str, Any]:
    return {
        "username": row.user.username,
        "display_name": row.user.display_name,
        "role": row.role,
        "since": row.created_at,
    }


def transition_out(row: ShopTransition) -> dict[str, Any]:
    return {
        "src": row.src,
        "dst": row.dst,
        "note": row.note,
        "by_operator": bool(row.actor is not None and row.actor.is_staff),
        "at": row.created_at,
    }
