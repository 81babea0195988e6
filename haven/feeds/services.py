"""Writes of feeds: recording which notes a member has been shown (impressions for Discover)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from haven.feeds.models import SeenNote
from haven.notes.models import Note

MAX_SEEN_PER_CALL = 100
SEEN_RETENTION_DAYS = 30  # Discover only ranks notes of the last 30 days
PRUNE_BATCH = 5000


def mark_seen(*, user: Any, note_ids: Iterable[int]) -> int:
    """Upsert (user, note) impressions with seen_at = now; returns how many were recorded.

    At most MAX_SEEN_PER_CALL distinct ids are recorded per call (the rest are ignored); anonymous
    viewers record nothing. Ids of notes that do not exist (deleted meanwhile) are dropped. Two queries.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    ids = list(dict.fromkeys(int(i) for i in note_ids))[:MAX_SEEN_PER_CALL]
    if not ids:
        return 0
    existing = list(Note.objects.filter(id__in=ids).values_list("id", flat=True))
    if not existing:
        return 0
    now = timezone.now()
    SeenNote.objects.bulk_create(
        [SeenNote(user_id=user.pk, note_id=note_id, seen_at=now) for note_id in existing],
        update_conflicts=True,
        unique_fields=["user", "note"],
        update_fields=["seen_at"],
    )
    return len(existing)


def seen_prune(*, older_than_days: int = SEEN_RETENTION_DAYS, batch: int = PRUNE_BATCH) -> int:
    """Delete up to `batch` impressions older than `older_than_days` (run periodically); returns rows gone."""
    cutoff = timezone.now() - timedelta(days=max(1, older_than_days))
    stale = list(SeenNote.objects.filter(seen_at__lt=cutoff).order_by().values_list("id", flat=True)[:batch])
    if not stale:
        return 0
    deleted, _ = SeenNote.objects.filter(id__in=stale).delete()
    return deleted
