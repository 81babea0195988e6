"""Review sections other apps' pages include: `{% product_reviews product request.user %}` (the product
page) and `{% order_line_review line request.user %}` (under a line of the order page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from haven.reviews import selectors
from haven.reviews.views import with_translation

register = template.Library()


@register.simple_tag(takes_context=True)
def product_reviews(context: template.Context, product: Any, user: Any) -> SafeString:
    """Average with stars, the histogram, the count and the newest few reviews, with "See all reviews"."""
    request = context.get("request")
    page = selectors.product_reviews(user, product, limit=selectors.SECTION_REVIEWS)
    cards = selectors.review_cards(user, page.items)
    if request is not None:
        cards = with_translation(request, cards)
    html = render_to_string(
        "reviews/_product_section.html",
        {
            "product": product,
            "histogram": selectors.rating_histogram(product),
            "cards": cards,
            "more": page.next_cursor is not None,
            "all_url": reverse("reviews:product", args=[product.pk]),
        },
        request=request,
    )
    return mark_safe(html)


@register.simple_tag(takes_context=True)
def order_line_review(context: template.Context, line: Any, user: Any) -> SafeString:
    """For the buyer: the review of this order line, or "Write a review" once the order arrived."""
    state = selectors.line_review(user, line)
    if not state["show"]:
        return mark_safe("")
    html = render_to_string(
        "reviews/_line_section.html",
        {"line": line, "state": state, "new_url": reverse("reviews:new", args=[line.pk])},
        request=context.get("request"),
    )
    return mark_safe(html)


@register.inclusion_tag("reviews/_stars.html")
def stars(rating: Any, size: str = "sm") -> dict[str, Any]:
    """Five stars, `rating` of them filled (rounded to the nearest half is not needed: whole stars)."""
    try:
        value = float(rating or 0)
    except (TypeError, ValueError):
        value = 0.0
    return {"filled": [n <= round(value) for n in range(1, 6)], "rating": rating, "size": size}
