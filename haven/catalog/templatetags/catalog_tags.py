"""Template tags other apps' pages use to show the catalog: `{% note_products note request.user %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from haven.catalog import access, selectors

register = template.Library()


@register.inclusion_tag("catalog/_note_products.html", takes_context=True)
def note_products(context: template.Context, note: Any, viewer: Any) -> dict[str, Any]:
    """The products a note tags (those `viewer` may see), as a strip of cards and pins on its photos.

    The note page has already checked that `viewer` may see the note. Each card links to the product
    with ?from_note=<note id>, which records the tap (the attribution of a later purchase).
    """
    tags = selectors.tag_data(access.note_tags_for(viewer, note)) if note is not None and note.pk else []
    for tag in tags:
        tag["url"] = f"{reverse('catalog:detail', args=[tag['product_id']])}?from_note={note.pk}"
    request = context.get("request")
    is_author = bool(
        getattr(viewer, "is_authenticated", False) and viewer.pk == getattr(note, "author_id", None)
    )
    return {
        "tags": tags,
        "pins": [
            {
                "image": t["image_index"],
                "x": t["x"],
                "y": t["y"],
                "url": t["url"],
                "title": t["product"]["title"],
            }
            for t in tags
            if t["image_index"] is not None
        ],
        "note": note,
        "is_author": is_author,
        "csp_nonce": context.get("csp_nonce", ""),
        "request": request,
    }


@register.inclusion_tag("catalog/_product_grid.html")
def product_grid(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """A grid of product tiles from selectors.product_cards()."""
    return {"cards": cards}
