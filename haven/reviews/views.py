"""HTML views of reviews: a product's reviews with filters, writing a review for an order line (a star
picker and photo upload that work without JavaScript), editing and deleting one, and translating one.

Writes are form POSTs that redirect; reads go through access and selectors, writes through services;
refusals (haven.core.errors) become a friendly message on the form, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.core.errors import HavenError, InvalidInput, NotFound
from haven.core.pagination import DEFAULT_PAGE_SIZE
from haven.media import services as media_services
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.orders.models import OrderLine
from haven.reviews import access, selectors, services
from haven.reviews.models import BODY_MAX, PHOTOS_MAX, Review
from haven.translation.services import translate_texts
from haven.translation.templatetags.translation_ui import friendly_error, needs_translation, reader_for


def with_translation(request: HttpRequest, cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark the cards whose text is in a language the reader does not read (a Translate button)."""
    languages = reader_for(request).languages
    for card in cards:
        card["translatable"] = bool(card["body"]) and needs_translation(card["language"] or "und", languages)
    return cards


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "")[:3] in {"1", "on", "yes"}


@require_GET
def product_reviews(request: HttpRequest, product_id: int) -> HttpResponse:
    """Every review of a product the reader may see, newest first, filtered by photos / verified."""
    try:
        product = access.reviewed_product_or_404(request.user, product_id)
    except NotFound:
        raise Http404 from None
    with_photos, verified = _flag(request, "photos"), _flag(request, "verified")
    cursor = request.GET.get("cursor", "")[:2000] or None
    try:
        page = selectors.product_reviews(
            request.user, product, cursor=cursor, with_photos=with_photos, verified=verified
        )
    except HavenError:  # a stale or tampered cursor: the first page
        page = selectors.product_reviews(request.user, product, with_photos=with_photos, verified=verified)
    base = reverse("reviews:product", args=[product.pk])

    def url(photos: bool, checked: bool, cursor: str | None = None) -> str:
        query = "&".join(
            q
            for q in (
                "photos=1" if photos else "",
                "verified=1" if checked else "",
                f"cursor={cursor}" if cursor else "",
            )
            if q
        )
        return f"{base}?{query}" if query else base

    context = {
        "product": product,
        "histogram": selectors.rating_histogram(product),
        "cards": with_translation(request, selectors.review_cards(request.user, page.items)),
        "with_photos": with_photos,
        "verified": verified,
        "filters": [
            {"label": _("All"), "url": url(False, False), "current": not with_photos and not verified},
            {"label": _("With photos"), "url": url(True, False), "current": with_photos and not verified},
            {
                "label": _("Verified purchases"),
                "url": url(False, True),
                "current": verified and not with_photos,
            },
        ],
        "next_url": url(with_photos, verified, page.next_cursor) if page.next_cursor else "",
        "page_size": DEFAULT_PAGE_SIZE,
    }
    return render(request, "reviews/product_reviews.html", context)


def order_url(line: OrderLine) -> str:
    try:
        return reverse("orders:detail", args=[line.order.number])
    except NoReverseMatch:  # pragma: no cover - orders' pages are mounted in config.urls
        return reverse("reviews:product", args=[line.product_id])


def _uploads(request: HttpRequest) -> list[int]:
    files = request.FILES.getlist("photos")[: PHOTOS_MAX + 1]
    if len(files) > PHOTOS_MAX:
        raise InvalidInput(
            _("A review can have at most %(n)d photos.") % {"n": PHOTOS_MAX}, code="too_many_photos"
        )
    return [media_services.image_upload(owner=request.user, file=f).pk for f in files]  # type: ignore[arg-type]


def _posted_photo_ids(request: HttpRequest) -> list[int]:
    removed = set(request.POST.getlist("remove_photo")[:PHOTOS_MAX])
    out: list[int] = []
    for raw in request.POST.getlist("photo_ids")[:PHOTOS_MAX]:
        if raw not in removed and raw.isascii() and raw.isdigit() and len(raw) < 19 and int(raw) not in out:
            out.append(int(raw))
    return out


