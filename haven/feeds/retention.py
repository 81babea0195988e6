"""Retention of feeds' data: Discover impressions (which notes a member was shown), registered in apps.py."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.feeds.models import SeenNote


def prune_seen_notes(cutoff: datetime) -> int:
    """Delete impressions last seen before `cutoff` (Discover ranks only recent notes anyway)."""
    return delete_in_batches(SeenNote.objects.filter(seen_at__lt=cutoff))


def register() -> None:
    register_retention(
        "seen_notes",
        setting="RETAIN_SEEN_NOTES_DAYS",
        days=30,
        prune=prune_seen_notes,
        description=_("Which notes Discover has already shown a member"),
    )
