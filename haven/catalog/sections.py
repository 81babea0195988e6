"""The products section of the public shop page (registered with haven.shops.sections)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.catalog import selectors
from haven.core.errors import HavenError
from haven.core.pagination import MAX_PAGE_SIZE
from haven.shops.access import MANAGE, is_operator, staff_role

SHOP_PAGE_SIZE = 24


def render_products(request: HttpRequest, shop: Any) -> tuple[str, dict[str, Any]]:
    """The shop's products the viewer may see (staff also see drafts), newest first, with a "more" link."""
    cursor = request.GET.get("products", "")[:2000] or None
    try:
        page = selectors.shop_products(
            request.user, shop, cursor=cursor, limit=min(SHOP_PAGE_SIZE, MAX_PAGE_SIZE)
        )
    except HavenError:  # a stale or tampered cursor: show the first page
        page = selectors.shop_products(request.user, shop, limit=SHOP_PAGE_SIZE)
    next_url = f"{request.path}?products={page.next_cursor}" if page.next_cursor else ""
    manager = is_operator(request.user) or staff_role(request.user, shop) in set(MANAGE)
    return (
        "catalog/_shop_products.html",
        {
            "shop": shop,
            "cards": selectors.product_cards(page.items),
            "next_url": next_url,
            "can_manage": manager,
        },
    )
