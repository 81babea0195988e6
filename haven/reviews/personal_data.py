"""Reviews in the personal-data registry: a member's reviews are exported with their photos (the
image files come with media's export, named in each review) and erased with them, their ratings taken
out of the products' and shops' counters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.reviews import services
from haven.reviews.models import Review, ReviewPhoto


def export_reviews(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        Review.objects.filter(author_id=user.pk)
        .select_related("product", "order_line__order")
        .prefetch_related("photos")
        .order_by("pk")
    )
    for review in rows.iterator(chunk_size=500):
        line = review.order_line
        yield {
            "id": review.pk,
            "product_id": review.product_id,
            "product": review.product.title,
            "order": line.order.number if line is not None else None,
            "variant": line.variant_label if line is not None else "",
            "rating": review.rating,
            "text": review.body,
            "language": review.language,
            "verified": review.verified,
            "photo_image_ids": [p.image_id for p in review.photos.all()],
            "note_id": review.note_id,
            "moderation_state": review.moderation_state,
            "created_at": review.created_at.isoformat(),
            "updated_at": review.updated_at.isoformat(),
        }


def erase_reviews(user: Any) -> int:
    return services.reviews_erase_for_user(user=user)


def register_all() -> None:
    personal_data.register(
        Review,
        section="shopping",
        owner_fields=["author"],
        exporter=export_reviews,
        eraser=erase_reviews,
        order=40,
    )
    personal_data.register(
        ReviewPhoto,
        section="shopping",
        owner_fields=[],
        exporter=None,  # exported inside each review ("photo_image_ids"); files with media's export
        eraser=None,
        erased_with="reviews.Review",
    )
