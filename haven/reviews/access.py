"""Who may see and change which reviews: the only way to obtain user-visible reviews (rule 3).

The rule: a review is seen by someone who may see its product (haven.catalog.access) when its
moderation state lets others see it (OK, LIMITED) and no block stands between the reader and its
author; its author also sees their own held review. Removed reviews are seen by nobody here (the
moderators load them through the reportables registry). Only the author changes a review; the author
or an operator deletes it. Missing and hidden look the same (NotFound).
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet

from haven.catalog.access import visible_product_or_404, visible_products
from haven.catalog.models import Product
from haven.core.errors import NotFound
from haven.core.input import MAX_ID
from haven.core.reportables import SEEN_BY_OTHERS, ModerationState
from haven.notes.access import block_between
from haven.orders.models import OrderLine
from haven.orders.states import COMPLETED, DELIVERED
from haven.reviews.models import Review
from haven.shops.access import is_operator

#: Orders whose lines may be reviewed (and earn the verified-purchase mark).
REVIEWABLE_ORDER_STATUSES = (DELIVERED, COMPLETED)


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


def visible_reviews(viewer: Any) -> QuerySet[Review]:
    """Every review `viewer` may read, as one composable queryset (the rule in the module docstring)."""
    viewer_id = _viewer_id(viewer)
    rows = Review.objects.filter(product__in=visible_products(viewer))
    if viewer_id is None:
        return rows.filter(moderation_state__in=SEEN_BY_OTHERS)
    own_held = Q(author_id=viewer_id, moderation_state=ModerationState.HELD)
    return rows.filter(Q(moderation_state__in=SEEN_BY_OTHERS) | own_held).exclude(
        block_between(viewer_id, OuterRef("author_id"))
    )


def reviewed_product_or_404(viewer: Any, product_id: Any) -> Product:
    """The product whose reviews `viewer` asks for, if they may see it (NotFound otherwise)."""
    return visible_product_or_404(viewer, product_id)


def visible_review_or_404(viewer: Any, review_id: Any) -> Review:
    pk = _id(review_id)
    review = (
        visible_reviews(viewer).select_related("product__shop", "author").filter(pk=pk).first()
        if pk
        else None
    )
    if review is None:
        raise NotFound()
    return review


def own_review_or_404(user: Any, review_id: Any, *, for_update: bool = False) -> Review:
    """The author's own review (any state but removed), optionally locked; NotFound otherwise."""
    pk, user_id = _id(review_id), _viewer_id(user)
    if pk is None or user_id is None:
        raise NotFound()
    rows = Review.objects.select_related("product")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    review = rows.filter(pk=pk, author_id=user_id).exclude(moderation_state=ModerationState.REMOVED).first()
    if review is None:
        raise NotFound()
    return review


def deletable_review_or_404(user: Any, review_id: Any, *, for_update: bool = False) -> Review:
    """A review `user` may delete: their own (any state) or, for operators, any; NotFound otherwise."""
    pk, user_id = _id(review_id), _viewer_id(user)
    if pk is None or user_id is None:
        raise NotFound()
    rows = Review.objects.select_related("product")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    review = rows.filter(pk=pk).first()
    if review is None or (review.author_id != user_id and not is_operator(user)):
        raise NotFound()
    return review


def bought_line_or_404(user: Any, line_id: Any, *, for_update: bool = False) -> OrderLine:
    """An order line of an order `user` placed (with its order and product); NotFound otherwise."""
    pk, user_id = _id(line_id), _viewer_id(user)
    if pk is None or user_id is None:
        raise NotFound()
    rows = OrderLine.objects.select_related("order", "product")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    line = rows.filter(pk=pk, order__buyer_id=user_id).first()
    if line is None or line.product_id is None:
        raise NotFound()
    return line


def line_is_reviewable(line: OrderLine) -> bool:
    """Whether the line's order arrived (delivered or completed): the moment a review may be written."""
    return line.order.status in REVIEWABLE_ORDER_STATUSES and line.product_id is not None
