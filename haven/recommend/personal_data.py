"""Recommend's entries in the personal-data registry: interaction events, "not interested", followed topics.

Events still waiting in the Redis buffer (recommend.events) when a member is erased are dropped by the
next flush, which writes no event of a member who is gone. RecommenderModel holds no member's data
(weights and aggregate figures only) and references no member, so it needs no entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from haven.core import personal_data
from haven.notes.personal_data import iso
from haven.recommend.models import EventKind, InteractionEvent, NotInterested, TopicFollow


def export_events(user: Any) -> Iterator[dict[str, Any]]:
    rows = InteractionEvent.objects.filter(user_id=user.pk).order_by("pk")
    columns = ("pk", "note_id", "kind", "value", "source", "created_at")
    for pk, note_id, kind, value, source, created_at in rows.values_list(*columns).iterator(chunk_size=2000):
        yield {
            "id": pk,
            "note_id": note_id,
            "kind": EventKind(kind).label if kind in EventKind.values else kind,
            "value": value,
            "source": source,
            "created_at": iso(created_at),
        }


def export_not_interested(user: Any) -> Iterator[dict[str, Any]]:
    rows = NotInterested.objects.filter(user_id=user.pk).select_related("author").order_by("pk")
    for row in rows.iterator(chunk_size=2000):
        yield {
            "id": row.pk,
            "kind": row.kind,
            "note_id": row.note_id,
            "author": row.author.username if row.author is not None else None,
            "topic": row.topic or None,
            "created_at": iso(row.created_at),
        }


def export_topic_follows(user: Any) -> Iterator[dict[str, Any]]:
    rows = TopicFollow.objects.filter(user_id=user.pk).order_by("pk")
    for pk, topic, source, created_at in rows.values_list("pk", "topic", "source", "created_at").iterator():
        yield {"id": pk, "topic": topic, "source": source, "created_at": iso(created_at)}


def erase_not_interested(user: Any) -> int:
    """Delete the member's choices and others' "fewer from @member" choices."""
    return int(NotInterested.objects.filter(Q(user_id=user.pk) | Q(author_id=user.pk)).delete()[0])


def register_all() -> None:
    """Called from RecommendConfig.ready()."""
    personal_data.register(
        InteractionEvent,
        section="recommendation_events",
        owner_fields=("user",),
        exporter=export_events,
        eraser=personal_data.rows_deleter(InteractionEvent),
    )
    personal_data.register(
        NotInterested,
        section="not_interested",
        owner_fields=("user",),
        other_user_fields=("author",),
        exporter=export_not_interested,
        eraser=erase_not_interested,
    )
    personal_data.register(
        TopicFollow,
        section="followed_topics",
        owner_fields=("user",),
        exporter=export_topic_follows,
        eraser=personal_data.rows_deleter(TopicFollow),
    )
