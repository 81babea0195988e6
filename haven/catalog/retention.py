"""Retention of tag clicks: the taps that attribute purchases to notes are kept 90 days (see apps.py).

Attribution reads only the last HAVEN_ATTRIBUTION_DAYS (7 by default); the rest serve creators'
statistics for a while and then go.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.catalog.models import TagClick
from haven.core.retention import delete_in_batches, register_retention

TAG_CLICK_DAYS = 90


def prune_tag_clicks(cutoff: datetime) -> int:
    return delete_in_batches(TagClick.objects.filter(created_at__lt=cutoff))


def register() -> None:
    register_retention(
        "catalog_tag_clicks",
        days=TAG_CLICK_DAYS,
        prune=prune_tag_clicks,
        description=_("Which product tags on notes a member tapped (purchase attribution)"),
    )
