"""Writes of reviews: write, edit and delete a review, publish it as a note, moderation and erasure.

A review counts toward its product's and its shop's rating (rating_sum / rating_count, F() updates in
the same transaction) while others may see it (moderation state OK or LIMITED); a held or removed
review does not count, and counts again when moderation lets it back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.catalog import services as catalog_services
from haven.catalog.access import public_products
from haven.catalog.models import Product
from haven.core import reportables
from haven.core.errors import Conflict, InvalidInput
from haven.core.input import parse_id
from haven.core.reportables import SEEN_BY_OTHERS, ModerationState
from haven.core.text import detect_language
from haven.core.transactions import after_commit
from haven.media.access import usable_images
from haven.notes import services as notes_services
from haven.notes.models import TITLE_MAX as NOTE_TITLE_MAX
from haven.notes.models import Note
from haven.reviews import access
from haven.reviews.models import BODY_MAX, PHOTOS_MAX, Review, ReviewPhoto
from haven.shops.models import Shop

#: How long after writing it the author may still change a review's stars and text.
EDIT_WINDOW = timedelta(days=30)
STARS = "★"


# ---------------------------------------------------------------------------------------------------
# Rating counters (F() updates, rule 5)
#
# Catalog and shops offer no service for these counters yet; reviews (above both) keeps them with
# conditional F() updates here. They move to catalog.services / shops.services when those get one.


def _counts(state: str) -> bool:
    return state in SEEN_BY_OTHERS


def rating_counters_add(*, product_id: int, rating_delta: int, count_delta: int) -> None:
    """Add to the product's and its shop's rating_sum / rating_count (never below zero)."""
    if not rating_delta and not count_delta:
        return
    shop_id = Product.objects.filter(pk=product_id).values_list("shop_id", flat=True).first()
    for model, pk in ((Product, product_id), (Shop, shop_id)):
        if pk is None:
            continue
        rows = model.objects.filter(pk=pk)  # type: ignore[attr-defined]
        if rating_delta < 0:
            rows = rows.filter(rating_sum__gte=-rating_delta)
        if count_delta < 0:
            rows = rows.filter(rating_count__gte=-count_delta)
        rows.update(rating_sum=F("rating_sum") + rating_delta, rating_count=F("rating_count") + count_delta)


# ---------------------------------------------------------------------------------------------------
# Checks


def check_rating(rating: Any) -> int:
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        if isinstance(rating, str) and rating.strip().isdigit() and len(rating.strip()) == 1:
            return check_rating(int(rating.strip()))
        raise InvalidInput(_("Choose from one to five stars."), code="invalid_rating")
    return rating


def check_body(body: Any) -> str:
    text = notes_services.clean_text(str(body or ""))
    if len(text) > BODY_MAX:
        raise InvalidInput(
            _("A review can be at most %(n)d characters long.") % {"n": BODY_MAX},
            code="body_too_long",
            details={"max_length": BODY_MAX},
        )
    return text


def _photos(author: Any, photo_ids: Sequence[Any]) -> list[Any]:
    ids = list(photo_ids)
    if len(ids) > PHOTOS_MAX:
        raise InvalidInput(
            _("A review can have at most %(n)d photos.") % {"n": PHOTOS_MAX},
            code="too_many_photos",
            details={"max_photos": PHOTOS_MAX},
        )
    return usable_images(author, [parse_id(i) for i in ids])


def _language(body: str) -> str:
    return detect_language(body).code if body else ""


# ---------------------------------------------------------------------------------------------------
# Writing, changing and deleting


def review_create(
    *,
    author: Any,
    order_line_id: Any,
    rating: Any,
    body: str = "",
    photo_ids: Sequence[Any] = (),
    publish_as_note: bool = False,
) -> Review:
    """The buyer reviews one line of an order that arrived (delivered or completed): one review per
    line, marked verified. With `publish_as_note` the review also becomes a public note with its
    photos (at least one) tagged with the product, as on RedNote.

    NotFound: not the buyer's line. Conflict: already_reviewed, not_delivered_yet. InvalidInput:
    invalid_rating, body_too_long, too_many_photos, invalid_images, photos_required_for_note.
    """
    rating = check_rating(rating)
    body = check_body(body)
    with transaction.atomic():
        line = access.bought_line_or_404(author, order_line_id, for_update=True)
        if Review.objects.filter(order_line=line).exists():
            raise Conflict(_("You already reviewed this item."), code="already_reviewed")
        if not access.line_is_reviewable(line):
            raise Conflict(
                _("You can review this item once your order has arrived."), code="not_delivered_yet"
            )
        images = _photos(author, photo_ids)
        if publish_as_note and not images:
            raise InvalidInput(
                _("Add at least one photo to publish your review as a note."),
                code="photos_required_for_note",
            )
        assert line.product_id is not None
        review = Review(
            product_id=line.product_id,
            author=author,
            order_line=line,
            rating=rating,
            body=body,
            language=_language(body),
            verified=True,  # the line's order arrived (checked above)
            has_photos=bool(images),
        )
        try:
            with transaction.atomic():
                review.save(force_insert=True)
        except IntegrityError:
            raise Conflict(_("You already reviewed this item."), code="already_reviewed") from None
        ReviewPhoto.objects.bulk_create(
            [ReviewPhoto(review=review, image=image, position=n) for n, image in enumerate(images)]
        )
        rating_counters_add(product_id=line.product_id, rating_delta=rating, count_delta=1)
        if publish_as_note:
            review.note = _publish_note(review, line.product, [image.pk for image in images])
            review.save(update_fields=["note", "updated_at"])
        after_commit(reportables.content_created, "review", review.pk)
    return review


def _publish_note(review: Review, product: Any, image_ids: list[int]) -> Note:
    """The review as a public note (stars and product in the title, the text as body, the photos),
    tagged with the product while it is on sale (catalog only lets products on sale be tagged)."""
    title = f"{STARS * review.rating} {product.title}"[:NOTE_TITLE_MAX]
    note = notes_services.note_create(
        author=review.author, title=title, body=review.body, image_ids=image_ids, publish=True
    )
    if public_products().filter(pk=product.pk).exists():
        catalog_services.note_tags_set(author=review.author, note=note, tags=[{"product_id": product.pk}])
    return note


def review_update(*, author: Any, review_id: Any, rating: Any = None, body: str | None = None) -> Review:
    """The author changes the stars and/or the text within EDIT_WINDOW of writing (Conflict
    edit_window_closed after); the ratings move with it. Fields left None stay."""
    new_rating = check_rating(rating) if rating is not None else None
    new_body = check_body(body) if body is not None else None
    with transaction.atomic():
        review = access.own_review_or_404(author, review_id, for_update=True)
        if timezone.now() - review.created_at > EDIT_WINDOW:
            raise Conflict(
                _("Reviews can be changed for %(n)d days after writing them.") % {"n": EDIT_WINDOW.days},
                code="edit_window_closed",
            )
        fields = ["updated_at"]
        if new_rating is not None and new_rating != review.rating:
            if _counts(review.moderation_state):
                rating_counters_add(
                    product_id=review.product_id, rating_delta=new_rating - review.rating, count_delta=0
                )
            review.rating = new_rating
            fields.append("rating")
        if new_body is not None and new_body != review.body:
            review.body, review.language = new_body, _language(new_body)
            fields += ["body", "language"]
        if len(fields) > 1:
            review.save(update_fields=fields)
            if "body" in fields:
                after_commit(reportables.content_created, "review", review.pk)
    return review


def review_delete(*, actor: Any, review_id: Any) -> None:
    """Delete a review (its author, or an operator); its rating leaves the counters. A note it was
    published as stays (it is the author's note now)."""
    with transaction.atomic():
        review = access.deletable_review_or_404(actor, review_id, for_update=True)
        _delete(review)


def _delete(review: Review) -> None:
    if _counts(review.moderation_state):
        rating_counters_add(product_id=review.product_id, rating_delta=-review.rating, count_delta=-1)
    review.delete()


# ---------------------------------------------------------------------------------------------------
# Moderation and erasure (system actions)


def review_set_moderation(*, review_id: int, state: str) -> bool:
    """Apply a moderation state (compare-and-set under a lock); the counters follow whether others may
    see the review. True when the state changed."""
    if state not in ModerationState.values:
        raise InvalidInput(_("Unknown moderation state."), code="invalid_state")
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.moderation_state == state:
            return False
        before, after = _counts(review.moderation_state), _counts(state)
        Review.objects.filter(pk=review.pk).update(moderation_state=state, updated_at=timezone.now())
        if before != after:
            sign = 1 if after else -1
            rating_counters_add(
                product_id=review.product_id, rating_delta=sign * review.rating, count_delta=sign
            )
    return True


def reviews_erase_for_user(*, user: Any) -> int:
    """Delete every review the member wrote, taking their ratings out of the counters (erasure)."""
    with transaction.atomic():
        rows = list(
            Review.objects.select_for_update()
            .filter(author_id=user.pk)
            .values_list("pk", "product_id", "rating", "moderation_state")
        )
        _subtract((product_id, rating) for _pk, product_id, rating, state in rows if _counts(state))
        Review.objects.filter(pk__in=[pk for pk, *_rest in rows]).delete()
    return len(rows)


def _subtract(ratings: Iterable[tuple[int, int]]) -> None:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for product_id, rating in ratings:
        totals[product_id][0] += rating
        totals[product_id][1] += 1
    for product_id, (rating_sum, count) in sorted(totals.items()):
        rating_counters_add(product_id=product_id, rating_delta=-rating_sum, count_delta=-count)
