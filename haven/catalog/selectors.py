"""Reads of the catalog: attribution of purchases to notes, lists for callers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from haven.catalog.access import visible_products
from haven.catalog.models import NoteProductTag, Product, ProductImage, TagClick, Variant
from haven.core.money import format_money
from haven.core.pagination import DEFAULT_PAGE_SIZE, Page, decode_cursor, encode_cursor, invalid_cursor
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.notes.access import distributable_notes, without_muted
from haven.notes.selectors import with_card_data


def attribution_window() -> timedelta:
    """How long after tapping a product tag a purchase still credits the note (HAVEN_ATTRIBUTION_DAYS)."""
    return timedelta(days=int(settings.HAVEN_ATTRIBUTION_DAYS))


def attributed_note_id(*, user: Any, product_id: int, now: Any = None) -> int | None:
    """The note whose tag of `product_id` `user` tapped last within the window (last click wins)."""
    since = (now or timezone.now()) - attribution_window()
    return (
        TagClick.objects.filter(user=user, product_id=product_id, created_at__gte=since)
        .order_by("-created_at", "-id")
        .values_list("note_id", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Products for pages and the API

#: Stock at or below this shows "only N left".
LOW_STOCK = 5
#: Notes shown under "Notes about this product".
TAGGING_NOTES_MAX = 12


def price_text(amount: int | None, currency: str) -> str:
    return format_money(amount, currency) if amount is not None else ""


def product_images(product: Product) -> list[ProductImage]:
    """The product's images in display order, with their media rows (one query)."""
    return list(
        ProductImage.objects.filter(product=product).select_related("image").order_by("position", "id")
    )


def image_urls(image: MediaImage) -> dict[str, Any]:
    """Rendition URLs of a product image (signed outside notes: docs/adr/0004-media-access.md)."""
    return {
        "id": image.pk,
        "state": image.state,
        "width": image.width or 3,
        "height": image.height or 4,
        "grid_url": rendition_url(image, "grid"),
        "detail_url": rendition_url(image, "detail"),
    }


def _stock_state(variant: Variant) -> str:
    """ "unlimited", "in_stock", "low" or "sold_out" (what the picker shows)."""
    if variant.stock is None:
        return "unlimited"
    if variant.stock <= 0:
        return "sold_out"
    return "low" if variant.stock <= LOW_STOCK else "in_stock"


def variant_data(variant: Variant, currency: str) -> dict[str, Any]:
    return {
        "id": variant.pk,
        "sku": variant.sku,
        "label": variant.label,
        "options": dict(variant.options or {}),
        "price": variant.price,
        "compare_at_price": variant.compare_at_price,
        "price_text": price_text(variant.price, currency),
        "compare_text": price_text(variant.compare_at_price, currency),
        "stock": variant.stock,
        "stock_state": _stock_state(variant),
        "in_stock": variant.in_stock,
        "is_active": variant.is_active,
    }


def active_variants(product: Product) -> list[Variant]:
    return list(Variant.objects.filter(product=product, is_active=True).order_by("position", "id"))


def option_groups(variants: Sequence[Variant]) -> list[dict[str, Any]]:
    """The option chips: each option name with its values in first-seen order, and whether any
    variant with that value is in stock."""
    groups: dict[str, dict[str, bool]] = {}
    for variant in variants:
        for name, value in (variant.options or {}).items():
            values = groups.setdefault(str(name), {})
            values[str(value)] = values.get(str(value), False) or variant.in_stock
    return [
        {"name": name, "values": [{"value": v, "available": ok} for v, ok in values.items()]}
        for name, values in groups.items()
    ]


def price_range(variants: Sequence[Variant]) -> tuple[int | None, int | None]:
    prices = [v.price for v in variants]
    return (min(prices), max(prices)) if prices else (None, None)


