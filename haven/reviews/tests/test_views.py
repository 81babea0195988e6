"""The reviews pages: the product page's section, the full list with filters, writing a review with the
star picker and a photo upload, editing, deleting, translating, and the order line's review tag."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import Product
from haven.core.reportables import ModerationState
from haven.media.tests.factories import png, upload
from haven.notes.models import Note
from haven.orders.tests.world import product, shop
from haven.reviews import services
from haven.reviews.models import Review
from haven.reviews.tests.helpers import bought, photos

pytestmark = pytest.mark.django_db


def member(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _review(line: Any, rating: int = 5, body: str = "Fragrant and smooth", **kw: Any) -> Review:
    return services.review_create(
        author=line.order.buyer, order_line_id=line.pk, rating=rating, body=body, **kw
    )


def test_the_product_page_shows_the_section_with_histogram_and_reviews() -> None:
    variant = product(shop())
    line = bought(variant=variant)
    _review(line, 4, photo_ids=photos(line.order.buyer))
    hidden = _review(bought(variant=variant), 1, "Secret rant")
    services.review_set_moderation(review_id=hidden.pk, state=ModerationState.REMOVED)
    html = Client().get(f"/products/{variant.product_id}/").content.decode()
    assert "Fragrant and smooth" in html and "Verified purchase" in html
    assert "Secret rant" not in html
    assert "See all reviews" in html and f"/reviews/product/{variant.product_id}/" in html
    assert "review-bar-fill" in html and 'style="width: 100%"' in html
    assert 'class="review-photos"' in html


def test_the_full_list_filters_and_hides_held_reviews_from_others() -> None:
    variant = product(shop())
    with_photo = _review(bought(variant=variant), 5, "With a picture", photo_ids=photos(UserFactory(), 0))
    line = bought(variant=variant)
    pictured = _review(line, 3, "Pictured one", photo_ids=photos(line.order.buyer))
    held_line = bought(variant=variant)
    held = _review(held_line, 2, "Held words")
    services.review_set_moderation(review_id=held.pk, state=ModerationState.HELD)
    url = f"/reviews/product/{variant.product_id}/"
    html = Client().get(url).content.decode()
    assert "With a picture" in html and "Pictured one" in html and "Held words" not in html
    assert "Held words" in member(held_line.order.buyer).get(url).content.decode()
    photos_only = Client().get(url + "?photos=1").content.decode()
    assert "Pictured one" in photos_only and "With a picture" not in photos_only
    assert Client().get(url + "?cursor=junk").status_code == 200
    Product.objects.filter(pk=variant.product_id).update(status=Product.Status.DRAFT)
    assert Client().get(url).status_code == 404
    assert with_photo.pk and pictured.pk


def test_writing_a_review_with_the_form_and_a_photo_upload() -> None:
    line = bought()
    buyer = line.order.buyer
    me = member(buyer)
    page = me.get(f"/reviews/new/{line.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'type="radio"' in html and 'name="rating" value="5"' in html
    assert 'enctype="multipart/form-data"' in html and 'name="publish_as_note"' in html
    refused = me.post(f"/reviews/new/{line.pk}/", {"body": "no stars"})
    assert refused.status_code == 400 and "Choose from one to five stars." in refused.content.decode()
    done = me.post(
        f"/reviews/new/{line.pk}/",
        {"rating": "4", "body": "Nice", "photos": upload(png(), "p.png", "image/png")},
    )
    assert done.status_code == 302 and done["Location"] == f"/orders/{line.order.number}/"
    review = Review.objects.get()
    assert review.rating == 4 and review.verified and review.photos.count() == 1
    assert me.get(f"/reviews/new/{line.pk}/").status_code == 302  # already reviewed
    assert member(UserFactory()).get(f"/reviews/new/{line.pk}/").status_code == 404


def test_publish_as_note_from_the_form() -> None:
    line = bought()
    buyer = line.order.buyer
    ids = photos(buyer)
    response = member(buyer).post(
        f"/reviews/new/{line.pk}/",
        {"rating": "5", "body": "Best tea", "photo_ids": [str(i) for i in ids], "publish_as_note": "on"},
    )
    assert response.status_code == 302
    assert Note.objects.get(pk=Review.objects.get().note_id).product_tags.filter(product_id=line.product_id)


def test_not_delivered_lines_redirect_back_to_the_order() -> None:
    line = bought(deliver=False)
    response = member(line.order.buyer).get(f"/reviews/new/{line.pk}/")
    assert response.status_code == 302 and not Review.objects.exists()


def test_edit_and_delete_pages() -> None:
    line = bought()
    buyer = line.order.buyer
    review = _review(line, 2)
    me = member(buyer)
    assert me.get(f"/reviews/{review.pk}/edit/").status_code == 200
    assert member(UserFactory()).get(f"/reviews/{review.pk}/edit/").status_code == 404
    assert me.post(f"/reviews/{review.pk}/edit/", {"rating": "5", "body": "Better"}).status_code == 302
    review.refresh_from_db()
    assert review.rating == 5 and review.body == "Better"
    assert member(UserFactory()).post(f"/reviews/{review.pk}/delete/").status_code == 404
    assert me.post(f"/reviews/{review.pk}/delete/").status_code == 302
    assert not Review.objects.exists()


def test_translate_returns_a_fragment_or_a_page() -> None:
    review = _review(bought(), 5, "这个茶很好喝，香气很浓")
    htmx = Client().get(f"/reviews/{review.pk}/translate/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "<html" not in htmx.content.decode()
    assert Client().get(f"/reviews/{review.pk}/translate/").status_code == 200
    services.review_set_moderation(review_id=review.pk, state=ModerationState.REMOVED)
    assert Client().get(f"/reviews/{review.pk}/translate/").status_code == 404


def _render_line(line: Any, user: Any) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load reviews_tags %}{% order_line_review line user %}")
    return template.render(Context({"line": line, "user": user, "request": request}))


def test_order_line_tag_offers_a_review_once_delivered_and_shows_it_after() -> None:
    waiting = bought(deliver=False)
    assert "Write a review" not in _render_line(waiting, waiting.order.buyer)
    line = bought()
    buyer = line.order.buyer
    assert f"/reviews/new/{line.pk}/" in _render_line(line, buyer)
    assert _render_line(line, UserFactory()).strip() == ""
    _review(line, 3, "Fine")
    html = _render_line(line, buyer)
    assert "Your review" in html and "Fine" in html and "Write a review" not in html


def test_product_reviews_tag_renders_for_other_apps() -> None:
    line = bought()
    _review(line, 5, "Tagged in")
    request = RequestFactory().get("/")
    request.user = UserFactory()
    product_row = Product.objects.get(pk=line.product_id)
    html = Template("{% load reviews_tags %}{% product_reviews product request.user %}").render(
        Context({"product": product_row, "request": request})
    )
    assert "Tagged in" in html and "1 review" in html


def test_a_review_names_the_variant_with_its_option_inline_with_the_date() -> None:
    variant = product(shop())
    variant.options = {"Size": "L"}
    variant.save(update_fields=["options"])
    line = bought(variant=variant)
    _review(line)
    html = Client().get(f"/products/{variant.product_id}/").content.decode()
    assert '<span class="review-variant">Size: L</span>' in html
    assert '<p class="tiny muted">' not in html.split('id="review-', 1)[1].split("</li>", 1)[0]
    variant.delete()  # the variant is gone: the order line's snapshot is shown
    html = Client().get(f"/products/{variant.product_id}/").content.decode()
    assert '<span class="review-variant">L</span>' in html
