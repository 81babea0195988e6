"""Products in the searchables registry (core.searchables): their title and description, and who finds them.

A product is indexable while it is on sale in an open shop (catalog.access.public_products); search
shows it to a viewer read through the same rule at query time. Its shop's name joins the head.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext_lazy

from haven.catalog import access, selectors
from haven.catalog.models import Product
from haven.core import searchables

PRODUCT_CODE = 10
EXCERPT = 140


def product_documents(pks: Sequence[int]) -> dict[int, searchables.Document]:
    rows = access.public_products().filter(pk__in=list(pks)).select_related("shop")
    return {
        p.pk: searchables.Document(
            head=(p.title, p.shop.name),
            body=(p.description,),
            language=p.language or "und",
            at=p.created_at,
            popularity=p.sold_count + p.rating_count,
        )
        for p in rows
    }


def product_ids() -> Iterator[int]:
    return access.public_products().order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)


def visible_products_among(viewer: Any, pks: Sequence[int]) -> dict[int, Product]:
    rows = access.public_products().filter(pk__in=list(pks)).select_related("shop")
    return {p.pk: p for p in rows}


def product_cards(viewer: Any, products: Sequence[Any]) -> dict[int, dict[str, Any]]:
    cards = selectors.product_cards(list(products))
    by_id = {p.pk: p for p in products}
    return {c["id"]: {**c, "excerpt": by_id[c["id"]].description[:EXCERPT]} for c in cards}


def register() -> None:
    searchables.register(
        searchables.Searchable(
            kind="product",
            code=PRODUCT_CODE,
            label=gettext_lazy("Products"),
            documents=product_documents,
            all_ids=product_ids,
            visible=visible_products_among,
            cards=product_cards,
            timely=True,
            models=("catalog.Product",),
        )
    )