def product_cards(products: Sequence[Product]) -> list[dict[str, Any]]:
    """Small dicts for grids and tag chips (cover, title, lowest price, shop), in three queries at most."""
    ids = [p.pk for p in products]
    if not ids:
        return []
    covers: dict[int, MediaImage] = {}
    for row in (
        ProductImage.objects.filter(product_id__in=ids).select_related("image").order_by("position", "id")
    ):
        covers.setdefault(row.product_id, row.image)
    prices: dict[int, list[Variant]] = {}
    for variant in Variant.objects.filter(product_id__in=ids, is_active=True).only(
        "product_id", "price", "compare_at_price", "stock"
    ):
        prices.setdefault(variant.product_id, []).append(variant)
    out = []
    for product in products:
        currency = product.shop.currency
        variants = prices.get(product.pk, [])
        low, _high = price_range(variants)
        cheapest = min(variants, key=lambda v: v.price) if variants else None
        cover = covers.get(product.pk)
        out.append(
            {
                "id": product.pk,
                "title": product.title,
                "status": product.status,
                "currency": currency,
                "price": low,
                "price_text": price_text(low, currency),
                "compare_text": price_text(cheapest.compare_at_price, currency) if cheapest else "",
                "from": len({v.price for v in variants}) > 1,
                "sold_out": bool(variants) and not any(v.in_stock for v in variants),
                "image_url": rendition_url(cover, "grid") if cover else "",
                "rating": product.rating,
                "rating_count": product.rating_count,
                "sold_count": product.sold_count,
                "shop": {"id": product.shop_id, "name": product.shop.name, "slug": product.shop.slug},
                "url": reverse("catalog:detail", args=[product.pk]),
            }
        )
    return out


def shop_products(
    viewer: Any, shop: Any, *, cursor: str | None = None, limit: int = DEFAULT_PAGE_SIZE
) -> Page[Product]:
    """A shop's products `viewer` may see, newest first, keyset-paginated (signed cursor)."""
    rows = (
        visible_products(viewer).filter(shop_id=shop.pk).select_related("shop").order_by("-created_at", "-id")
    )
    after = decode_cursor(cursor, scope=f"shop-products:{shop.pk}")
    if after is not None:
        try:
            at, pk = parse_datetime(str(after["at"])), int(after["id"])
        except (KeyError, TypeError, ValueError):
            raise invalid_cursor() from None
        if at is None:
            raise invalid_cursor()
        rows = rows.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    items = list(rows[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = encode_cursor(
            {"at": last.created_at.isoformat(), "id": last.pk}, scope=f"shop-products:{shop.pk}"
        )
    return Page(items=items, next_cursor=next_cursor)


def notes_tagging(viewer: Any, product: Product, *, limit: int = TAGGING_NOTES_MAX) -> list[Any]:
    """Notes `viewer` may see that tag `product`, newest first (distributable: not limited or held)."""
    notes = without_muted(distributable_notes(viewer), viewer).filter(product_tags__product=product)
    return list(with_card_data(notes).order_by("-published_at", "-id")[:limit])


def tag_data(tags: Sequence[NoteProductTag]) -> list[dict[str, Any]]:
    """Tags of a note with product cards and their points (for the note page and the API)."""
    cards = {c["id"]: c for c in product_cards([t.product for t in tags])}
    return [
        {
            "product_id": t.product_id,
            "image_index": t.image_index,
            "x": t.x,
            "y": t.y,
            "product": cards[t.product_id],
        }
        for t in tags
    ]


def manage_rows(shop: Any) -> list[dict[str, Any]]:
    """Every product of a shop for its staff, newest first, with stock per variant (bounded)."""
    products = list(
        Product.objects.filter(shop=shop).select_related("shop").order_by("-created_at", "-id")[:500]
    )
    cards = {c["id"]: c for c in product_cards(products)}
    variants: dict[int, list[Variant]] = {}
    for v in Variant.objects.filter(product__in=products).order_by("position", "id"):
        variants.setdefault(v.product_id, []).append(v)
    return [
        {
            **cards[p.pk],
            "variants": [variant_data(v, shop.currency) for v in variants.get(p.pk, [])],
            "stock_total": (
                None
                if any(v.stock is None for v in variants.get(p.pk, []))
                else sum(v.stock or 0 for v in variants.get(p.pk, []))
            ),
        }
        for p in products
    ]
