"""JSON API of catalog (mounted under /api/v1/catalog/ in config.api): products, variants, stock,
a shop's products, and product tags on notes with the taps on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema, Status

from haven.accounts.auth import OptionalAuth
from haven.catalog import access, selectors, services
from haven.catalog.schemas import (
    MAX_ID,
    ProductIn,
    ProductOut,
    ProductPageOut,
    ProductPatch,
    ProductStatusIn,
    ProductTagsIn,
    ProductTagsOut,
    StockAdjustIn,
    TagClickOut,
    VariantIn,
    VariantOut,
    VariantPatch,
    VariantRemovedOut,
    product_out,
    variant_out,
)
from haven.core.openapi import errors
from haven.core.pagination import MAX_PAGE_SIZE
from haven.notes.access import get_visible_note
from haven.shops.access import visible_shop_or_404

router = Router(tags=["catalog"])
Id = Path(..., ge=1, le=MAX_ID)


class PageQuery(Schema):
    cursor: str | None = NinjaField(None, max_length=2000)
    limit: int = NinjaField(20, ge=1, le=MAX_PAGE_SIZE)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _product(viewer: Any, product_id: int) -> dict[str, Any]:
    product = access.visible_product_or_404(viewer, product_id)
    return product_out(product, manager=access.can_manage(viewer, product))


# -------------------------------------------------------------------------------------------------
# Products


@router.post("/products", response={201: ProductOut}, summary="Create a draft product in a shop I manage")
def create_product(request: HttpRequest, payload: ProductIn) -> Status[Any]:
    user = _user(request)
    data = payload.dict()
    product = services.product_create(
        actor=user,
        shop=data["shop_id"],
        title=data["title"],
        description=data["description"],
        is_digital=data["is_digital"],
        commission_bps=data["commission_bps"],
        variants=data["variants"],
        image_ids=data["image_ids"],
    )
    return Status(201, _product(user, product.pk))


@router.get("/products/{product_id}", response=ProductOut, auth=OptionalAuth(), summary="A product")
def get_product(request: HttpRequest, product_id: int = Id) -> dict[str, Any]:
    return _product(_user(request), product_id)


@router.patch("/products/{product_id}", response=ProductOut, summary="Edit a product of a shop I manage")
def patch_product(request: HttpRequest, payload: ProductPatch, product_id: int = Id) -> dict[str, Any]:
    user = _user(request)
    services.product_update(actor=user, product=product_id, **payload.dict(exclude_none=True))
    return _product(user, product_id)


@router.post(
    "/products/{product_id}/status",
    response={200: ProductOut, **errors(409)},
    summary="Put a product on sale, back to draft, or archive it",
)
def set_status(request: HttpRequest, payload: ProductStatusIn, product_id: int = Id) -> dict[str, Any]:
    user = _user(request)
    services.product_set_status(actor=user, product=product_id, status=payload.status)
    return _product(user, product_id)


@router.get(
    "/shops/{shop_id}/products",
    response=ProductPageOut,
    auth=OptionalAuth(),
    summary="A shop's products, newest first (its staff also see drafts and archived ones)",
)
def list_shop_products(request: HttpRequest, query: Query[PageQuery], shop_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    shop = visible_shop_or_404(viewer, shop_id=shop_id)
    page = selectors.shop_products(viewer, shop, cursor=query.cursor, limit=query.limit)
    return {"items": selectors.product_cards(page.items), "next_cursor": page.next_cursor}


# -------------------------------------------------------------------------------------------------
# Variants and stock


@router.post(
    "/products/{product_id}/variants", response={201: VariantOut}, summary="Add a variant to a product"
)
def add_variant(request: HttpRequest, payload: VariantIn, product_id: int = Id) -> Status[Any]:
    variant = services.variant_add(actor=_user(request), product=product_id, **payload.dict())
    return Status(201, variant_out(variant, variant.product.shop.currency))


@router.patch("/variants/{variant_id}", response={200: VariantOut, **errors(409)}, summary="Edit a variant")
def patch_variant(request: HttpRequest, payload: VariantPatch, variant_id: int = Id) -> dict[str, Any]:
    variant = services.variant_update(
        actor=_user(request), variant=variant_id, **payload.dict(exclude_unset=True)
    )
    return variant_out(variant, variant.product.shop.currency)


@router.delete(
    "/variants/{variant_id}",
    response={200: VariantRemovedOut, **errors(409)},
    summary="Remove a variant (one that was ordered is deactivated instead)",
)
def delete_variant(request: HttpRequest, variant_id: int = Id) -> dict[str, Any]:
    return {"result": services.variant_remove(actor=_user(request), variant=variant_id)}


@router.post(
    "/variants/{variant_id}/stock",
    response={200: VariantOut, **errors(409)},
    summary="Add to or take from a variant's stock (409 insufficient_stock below zero)",
)
def adjust_stock(request: HttpRequest, payload: StockAdjustIn, variant_id: int = Id) -> dict[str, Any]:
    variant = services.stock_adjust(actor=_user(request), variant=variant_id, delta=payload.delta)
    return variant_out(variant, variant.product.shop.currency)


# -------------------------------------------------------------------------------------------------
# Product tags on notes


def _tags(viewer: Any, note: Any) -> dict[str, Any]:
    return {"items": selectors.tag_data(access.note_tags_for(viewer, note))}


@router.get(
    "/notes/{note_id}/tags", response=ProductTagsOut, auth=OptionalAuth(), summary="Products a note tags"
)
def get_tags(request: HttpRequest, note_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    return _tags(viewer, get_visible_note(viewer, note_id))


@router.put("/notes/{note_id}/tags", response=ProductTagsOut, summary="Replace the product tags of my note")
def put_tags(request: HttpRequest, payload: ProductTagsIn, note_id: int = Id) -> dict[str, Any]:
    user = _user(request)
    tags = [{"product_id": t.product_id, **(t.point.dict() if t.point else {})} for t in payload.tags]
    services.note_tags_set(author=user, note=note_id, tags=tags)
    return _tags(user, get_visible_note(user, note_id))


@router.post(
    "/notes/{note_id}/tags/{product_id}/click",
    response=TagClickOut,
    summary="I tapped a product tag on a note (attributes a later purchase to the note)",
)
def click_tag(request: HttpRequest, note_id: int = Id, product_id: int = Id) -> dict[str, Any]:
    click = services.tag_click_record(user=_user(request), note=note_id, product=product_id)
    return {"recorded": click is not None}
