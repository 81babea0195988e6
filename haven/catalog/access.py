"""Who may see or change which products: the only way to obtain user-visible products (rule 3).

The rule: products on sale (active) of open shops are seen by everyone; drafts, archived products and
every product of a shop that is not open (pending, rejected, suspended) are seen by the shop's staff
(any role) and operators only. Changing a product needs a managing role (owner, manager) or an
operator. Missing and hidden look the same (NotFound).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from haven.catalog.models import NoteProductTag, Product, Variant
from haven.core.errors import NotFound
from haven.core.input import MAX_ID
from haven.shops import access as shops_access
from haven.shops import states as shop_states
from haven.shops.models import ShopStaff

#: The condition of products anyone may see (and buy, and tag).
PUBLIC = Q(status=Product.Status.ACTIVE, shop__status=shop_states.ACTIVE)


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def _viewer_id(viewer: Any) -> int | None:
    return int(viewer.pk) if getattr(viewer, "is_authenticated", False) else None


def public_products() -> QuerySet[Product]:
    """Products on sale in open shops: what anyone sees, buys and tags."""
    return Product.objects.filter(PUBLIC)


def visible_products(viewer: Any) -> QuerySet[Product]:
    """Every product `viewer` may see, as one composable queryset (the rule in the module docstring)."""
    if shops_access.is_operator(viewer):
        return Product.objects.all()
    viewer_id = _viewer_id(viewer)
    if viewer_id is None:
        return public_products()
    works_there = Exists(ShopStaff.objects.filter(shop_id=OuterRef("shop_id"), user_id=viewer_id))
    return Product.objects.filter(PUBLIC | Q(works_there))


def visible_product_or_404(viewer: Any, product_id: Any) -> Product:
    """The product with its shop, if `viewer` may see it; NotFound for missing and hidden alike."""
    pk = _id(product_id)
    product = visible_products(viewer).select_related("shop").filter(pk=pk).first() if pk else None
    if product is None:
        raise NotFound()
    return product


def can_manage(user: Any, product: Product) -> bool:
    """Whether `user` may change `product` (owner or manager of its shop, or an operator)."""
    if shops_access.is_operator(user):
        return True
    return shops_access.staff_role(user, product.shop_id) in set(shops_access.MANAGE)


def managed_product_or_404(user: Any, product_id: Any, *, for_update: bool = False) -> Product:
    """The product (with its shop) if `user` may change it; NotFound otherwise, like a missing one."""
    pk = _id(product_id)
    rows = Product.objects.select_related("shop")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    product = rows.filter(pk=pk).first() if pk else None
    if product is None or not can_manage(user, product):
        raise NotFound()
    return product


def managed_variant_or_404(user: Any, variant_id: Any, *, for_update: bool = False) -> Variant:
    """The variant (with its product and shop) if `user` may change its product; NotFound otherwise."""
    pk = _id(variant_id)
    rows = Variant.objects.select_related("product__shop")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    variant = rows.filter(pk=pk).first() if pk else None
    if variant is None or not can_manage(user, variant.product):
        raise NotFound()
    return variant


def buyable_variant_or_404(variant_id: Any) -> Variant:
    """An active variant of a product on sale in an open shop (with product and shop loaded), for
    carts and checkout; NotFound otherwise. Stock is not checked here: orders reserves it."""
    pk = _id(variant_id)
    variant = (
        Variant.objects.select_related("product__shop")
        .filter(
            pk=pk,
            is_active=True,
            product__status=Product.Status.ACTIVE,
            product__shop__status=shop_states.ACTIVE,
        )
        .first()
        if pk
        else None
    )
    if variant is None:
        raise NotFound()
    return variant


def note_tags_for(viewer: Any, note: Any) -> list[NoteProductTag]:
    """The product tags of `note` that `viewer` may see, in order, with product and shop loaded.

    The caller has already checked that `viewer` may see the note (notes.access).
    """
    return list(
        NoteProductTag.objects.filter(note_id=note.pk, product__in=visible_products(viewer))
        .select_related("product__shop")
        .order_by("position", "id")
    )
