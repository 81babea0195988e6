"""Reviews in the reportables registry (core.reportables): a member reports a review they can read;
moderation may hold, limit, remove or restore it through reviews.services.review_set_moderation (the
product's rating follows)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from haven.core import reportables
from haven.core.errors import NotFound
from haven.reviews import access, selectors, services
from haven.reviews.models import Review


def _visible_to(viewer: Any, pk: int) -> Review | None:
    try:
        review = access.visible_review_or_404(viewer, pk)
    except NotFound:
        return None
    return None if review.author_id == getattr(viewer, "pk", None) else review


def _load(pk: int) -> Review | None:
    return (
        Review.objects.select_related("product__shop", "author", "order_line")
        .prefetch_related("photos__image")
        .filter(pk=pk)
        .first()
    )


def _describe(review: Review) -> reportables.Target:
    return reportables.Target(
        kind="review",
        pk=review.pk,
        author_id=review.author_id,
        text=review.body,
        language=review.language or "und",
        title=review.product.title,
        url=reverse("reviews:product", args=[review.product_id]) + f"#review-{review.pk}",
        reach=review.product.sold_count,
        is_public=True,
        state=review.moderation_state,
        image_urls=tuple(p["grid_url"] for p in selectors.photo_urls(review)[:4]),
        created_at=review.created_at,
        extra={"rating": review.rating, "product_id": review.product_id, "verified": review.verified},
    )


def _set_state(review: Review, state: str, reason: str) -> None:
    services.review_set_moderation(review_id=review.pk, state=state)


def register() -> None:
    reportables.register(
        reportables.Reportable(
            kind="review",
            label=gettext_lazy("review"),
            visible_to=_visible_to,
            load=_load,
            describe=_describe,
            set_state=_set_state,
            models=("reviews.Review", "reviews.ReviewPhoto"),
        )
    )
