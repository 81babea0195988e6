"""Reads of the catalog: attribution of purchases to notes, lists for callers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from haven.catalog.models import TagClick


def attribution_window() -> timedelta:
    """How long after tapping a product tag a purchase still credits the note (HAVEN_ATTRIBUTION_DAYS)."""
    return timedelta(days=int(getattr(settings, "HAVEN_ATTRIBUTION_DAYS", 7)))


def attributed_note_id(*, user: Any, product_id: int, now: Any = None) -> int | None:
    """The note whose tag of `product_id` `user` tapped last within the window (last click wins)."""
    since = (now or timezone.now()) - attribution_window()
    return (
        TagClick.objects.filter(user=user, product_id=product_id, created_at__gte=since)
        .order_by("-created_at", "-id")
        .values_list("note_id", flat=True)
        .first()
    )
