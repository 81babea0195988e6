"""Products in the reportables registry (core.reportables): a member reports a product they can see;
a removal (or a hold) takes it off sale (archived) through catalog.services.product_moderate."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.catalog import access, selectors, services
from haven.catalog.models import Product
from haven.core import reportables
from haven.core.errors import NotFound
from haven.core.reportables import ModerationState


def _visible_to(viewer: Any, pk: int) -> Product | None:
    try:
        return access.visible_product_or_404(viewer, pk)
    except NotFound:
        return None


def _load(pk: int) -> Product | None:
    return Product.objects.select_related("shop").filter(pk=pk).first()


def _describe(product: Product) -> reportables.Target:
    images = [row.image for row in selectors.product_images(product)][:4]
    return reportables.Target(
        kind="product",
        pk=product.pk,
        author_id=product.shop.owner_id,
        text=product.description,
        language=product.language or "und",
        title=product.title,
        url=reverse("catalog:detail", args=[product.pk]),
        reach=product.sold_count,
        is_public=product.status == Product.Status.ACTIVE,
        state=ModerationState.OK if product.status != Product.Status.ARCHIVED else ModerationState.REMOVED,
        image_urls=tuple(u for u in (selectors.image_urls(i)["grid_url"] for i in images) if u),
        created_at=product.created_at,
        extra={"shop_id": product.shop_id, "shop": product.shop.name, "status": product.status},
    )


def _set_state(product: Product, state: str, reason: str) -> None:
    services.product_moderate(product_id=product.pk, state=state)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="product",
            label=gettext_lazy("product"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            models=("catalog.Product",),
        )
    )
