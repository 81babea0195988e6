"""Writing, editing and deleting reviews: buyers only, one per line, after delivery, verified, counters,
publishing as a tagged note, moderation and erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import NoteProductTag, Product
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.core.reportables import ModerationState
from haven.notes.models import Note
from haven.orders.tests.world import product, shop
from haven.reviews import access, services
from haven.reviews.models import Review, ReviewPhoto
from haven.reviews.tests.helpers import bought, photos
from haven.shops.models import Shop

pytestmark = pytest.mark.django_db


def _counters(review_or_product: Review | Product) -> tuple[int, int, int, int]:
    product_id = getattr(review_or_product, "product_id", None) or review_or_product.pk
    p = Product.objects.get(pk=product_id)
    s = Shop.objects.get(pk=p.shop_id)
    return p.rating_sum, p.rating_count, s.rating_sum, s.rating_count


def test_the_buyer_reviews_a_delivered_line_and_it_is_verified() -> None:
    line = bought()
    review = services.review_create(
        author=line.order.buyer, order_line_id=line.pk, rating=4, body="Lovely tea"
    )
    assert review.verified and review.product_id == line.product_id and review.order_line_id == line.pk
    assert review.language == "en"
    assert _counters(review) == (4, 1, 4, 1)


def test_only_the_buyer_of_the_line_may_review_it() -> None:
    line = bought()
    with pytest.raises(NotFound):
        services.review_create(author=UserFactory(), order_line_id=line.pk, rating=5)
    with pytest.raises(NotFound):
        services.review_create(author=line.order.buyer, order_line_id="x", rating=5)


@pytest.mark.parametrize("ship", [False, True])
def test_not_before_delivery(ship: bool) -> None:
    line = bought(deliver=False, ship=ship)
    with pytest.raises(Conflict) as err:
        services.review_create(author=line.order.buyer, order_line_id=line.pk, rating=5)
    assert err.value.code == "not_delivered_yet"
    assert not Review.objects.exists()


def test_a_completed_order_may_be_reviewed() -> None:
    line = bought()
    line.order.__class__.objects.filter(pk=line.order_id).update(status="completed")
    assert services.review_create(author=line.order.buyer, order_line_id=line.pk, rating=3).verified


def test_one_review_per_line_but_each_purchase_may_be_reviewed() -> None:
    variant = product(shop())
    first = bought(variant=variant)
    buyer = first.order.buyer
    services.review_create(author=buyer, order_line_id=first.pk, rating=5)
    with pytest.raises(Conflict) as err:
        services.review_create(author=buyer, order_line_id=first.pk, rating=1)
    assert err.value.code == "already_reviewed"
    again = bought(buyer, variant=variant)
    services.review_create(author=buyer, order_line_id=again.pk, rating=3)
    assert _counters(Product.objects.get(pk=variant.product_id)) == (8, 2, 8, 2)


def test_the_database_refuses_a_verified_review_without_an_order_line_and_a_second_review_of_a_line() -> None:
    line = bought()
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(product_id=line.product_id, author=line.order.buyer, rating=5, verified=True)
    Review.objects.create(product_id=line.product_id, author=line.order.buyer, rating=5, order_line=line)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(product_id=line.product_id, author=line.order.buyer, rating=4, order_line=line)


@pytest.mark.parametrize("rating", [0, 6, -1, None, True, "five", 4.5])
def test_rating_is_one_to_five(rating: object) -> None:
    line = bought()
    with pytest.raises(InvalidInput) as err:
        services.review_create(author=line.order.buyer, order_line_id=line.pk, rating=rating)
    assert err.value.code == "invalid_rating"


def test_body_and_photos_are_bounded() -> None:
    line = bought()
    buyer = line.order.buyer
    with pytest.raises(InvalidInput) as err:
        services.review_create(author=buyer, order_line_id=line.pk, rating=5, body="x" * 2001)
    assert err.value.code == "body_too_long"
    with pytest.raises(InvalidInput) as err:
        services.review_create(author=buyer, order_line_id=line.pk, rating=5, photo_ids=photos(buyer, 10))
    assert err.value.code == "too_many_photos"
    with pytest.raises(InvalidInput) as err:
        services.review_create(author=buyer, order_line_id=line.pk, rating=5, photo_ids=photos(UserFactory()))
    assert err.value.code == "invalid_images"
    assert not Review.objects.exists()
    ids = photos(buyer, 2)
    review = services.review_create(author=buyer, order_line_id=line.pk, rating=5, photo_ids=ids)
    assert list(ReviewPhoto.objects.filter(review=review).values_list("image_id", flat=True)) == ids
    assert review.has_photos


def test_update_moves_the_counters_and_closes_after_30_days() -> None:
    line = bought()
    buyer = line.order.buyer
    review = services.review_create(author=buyer, order_line_id=line.pk, rating=2, body="meh")
    services.review_update(author=buyer, review_id=review.pk, rating=5, body="Grew on me")
    review.refresh_from_db()
    assert (review.rating, review.body) == (5, "Grew on me")
    assert _counters(review) == (5, 1, 5, 1)
    with pytest.raises(NotFound):
        services.review_update(author=UserFactory(), review_id=review.pk, rating=1)
    Review.objects.filter(pk=review.pk).update(created_at=review.created_at - timedelta(days=31))
    with pytest.raises(Conflict) as err:
        services.review_update(author=buyer, review_id=review.pk, rating=1)
    assert err.value.code == "edit_window_closed"
    assert _counters(review) == (5, 1, 5, 1)


def test_delete_by_the_author_or_an_operator_fixes_the_counters() -> None:
    variant = product(shop())
    a, b = bought(variant=variant), bought(variant=variant)
    ra = services.review_create(author=a.order.buyer, order_line_id=a.pk, rating=5)
    rb = services.review_create(author=b.order.buyer, order_line_id=b.pk, rating=3)
    with pytest.raises(NotFound):
        services.review_delete(actor=b.order.buyer, review_id=ra.pk)
    services.review_delete(actor=a.order.buyer, review_id=ra.pk)
    assert _counters(rb) == (3, 1, 3, 1)
    operator = UserFactory(is_staff=True)
    services.review_delete(actor=operator, review_id=rb.pk)
    assert _counters(rb) == (0, 0, 0, 0) and not Review.objects.exists()


def test_moderation_takes_a_removed_review_out_of_the_counters_and_out_of_sight() -> None:
    line = bought()
    buyer = line.order.buyer
    review = services.review_create(author=buyer, order_line_id=line.pk, rating=1, body="bad")
    reader = UserFactory()
    assert access.visible_reviews(reader).filter(pk=review.pk).exists()
    assert services.review_set_moderation(review_id=review.pk, state=ModerationState.HELD)
    assert _counters(review) == (0, 0, 0, 0)
    assert not access.visible_reviews(reader).filter(pk=review.pk).exists()
    assert access.visible_reviews(buyer).filter(pk=review.pk).exists()  # the author sees their held one
    assert services.review_set_moderation(review_id=review.pk, state=ModerationState.REMOVED)
    assert not access.visible_reviews(buyer).filter(pk=review.pk).exists()
    assert not services.review_set_moderation(review_id=review.pk, state=ModerationState.REMOVED)
    services.review_set_moderation(review_id=review.pk, state=ModerationState.LIMITED)
    assert _counters(review) == (1, 1, 1, 1)
    services.review_delete(actor=buyer, review_id=review.pk)
    assert _counters(review) == (0, 0, 0, 0)


def test_reviews_of_a_hidden_product_are_hidden_too() -> None:
    line = bought()
    review = services.review_create(author=line.order.buyer, order_line_id=line.pk, rating=5)
    Product.objects.filter(pk=line.product_id).update(status=Product.Status.DRAFT)
    assert not access.visible_reviews(UserFactory()).filter(pk=review.pk).exists()
    with pytest.raises(NotFound):
        access.visible_review_or_404(None, review.pk)


def test_publish_as_note_creates_a_public_note_tagged_with_the_product() -> None:
    line = bought()
    buyer = line.order.buyer
    ids = photos(buyer, 2)
    review = services.review_create(
        author=buyer,
        order_line_id=line.pk,
        rating=4,
        body="Smells of orchids",
        photo_ids=ids,
        publish_as_note=True,
    )
    note = Note.objects.get(pk=review.note_id)
    assert note.author_id == buyer.pk and note.status == Note.Status.PUBLISHED
    assert note.body == "Smells of orchids" and note.title.startswith("★★★★ ")
    assert list(note.images.order_by("position").values_list("image_id", flat=True)) == ids
    assert NoteProductTag.objects.filter(note=note, product_id=line.product_id).exists()


def test_publish_as_note_needs_a_photo() -> None:
    line = bought()
    with pytest.raises(InvalidInput) as err:
        services.review_create(author=line.order.buyer, order_line_id=line.pk, rating=4, publish_as_note=True)
    assert err.value.code == "photos_required_for_note"
    assert not Review.objects.exists() and not Note.objects.exists()


def test_erasure_removes_the_members_reviews_and_their_ratings() -> None:
    variant = product(shop())
    a, b = bought(variant=variant), bought(variant=variant)
    services.review_create(author=a.order.buyer, order_line_id=a.pk, rating=5)
    rb = services.review_create(author=b.order.buyer, order_line_id=b.pk, rating=2)
    assert services.reviews_erase_for_user(user=a.order.buyer) == 1
    assert _counters(rb) == (2, 1, 2, 1)
    assert list(Review.objects.values_list("pk", flat=True)) == [rb.pk]
