"""Schemas of the catalog API: every field bounded (lengths, list sizes, id and amount ranges)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from haven.catalog import selectors
from haven.catalog.models import (
    COMMISSION_BPS_MAX,
    DESCRIPTION_MAX,
    IMAGES_MAX,
    OPTION_NAME_MAX,
    OPTION_VALUE_MAX,
    OPTIONS_MAX,
    SKU_MAX,
    STOCK_MAX,
    TAGS_PER_NOTE_MAX,
    TITLE_MAX,
    VARIANTS_MAX,
    Product,
    Variant,
)
from haven.core.money import AMOUNT_MAX
from haven.core.openapi import TEXT_PATTERN

MAX_ID = 2**63 - 1
#: Nested body models (list items) take no unknown fields (422), so their keys need no rule of their own.
NESTED = ConfigDict(extra="forbid")
#: Option names as JSON object keys: bounded and free of control characters.
OPTION_KEYS: dict[str, Any] = {
    "propertyNames": {"pattern": TEXT_PATTERN, "minLength": 1, "maxLength": OPTION_NAME_MAX}
}
OptionValue = Annotated[str, StringConstraints(min_length=1, max_length=OPTION_VALUE_MAX)]


class VariantIn(Schema):
    model_config = NESTED

    sku: str = Field(..., min_length=1, max_length=SKU_MAX)
    options: dict[str, OptionValue] = Field(
        default_factory=dict,
        max_length=OPTIONS_MAX,
        json_schema_extra=OPTION_KEYS,
        description=f"At most {OPTIONS_MAX} options, names up to {OPTION_NAME_MAX} and values up to "
        f"{OPTION_VALUE_MAX} characters, e.g. {{'size': 'M', 'colour': 'red'}}",
    )
    price: int = Field(..., ge=1, le=AMOUNT_MAX, description="In minor units of the shop's currency")
    compare_at_price: int | None = Field(None, ge=1, le=AMOUNT_MAX, description="The price before a discount")
    stock: int | None = Field(None, ge=0, le=STOCK_MAX, description="null: unlimited")


class VariantPatch(Schema):
    """Fields left out stay as they are; `compare_at_price` and `stock` may be set to null."""

    sku: str | None = Field(None, min_length=1, max_length=SKU_MAX)
    options: dict[str, OptionValue] | None = Field(
        None, max_length=OPTIONS_MAX, json_schema_extra=OPTION_KEYS
    )
    price: int | None = Field(None, ge=1, le=AMOUNT_MAX)
    compare_at_price: int | None = Field(None, ge=1, le=AMOUNT_MAX)
    stock: int | None = Field(None, ge=0, le=STOCK_MAX)
    is_active: bool | None = None


class ProductIn(Schema):
    shop_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    is_digital: bool = False
    commission_bps: int = Field(0, ge=0, le=COMMISSION_BPS_MAX, description="Basis points for the creator")
    variants: list[VariantIn] = Field(..., min_length=1, max_length=VARIANTS_MAX)
    image_ids: list[int] = Field(default_factory=list, max_length=IMAGES_MAX)


class ProductPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=DESCRIPTION_MAX)
    is_digital: bool | None = None
    commission_bps: int | None = Field(None, ge=0, le=COMMISSION_BPS_MAX)
    image_ids: list[int] | None = Field(None, max_length=IMAGES_MAX)


class ProductStatusIn(Schema):
    status: Literal["draft", "active", "archived"]


class StockAdjustIn(Schema):
    delta: int = Field(..., ge=-STOCK_MAX, le=STOCK_MAX)


class TagPointIn(Schema):
    """Where on the note the product is: one of its images and a point on it."""

    model_config = NESTED

    image_index: int = Field(..., ge=0, le=17, description="Which of the note's images (from 0)")
    x: int = Field(..., ge=0, le=1000, description="Per-mille of the image's width")
    y: int = Field(..., ge=0, le=1000, description="Per-mille of the image's height")


class ProductTagIn(Schema):
    model_config = NESTED

    product_id: int = Field(..., ge=1, le=MAX_ID)
    point: TagPointIn | None = None


class ProductTagsIn(Schema):
    tags: list[ProductTagIn] = Field(..., max_length=TAGS_PER_NOTE_MAX)


class ProductShopOut(Schema):
    id: int
    slug: str
    name: str
    currency: str


class ProductImageOut(Schema):
    id: int
    state: str
    width: int
    height: int
    grid_url: str
    detail_url: str


class VariantOut(Schema):
    id: int
    sku: str
    label: str
    options: dict[str, str]
    price: int
    compare_at_price: int | None
    price_text: str
    compare_text: str
    stock: int | None = Field(None, description="null: unlimited")
    stock_state: Literal["unlimited", "in_stock", "low", "sold_out"]
    is_active: bool


class ProductOut(Schema):
    id: int
    shop: ProductShopOut
    title: str
    description: str
    language: str
    status: str
    is_digital: bool
    commission_bps: int
    currency: str
    price_min: int | None
    price_max: int | None
    rating: float | None
    rating_count: int
    sold_count: int
    images: list[ProductImageOut]
    variants: list[VariantOut]
    can_manage: bool
    created_at: datetime
    updated_at: datetime


class ProductCardOut(Schema):
    id: int
    title: str
    status: str
    currency: str
    price: int | None
    price_text: str
    compare_text: str
    sold_out: bool
    image_url: str
    rating: float | None
    rating_count: int
    sold_count: int
    url: str


class ProductPageOut(Schema):
    items: list[ProductCardOut]
    next_cursor: str | None


class ProductTagOut(Schema):
    product_id: int
    image_index: int | None
    x: int | None
    y: int | None
    product: ProductCardOut


class ProductTagsOut(Schema):
    items: list[ProductTagOut]


class VariantRemovedOut(Schema):
    result: Literal["deleted", "deactivated"]


class TagClickOut(Schema):
    recorded: bool


def variant_out(variant: Variant, currency: str) -> dict[str, Any]:
    return selectors.variant_data(variant, currency)


def product_out(product: Product, *, manager: bool) -> dict[str, Any]:
    """A product for the API: managers see every variant, others the active ones."""
    shop = product.shop
    variants = list(product.variants.all()) if manager else selectors.active_variants(product)
    low, high = selectors.price_range([v for v in variants if v.is_active])
    return {
        "id": product.pk,
        "shop": {"id": shop.pk, "slug": shop.slug, "name": shop.name, "currency": shop.currency},
        "title": product.title,
        "description": product.description,
        "language": product.language,
        "status": product.status,
        "is_digital": product.is_digital,
        "commission_bps": product.commission_bps,
        "currency": shop.currency,
        "price_min": low,
        "price_max": high,
        "rating": product.rating,
        "rating_count": product.rating_count,
        "sold_count": product.sold_count,
        "images": [selectors.image_urls(row.image) for row in selectors.product_images(product)],
        "variants": [variant_out(v, shop.currency) for v in variants],
        "can_manage": manager,
        "created_at": product.created_at,
        "updated_at": product.updated_at,
    }
