"""JSON API of reviews (mounted under /api/v1/reviews/ in config.api): a product's reviews (cursor,
filters) and histogram, writing, editing and deleting one's review."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema, Status

from haven.accounts.auth import OptionalAuth
from haven.core.openapi import errors
from haven.core.pagination import MAX_PAGE_SIZE
from haven.reviews import access, selectors, services
from haven.reviews.models import Review
from haven.reviews.schemas import (
    MAX_ID,
    RatingHistogramOut,
    ReviewCreateIn,
    ReviewOut,
    ReviewPageOut,
    ReviewPatchIn,
    histogram_out,
)

router = Router(tags=["reviews"])
Id = Path(..., ge=1, le=MAX_ID)


class ReviewsQuery(Schema):
    cursor: str | None = NinjaField(None, max_length=2000)
    limit: int = NinjaField(20, ge=1, le=MAX_PAGE_SIZE)
    with_photos: bool = False
    verified: bool = False


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _card(viewer: Any, review_id: int) -> dict[str, Any]:
    review = (
        Review.objects.select_related("author", "order_line")
        .prefetch_related("photos__image")
        .get(pk=review_id)
    )
    return selectors.review_card(viewer, review)


@router.get(
    "/products/{product_id}",
    response=ReviewPageOut,
    auth=OptionalAuth(),
    summary="A product's reviews, newest first (cursor; filters with_photos, verified)",
)
def product_reviews(request: HttpRequest, query: Query[ReviewsQuery], product_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    product = access.reviewed_product_or_404(viewer, product_id)
    page = selectors.product_reviews(
        viewer,
        product,
        cursor=query.cursor,
        limit=query.limit,
        with_photos=query.with_photos,
        verified=query.verified,
    )
    return {"items": selectors.review_cards(viewer, page.items), "next_cursor": page.next_cursor}


@router.get(
    "/products/{product_id}/histogram",
    response=RatingHistogramOut,
    auth=OptionalAuth(),
    summary="A product's average rating and reviews per number of stars",
)
def histogram(request: HttpRequest, product_id: int = Id) -> dict[str, Any]:
    product = access.reviewed_product_or_404(_user(request), product_id)
    return histogram_out(product.pk, selectors.rating_histogram(product))


@router.post(
    "",
    response={201: ReviewOut, **errors(409)},
    summary="Review a line of a delivered order (409 already_reviewed, not_delivered_yet)",
)
def create_review(request: HttpRequest, payload: ReviewCreateIn) -> Status[Any]:
    user = _user(request)
    review = services.review_create(
        author=user,
        order_line_id=payload.order_line_id,
        rating=payload.rating,
        body=payload.body,
        photo_ids=payload.photo_ids,
        publish_as_note=payload.publish_as_note,
    )
    return Status(201, _card(user, review.pk))


@router.get("/{review_id}", response=ReviewOut, auth=OptionalAuth(), summary="A review")
def get_review(request: HttpRequest, review_id: int = Id) -> dict[str, Any]:
    viewer = _user(request)
    return _card(viewer, access.visible_review_or_404(viewer, review_id).pk)


@router.patch(
    "/{review_id}",
    response={200: ReviewOut, **errors(409)},
    summary="Change my review's stars or text (within 30 days: 409 edit_window_closed)",
)
def patch_review(request: HttpRequest, payload: ReviewPatchIn, review_id: int = Id) -> dict[str, Any]:
    user = _user(request)
    review = services.review_update(
        author=user, review_id=review_id, rating=payload.rating, body=payload.body
    )
    return _card(user, review.pk)


@router.delete("/{review_id}", response={204: None}, summary="Delete my review (or any, for operators)")
def delete_review(request: HttpRequest, review_id: int = Id) -> Status[None]:
    services.review_delete(actor=_user(request), review_id=review_id)
    return Status(204, None)
