"""Writes of feeds: recording which notes a member has been shown (impressions for Discover)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from haven.feeds.models import SeenNote
from haven.notes.models import Note

MAX_SEEN_PER_CALL = 100
SEEN_RETENTION_DAYS = 30  # Discover only ranks notes of the last 30 days
PRUNE_BATCH = 5000


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def mark_seen(*, user: Any, note_ids: Iterable[int]) -> int:
    """Upsert (user, note) impressions with seen_at = now; returns how many were recorded.

    At most MAX_SEEN_PER_CALL distinct ids are recorded per call (the rest are ignored); anonymous
    viewers record nothing. Ids of notes that do not exist (deleted meanwhile) are dropped. One
    statement: INSERT ... SELECT from the notes that exist ... ON CONFLICT DO UPDATE (PostgreSQL and
    SQLite alike), written in SQL since the ORM's upsert takes model instances of known notes.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    ids = list(dict.fromkeys(int(i) for i in note_ids))[:MAX_SEEN_PER_CALL]
    if not ids:
        return 0
    connection = connections[router.db_for_write(SeenNote)]
    quote = connection.ops.quote_name
    user_col, note_col, at_col = (quote(_column(SeenNote, name)) for name in ("user", "note", "seen_at"))
    note_pk = quote(_column(Note, "id"))
    seen_table, notes_table = quote(SeenNote._meta.db_table), quote(Note._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    # Only quoted table and column names from the models go into the text; every value is a parameter.
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {seen_table} ({user_col}, {note_col}, {at_col}) "  # noqa: S608
        f"SELECT %s, {note_pk}, %s FROM {notes_table} WHERE {note_pk} IN ({placeholders}) "
        f"ON CONFLICT ({user_col}, {note_col}) DO UPDATE SET {at_col} = excluded.{at_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(user.pk), at, *ids])
        return max(0, cursor.rowcount)


def seen_prune(*, older_than_days: int = SEEN_RETENTION_DAYS, batch: int = PRUNE_BATCH) -> int:
    """Delete up to `batch` impressions older than `older_than_days` (run periodically); returns rows gone."""
    cutoff = timezone.now() - timedelta(days=max(1, older_than_days))
    stale = list(SeenNote.objects.filter(seen_at__lt=cutoff).order_by().values_list("id", flat=True)[:batch])
    if not stale:
        return 0
    deleted, _ = SeenNote.objects.filter(id__in=stale).delete()
    return deleted
