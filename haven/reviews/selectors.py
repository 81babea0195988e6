"""Reads of reviews: a product's reviews page (cursor, filters), the star histogram, review cards and
what an order line shows about its review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from haven.accounts.selectors import avatar_url
from haven.catalog.models import Product
from haven.core.pagination import DEFAULT_PAGE_SIZE, Page, decode_cursor, encode_cursor, invalid_cursor
from haven.core.reportables import SEEN_BY_OTHERS
from haven.media.selectors import rendition_url
from haven.orders.models import OrderLine
from haven.reviews import access
from haven.reviews.models import Review
from haven.reviews.services import EDIT_WINDOW
from haven.shops.access import is_operator

#: Reviews shown in the product page's section before "See all reviews".
SECTION_REVIEWS = 3


def _with_cards(rows: QuerySet[Review]) -> QuerySet[Review]:
    return rows.select_related("author", "order_line__variant").prefetch_related("photos__image")


def product_reviews(
    viewer: Any,
    product: Product,
    *,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE_SIZE,
    with_photos: bool = False,
    verified: bool = False,
) -> Page[Review]:
    """Reviews of `product` that `viewer` may read, newest first, keyset-paginated (signed cursor bound
    to the product and the filters); `with_photos` and `verified` narrow the list."""
    rows = access.visible_reviews(viewer).filter(product_id=product.pk)
    if with_photos:
        rows = rows.filter(has_photos=True)
    if verified:
        rows = rows.filter(verified=True)
    rows = _with_cards(rows).order_by("-created_at", "-id")
    scope = f"reviews:{product.pk}:{int(with_photos)}{int(verified)}"
    after = decode_cursor(cursor, scope=scope)
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
        next_cursor = encode_cursor({"at": last.created_at.isoformat(), "id": last.pk}, scope=scope)
    return Page(items=items, next_cursor=next_cursor)


@dataclass(frozen=True)
class Histogram:
    """How many counted reviews gave each number of stars (`bars`: 5 down to 1, with percentages)."""

    counts: dict[int, int]
    total: int
    average: float | None

    @property
    def bars(self) -> list[dict[str, int]]:
        return [
            {
                "stars": stars,
                "count": self.counts[stars],
                "percent": round(100 * self.counts[stars] / self.total) if self.total else 0,
            }
            for stars in range(5, 0, -1)
        ]


def rating_histogram(product: Product) -> Histogram:
    """Counts per star of the reviews others may see (the ones the product's rating counts); one query."""
    rows = (
        Review.objects.filter(product_id=product.pk, moderation_state__in=SEEN_BY_OTHERS)
        .values("rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(range(1, 6), 0)
    for row in rows:
        counts[int(row["rating"])] = int(row["n"])
    total = sum(counts.values())
    average = round(sum(s * n for s, n in counts.items()) / total, 1) if total else None
    return Histogram(counts=counts, total=total, average=average)


def photo_urls(review: Review) -> list[dict[str, Any]]:
    """The review's photos with their rendition URLs (signed: shown outside a note); photos still
    processing are left out."""
    out = []
    for photo in review.photos.all():
        grid = rendition_url(photo.image, "grid")
        if grid:
            out.append(
                {"id": photo.image_id, "grid_url": grid, "detail_url": rendition_url(photo.image, "detail")}
            )
    return out


def can_edit(viewer: Any, review: Review) -> bool:
    return (
        getattr(viewer, "pk", None) == review.author_id and timezone.now() - review.created_at <= EDIT_WINDOW
    )


def can_delete(viewer: Any, review: Review) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    return viewer.pk == review.author_id or is_operator(viewer)


def variant_text(line: Any) -> str:
    """The bought variant with its option names: "Size: L · Colour: Sand"; the order line's snapshot
    ("L") when the variant is gone or has no options."""
    if line is None:
        return ""
    variant = line.variant
    options = getattr(variant, "options", None) if variant is not None else None
    if isinstance(options, dict) and options:
        return " · ".join(
            _("%(name)s: %(value)s") % {"name": name, "value": value} for name, value in options.items()
        )
    return str(line.variant_label or "")


def review_card(viewer: Any, review: Review) -> dict[str, Any]:
    """What a page or the API shows of one review (author by username, photos, the viewer's actions)."""
    author = review.author
    line = review.order_line
    return {
        "id": review.pk,
        "product_id": review.product_id,
        "rating": review.rating,
        "stars": [n <= review.rating for n in range(1, 6)],
        "body": review.body,
        "language": review.language,
        "verified": review.verified,
        "variant": variant_text(line),
        "moderation_state": review.moderation_state,
        "author": {
            "username": author.username,
            "display_name": author.display_name,
            "name": author.name,
            "avatar_url": avatar_url(author),
        },
        "photos": photo_urls(review),
        "note_id": review.note_id,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
        "can_edit": can_edit(viewer, review),
        "can_delete": can_delete(viewer, review),
    }


def review_cards(viewer: Any, reviews: list[Review]) -> list[dict[str, Any]]:
    return [review_card(viewer, r) for r in reviews]


def line_review(user: Any, line: OrderLine) -> dict[str, Any]:
    """What the order page shows under a line for its buyer: the review written for it (any state the
    author may see), or whether one can be written now."""
    if not getattr(user, "is_authenticated", False) or line.order.buyer_id != user.pk:
        return {"show": False}
    review = _with_cards(Review.objects.filter(order_line_id=line.pk, author_id=user.pk)).first()
    if review is not None:
        return {"show": True, "review": review_card(user, review), "can_write": False}
    return {"show": True, "review": None, "can_write": access.line_is_reviewable(line)}
