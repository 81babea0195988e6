"""Shops in the reportables registry (core.reportables): a member reports a shop they can see (its
name and descriptions); a decision to remove it suspends the shop (operators reinstate it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.core import reportables
from haven.core.errors import NotFound
from haven.core.reportables import ModerationState
from haven.shops import access, selectors, services, states
from haven.shops.models import Shop


def _visible_to(viewer: Any, pk: int) -> Shop | None:
    try:
        shop = access.visible_shop_or_404(viewer, shop_id=pk)
    except NotFound:
        return None
    if access.staff_role(viewer, shop) is not None:
        return None  # nobody reports their own shop
    return shop


def _load(pk: int) -> Shop | None:
    return Shop.objects.select_related("logo").filter(pk=pk).first()


def _describe(shop: Shop) -> reportables.Target:
    text = "\n\n".join(t for t in (shop.description_en, shop.description_zh, shop.return_policy) if t)
    logo = selectors.logo_url(shop)
    return reportables.Target(
        kind="shop",
        pk=shop.pk,
        author_id=shop.owner_id,
        text=text,
        language="zh" if shop.description_zh and not shop.description_en else "und",
        title=shop.name,
        url=reverse("shops:shop", args=[shop.slug]),
        reach=shop.sold_count,
        is_public=shop.status == states.ACTIVE,
        state=ModerationState.REMOVED if shop.status == states.SUSPENDED else ModerationState.OK,
        image_urls=(logo,) if logo else (),
        created_at=shop.created_at,
        extra={"slug": shop.slug, "status": shop.status, "kind": shop.kind},
    )


def _set_state(shop: Shop, state: str, reason: str) -> None:
    if state == ModerationState.REMOVED:
        services.shop_moderation_remove(shop=shop, reason=reason)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="shop",
            label=gettext_lazy("shop"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            models=("shops.Shop",),
        )
    )
