"""Schemas of the reviews API: every field bounded (lengths, list sizes, id and rating ranges)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from haven.reviews.models import BODY_MAX, PHOTOS_MAX

MAX_ID = 2**63 - 1


class ReviewCreateIn(Schema):
    order_line_id: int = Field(..., ge=1, le=MAX_ID, description="The line of a delivered order of yours")
    rating: int = Field(..., ge=1, le=5, description="Stars, 1 to 5")
    body: str = Field("", max_length=BODY_MAX)
    photo_ids: list[int] = Field(
        default_factory=list,
        max_length=PHOTOS_MAX,
        description="Your uploaded images (POST /api/v1/media/images)",
    )
    publish_as_note: bool = Field(
        False, description="Also publish the review as a public note tagged with the product (needs a photo)"
    )


class ReviewPatchIn(Schema):
    """Fields left out stay as they are (within 30 days of writing)."""

    rating: int | None = Field(None, ge=1, le=5)
    body: str | None = Field(None, max_length=BODY_MAX)


class ReviewAuthorOut(Schema):
    username: str
    display_name: str
    avatar_url: str


class ReviewPhotoOut(Schema):
    id: int
    grid_url: str
    detail_url: str


class ReviewOut(Schema):
    id: int
    product_id: int
    rating: int
    body: str
    language: str
    verified: bool
    variant: str
    moderation_state: str
    author: ReviewAuthorOut
    photos: list[ReviewPhotoOut]
    note_id: int | None
    created_at: datetime
    updated_at: datetime
    can_edit: bool
    can_delete: bool


class ReviewPageOut(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class RatingHistogramOut(Schema):
    product_id: int
    average: float | None
    count: int
    stars: dict[str, int] = Field(..., description='Reviews per number of stars: {"1": n, ..., "5": n}')


def histogram_out(product_id: int, histogram: Any) -> dict[str, Any]:
    return {
        "product_id": product_id,
        "average": histogram.average,
        "count": histogram.total,
        "stars": {str(k): v for k, v in histogram.counts.items()},
    }
