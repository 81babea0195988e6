"""JSON API of shops (mounted under /api/v1/shops/ in config.api): open, read, settings, review,
staff and shipping rates. Each endpoint parses, checks access, and calls one service or selector."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from haven.accounts.auth import OptionalAuth
from haven.core import ratelimit
from haven.core.errors import Forbidden
from haven.core.openapi import errors
from haven.shops import access, selectors, services
from haven.shops.schemas import (
    MAX_ID,
    USERNAME_MAX,
    ListQuery,
    QueueQuery,
    ReviewIn,
    RoleIn,
    ShippingRateIn,
    ShippingRateOut,
    ShopIn,
    ShopOut,
    ShopPageOut,
    ShopPatch,
    StaffIn,
    StaffOut,
    TransitionOut,
    shop_out,
    staff_out,
    transition_out,
)

router = Router(tags=["shops"])
Id = Path(..., ge=1, le=MAX_ID)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _out(viewer: Any, shop: Any) -> dict[str, Any]:
    return shop_out(viewer, shop, role=access.staff_role(viewer, shop))


@router.post("", response={201: ShopOut, **errors(409, 429)}, summary="Open a shop (it waits for review)")
def open_shop(request: HttpRequest, payload: ShopIn) -> Status[Any]:
    viewer = _user(request)
    ratelimit.hit("shop_open", str(viewer.pk), limit=services.OPENS_PER_HOUR, window_seconds=3600)
    shop = services.shop_open(owner=viewer, **payload.dict())
    return Status(201, _out(viewer, shop))


@router.get("/mine", response=ShopPageOut, summary="Shops I own or work in, whatever their status")
def my_shops(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    viewer = _user(request)
    page = selectors.my_shops(viewer, cursor=query.cursor, limit=query.limit)
    roles = selectors.roles_of(viewer, [s.pk for s in page.items])
    return {
        "items": [shop_out(viewer, s, role=roles.get(s.pk)) for s in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/review", response={200: ShopPageOut, **errors(403)}, summary="Operators: shops by review status"
)
def review_queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    viewer = _user(request)
    if not access.is_operator(viewer):
        raise Forbidden(_("Only Haven's operators can review shops."), code="not_operator")
    page = selectors.review_queue(status=query.status, cursor=query.cursor, limit=query.limit)
    return {"items": [shop_out(viewer, s) for s in page.items], "next_cursor": page.next_cursor}


@router.get("/{slug_or_id}", response=ShopOut, auth=OptionalAuth(), summary="A shop, by its address or id")
def get_shop(
    request: HttpRequest, slug_or_id: str = Path(..., min_length=1, max_length=40)
) -> dict[str, Any]:
    viewer = _user(request)
    if slug_or_id.isdigit():
        shop = access.visible_shop_or_404(viewer, shop_id=slug_or_id)
    else:
        shop = access.visible_shop_or_404(viewer, slug=slug_or_id.lower())
    return _out(viewer, shop)


@router.patch(
    "/{slug_or_id}", response={200: ShopOut, **errors(409)}, summary="Change a shop's settings (by id)"
)
def update_shop(
    request: HttpRequest, payload: ShopPatch, slug_or_id: str = Path(..., min_length=1, max_length=40)
) -> dict[str, Any]:
    # The same path as GET (ninja routes one pattern per path); only ids are accepted here.
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, slug_or_id)
    fields = payload.dict(exclude_unset=True)
    if "logo_id" in fields:
        fields["logo_id"] = fields["logo_id"] or None
    services.shop_update(actor=viewer, shop=shop, **fields)
    return _out(viewer, shop)


@router.post(
    "/{shop_id}/resubmit",
    response={200: ShopOut, **errors(409)},
    summary="Ask for review again after a rejection",
)
def resubmit(request: HttpRequest, shop_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id)
    services.shop_resubmit(actor=viewer, shop=shop)
    return _out(viewer, shop)


@router.post(
    "/{shop_id}/review",
    response={200: ShopOut, **errors(403, 409)},
    summary="Operators: approve, reject, suspend or reinstate a shop",
)
def review(request: HttpRequest, payload: ReviewIn, shop_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    shop = access.visible_shop_or_404(viewer, shop_id=shop_id)
    services.shop_review_action(operator=viewer, shop=shop, action=payload.action, note=payload.note)
    return _out(viewer, shop)


@router.get("/{shop_id}/history", response=list[TransitionOut], summary="The shop's review history (staff)")
def history(request: HttpRequest, shop_id: int = Id) -> list[dict[str, Any]]:
    shop = access.staff_shop_or_404(_user(request), shop_id, roles=access.FULFIL)
    return [transition_out(t) for t in selectors.history(shop)]


# -------------------------------------------------------------------------------------------------
# Staff


@router.get("/{shop_id}/staff", response=list[StaffOut], summary="Who works in the shop (staff)")
def list_staff(request: HttpRequest, shop_id: int = Id) -> list[dict[str, Any]]:
    shop = access.staff_shop_or_404(_user(request), shop_id, roles=access.FULFIL)
    return [staff_out(row) for row in selectors.staff_list(shop)]


@router.post("/{shop_id}/staff", response={201: StaffOut, **errors(403, 409)}, summary="Add a staff member")
def add_staff(request: HttpRequest, payload: StaffIn, shop_id: int = Id) -> Status[Any]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id)
    row = services.staff_add(actor=viewer, shop=shop, username=payload.username, role=payload.role)
    return Status(201, staff_out(row))


@router.patch(
    "/{shop_id}/staff/{username}", response={200: StaffOut, **errors(403, 409)}, summary="Change a staff role"
)
def set_role(
    request: HttpRequest,
    payload: RoleIn,
    shop_id: int = Id,
    username: str = Path(..., max_length=USERNAME_MAX),
) -> dict[str, Any]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id)
    return staff_out(services.staff_set_role(actor=viewer, shop=shop, username=username, role=payload.role))


@router.delete(
    "/{shop_id}/staff/{username}",
    response={204: None, **errors(403, 409)},
    summary="Remove a staff member (or leave the shop yourself)",
)
def remove_staff(
    request: HttpRequest, shop_id: int = Id, username: str = Path(..., max_length=USERNAME_MAX)
) -> Status[None]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id, roles=access.FULFIL)
    services.staff_remove(actor=viewer, shop=shop, username=username)
    return Status(204, None)


# -------------------------------------------------------------------------------------------------
# Shipping rates


@router.get(
    "/{shop_id}/shipping", response=list[ShippingRateOut], auth=OptionalAuth(), summary="Where the shop ships"
)
def list_rates(request: HttpRequest, shop_id: int = Id) -> list[dict[str, Any]]:
    shop = access.visible_shop_or_404(_user(request), shop_id=shop_id)
    return [{"region": r.region, "mode": r.mode, "amount": r.amount} for r in selectors.shipping_rates(shop)]


@router.put(
    "/{shop_id}/shipping",
    response={200: ShippingRateOut, **errors(409)},
    summary='Set the rate of one country, or "*" for everywhere else',
)
def set_rate(request: HttpRequest, payload: ShippingRateIn, shop_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id)
    rate = services.shipping_rate_set(
        actor=viewer, shop=shop, region=payload.region, mode=payload.mode, amount=payload.amount
    )
    return {"region": rate.region, "mode": rate.mode, "amount": rate.amount}


@router.delete("/{shop_id}/shipping/{region}", response={204: None}, summary="Stop shipping to a region")
def delete_rate(
    request: HttpRequest, shop_id: int = Id, region: str = Path(..., max_length=2)
) -> Status[None]:
    viewer = _user(request)
    shop = access.staff_shop_or_404(viewer, shop_id)
    services.shipping_rate_delete(actor=viewer, shop=shop, region=region)
    return Status(204, None)
