"""Shops' entries in the personal-data registry (core.personal_data).

Export: the shops the member owns (settings, status, shipping rates, review history) and their roles
in every shop they work in.

Erasure: a shop the member owns is deleted with its products, staff and rates when nothing keeps it;
a shop that orders reference (a business record that tax law keeps, Order.shop is PROTECT) stays,
suspended for good, without its owner (Shop.owner is null from then on; no review can reopen it). The
member's staff roles go. Review-history rows they acted in stay without who acted (the shop's audit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from haven.core import personal_data
from haven.shops import services
from haven.shops.models import ShippingRate, Shop, ShopStaff, ShopTransition


def iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_shops(user: Any) -> Iterator[dict[str, Any]]:
    for shop in Shop.objects.filter(owner_id=user.pk).order_by("pk"):
        rates = ShippingRate.objects.filter(shop=shop).order_by("region")
        history = ShopTransition.objects.filter(shop=shop).order_by("pk")[:200]
        yield {
            "id": shop.pk,
            "slug": shop.slug,
            "name": shop.name,
            "kind": shop.kind,
            "status": shop.status,
            "currency": shop.currency,
            "description_en": shop.description_en,
            "description_zh": shop.description_zh,
            "return_policy": shop.return_policy,
            "logo_image_id": shop.logo_id,
            "review_note": shop.review_note,
            "created_at": iso(shop.created_at),
            "shipping_rates": [{"region": r.region, "mode": r.mode, "amount": r.amount} for r in rates],
            "review_history": [
                {"from": t.src, "to": t.dst, "note": t.note, "at": iso(t.created_at)} for t in history
            ],
        }


def export_roles(user: Any) -> Iterator[dict[str, Any]]:
    rows = ShopStaff.objects.filter(user_id=user.pk).select_related("shop").order_by("pk")
    for row in rows:
        yield {
            "id": row.pk,
            "shop_id": row.shop_id,
            "shop": row.shop.slug,
            "role": row.role,
            "since": iso(row.created_at),
        }


def erase_shops(user: Any) -> int:
    """Delete the member's shops that nothing keeps; keep the others as suspended business records
    without an owner. Idempotent."""
    count = 0
    for shop in list(Shop.objects.filter(owner_id=user.pk).order_by("pk")):
        try:
            with transaction.atomic():
                shop.delete()
        except ProtectedError:
            services.shop_owner_erased(shop=shop)
        count += 1
    return count


def erase_transitions(user: Any) -> int:
    return int(ShopTransition.objects.filter(actor_id=user.pk).update(actor=None))


def register_all() -> None:
    personal_data.register(
        Shop,
        section="shops",
        owner_fields=("owner",),
        exporter=export_shops,
        eraser=erase_shops,
        kept=(
            "A shop that has orders is kept, suspended and without its owner, as the business record "
            "the orders belong to."
        ),
        order=40,
    )
    personal_data.register(
        ShopStaff,
        section="shops",
        owner_fields=("user",),
        exporter=export_roles,
        eraser=personal_data.rows_deleter(ShopStaff),
        order=45,
    )
    personal_data.register(
        ShopTransition,
        section="shops",
        owner_fields=(),
        other_user_fields=("actor",),
        exporter=None,
        eraser=erase_transitions,
        kept="A shop's review history is kept without who acted in it.",
        order=45,
    )