def _thumbs(user: Any, ids: list[int]) -> list[dict[str, Any]]:
    images = {i.pk: i for i in MediaImage.objects.filter(pk__in=ids, owner_id=user.pk)}
    return [
        {"id": i, "url": rendition_url(images[i], "grid"), "state": images[i].state}
        for i in ids
        if i in images
    ]


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, line_id: int) -> HttpResponse:
    """Write a review for one line of the member's order (once it arrived)."""
    try:
        line = access.bought_line_or_404(request.user, line_id)
    except NotFound:
        raise Http404 from None
    existing = Review.objects.filter(order_line=line).first()
    if existing is not None:
        messages.info(request, _("You already reviewed this item."))
        return redirect(order_url(line))
    if not access.line_is_reviewable(line):
        messages.info(request, _("You can review this item once your order has arrived."))
        return redirect(order_url(line))
    values: dict[str, Any] = {"rating": "", "body": "", "publish_as_note": False}
    photo_ids: list[int] = []
    error = ""
    status = 200
    if request.method == "POST":
        values = {
            "rating": request.POST.get("rating", "")[:2],
            "body": request.POST.get("body", "")[: BODY_MAX * 2],
            "publish_as_note": request.POST.get("publish_as_note") == "on",
        }
        photo_ids = _posted_photo_ids(request)
        try:
            photo_ids += _uploads(request)
            services.review_create(
                author=request.user,
                order_line_id=line.pk,
                rating=values["rating"],
                body=values["body"],
                photo_ids=photo_ids,
                publish_as_note=values["publish_as_note"],
            )
        except HavenError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect(order_url(line))
    context = {
        "line": line,
        "values": values,
        "thumbs": _thumbs(request.user, photo_ids),
        "error": error,
        "body_max": BODY_MAX,
        "photos_max": PHOTOS_MAX,
        "star_choices": [5, 4, 3, 2, 1],
        "back_url": order_url(line),
    }
    return render(request, "reviews/review_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    """Change the stars and text of one's review (within the edit window)."""
    try:
        review = access.own_review_or_404(request.user, review_id)
    except NotFound:
        raise Http404 from None
    values: dict[str, Any] = {"rating": str(review.rating), "body": review.body}
    error, status = "", 200
    if request.method == "POST":
        values = {
            "rating": request.POST.get("rating", "")[:2],
            "body": request.POST.get("body", "")[: BODY_MAX * 2],
        }
        try:
            services.review_update(
                author=request.user, review_id=review.pk, rating=values["rating"], body=values["body"]
            )
        except HavenError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Your review was updated."))
            return redirect(reverse("reviews:product", args=[review.product_id]) + f"#review-{review.pk}")
    context = {
        "review": review,
        "values": values,
        "error": error,
        "body_max": BODY_MAX,
        "star_choices": [5, 4, 3, 2, 1],
        "editable": selectors.can_edit(request.user, review),
        "back_url": reverse("reviews:product", args=[review.product_id]),
    }
    return render(request, "reviews/review_edit.html", context, status=status)


@login_required
@require_POST
def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = access.deletable_review_or_404(request.user, review_id)
        product_id = review.product_id
        services.review_delete(actor=request.user, review_id=review.pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The review was deleted."))
    return redirect("reviews:product", product_id=product_id)


@require_GET
def review_translate(request: HttpRequest, review_id: int) -> HttpResponse:
    """A review's text in the reader's language (an htmx fragment; without htmx, a small page)."""
    try:
        review = access.visible_review_or_404(request.user, review_id)
    except NotFound:
        raise Http404 from None
    context: dict[str, Any] = {"review": review}
    try:
        (result,) = translate_texts(
            texts=[review.body],
            source=review.language,
            target=reader_for(request).target or get_language(),
            user=request.user,
            author_id=review.author_id,
        )
        context.update(text=result.text, provider=result.provider)
    except HavenError as exc:
        context["error"] = friendly_error(exc)
    template = (
        "reviews/_translation.html" if request.headers.get("HX-Request") else "reviews/translation.html"
    )
    return render(request, template, context)
