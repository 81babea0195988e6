"""Notes' entries in the personal-data registry: the member's notes (with images, hashtags, mentions).

Also the helpers other apps' erasers share: `note_counters_subtract` (counters of other members' notes
move down when the member's likes, saves or comments go, buffered or not) and `iso`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import batched
from typing import Any

import redis
from django.db import transaction
from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Greatest

from haven.accounts.selectors import users_by_usernames
from haven.core import personal_data
from haven.core.text import parse_mentions, render_rich_text
from haven.notes import counters
from haven.notes.models import Hashtag, Mention, Note, NoteHashtag, NoteImage
from haven.notes.services import note_counter_add
from haven.notifications.services import notification_purge_targets

logger = logging.getLogger(__name__)

BATCH = 500  # rows per DELETE / UPDATE statement


def iso(value: datetime | None) -> str | None:
    """An ISO 8601 time for an export (None stays None)."""
    return value.isoformat() if value is not None else None


def note_counters_subtract(field: str, deltas: dict[int, int]) -> None:
    """Lower one denormalized counter of several notes by the given amounts (never below zero).

    With the Redis counter buffer (scaled profile) each delta goes through `note_counter_add`, so a
    pending buffered increment is cancelled rather than clamped at zero; otherwise notes with the same
    delta are updated together, BATCH ids per UPDATE.
    """
    deltas = {int(pk): int(n) for pk, n in deltas.items() if n > 0}
    if not deltas:
        return
    if counters.buffering():
        for pk, n in sorted(deltas.items()):
            note_counter_add(note_id=pk, field=field, delta=-n)
        return
    by_delta: dict[int, list[int]] = {}
    for pk, n in deltas.items():
        by_delta.setdefault(n, []).append(pk)
    for n, ids in by_delta.items():
        for chunk in batched(sorted(ids), BATCH):
            Note.objects.filter(pk__in=chunk).update(
                **{field: Greatest(F(field) - n, Value(0), output_field=IntegerField())}
            )


def purge_notifications(*, note_ids: Iterable[int] = (), comment_ids: Iterable[int] = ()) -> int:
    """notification_purge_targets over any number of ids (it takes a bounded number per call)."""
    deleted = 0
    for chunk in batched(list(note_ids), 100):
        deleted += notification_purge_targets(note_ids=chunk)
    for chunk in batched(list(comment_ids), 100):
        deleted += notification_purge_targets(comment_ids=chunk)
    return deleted


def _note_ids(user: Any) -> list[int]:
    return list(Note.objects.filter(author_id=user.pk).order_by("pk").values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------------
# Exporters


def export_notes(user: Any) -> Iterator[dict[str, Any]]:
    """Every note the member wrote (drafts and private ones too), with images, hashtags and mentions."""
    notes = Note.objects.filter(author_id=user.pk).order_by("pk")
    for chunk in batched(notes.iterator(chunk_size=BATCH), BATCH):
        ids = [n.pk for n in chunk]
        images: dict[int, list[dict[str, Any]]] = {}
        for ni in NoteImage.objects.filter(note_id__in=ids).order_by("note_id", "position"):
            images.setdefault(ni.note_id, []).append(
                {"image_id": ni.image_id, "position": ni.position, "alt_text": ni.alt_text}
            )
        tags: dict[int, list[str]] = {}
        for note_id, name in (
            NoteHashtag.objects.filter(note_id__in=ids)
            .order_by("note_id", "hashtag__name")
            .values_list("note_id", "hashtag__name")
        ):
            tags.setdefault(note_id, []).append(name)
        mentions: dict[int, list[str]] = {}
        for note_id, username in (
            Mention.objects.filter(note_id__in=ids)
            .order_by("note_id", "user__username")
            .values_list("note_id", "user__username")
        ):
            mentions.setdefault(note_id, []).append(username)
        for note in chunk:
            yield {
                "id": note.pk,
                "title": note.title,
                "body": note.body,
                "visibility": str(note.visibility),
                "status": str(note.status),
                "place": note.location_name,
                "language": note.language,
                "hashtags": tags.get(note.pk, []),
                "mentions": mentions.get(note.pk, []),
                "images": images.get(note.pk, []),
                "cover_index": note.cover_index,
                "like_count": note.like_count,
                "save_count": note.save_count,
                "comment_count": note.comment_count,
                "created_at": iso(note.created_at),
                "published_at": iso(note.published_at),
                "edited_at": iso(note.edited_at),
            }


# ---------------------------------------------------------------------------------------------
# Erasers


def _forget_buffered_counters(note_ids: list[int]) -> None:
    """Drop pending Redis counter deltas of deleted notes (scaled profile; best effort)."""
    if not note_ids or not counters.buffering():
        return
    try:
        client = counters.redis_client()
        with client.pipeline(transaction=False) as pipe:
            for field in counters.COUNTER_FIELDS:
                for chunk in batched(note_ids, BATCH):
                    pipe.hdel(f"{counters.KEY_PREFIX}counters:{field}", *[str(i) for i in chunk])
            pipe.execute()
    except redis.RedisError:
        logger.warning("erasure: Redis unavailable; buffered counters of %d notes left", len(note_ids))


def _drop_orphan_hashtags(hashtag_ids: set[int]) -> int:
    """Delete hashtags that only the erased notes used (nothing else refers to them any more)."""
    if not hashtag_ids:
        return 0
    rows = Hashtag.objects.filter(pk__in=hashtag_ids)
    for relation in Hashtag._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and not relation.concrete):
            continue
        if relation.many_to_many:
            return 0  # a many-to-many use we cannot see through cheaply: keep them all
        rel: Any = relation
        rows = rows.exclude(pk__in=rel.related_model._default_manager.values(rel.field.attname))
    deleted, _per_model = rows.delete()
    return deleted


def erase_notes(user: Any) -> int:
    """Delete the member's notes; their images' links, hashtags, mentions, the likes, comments, saves,
    author translations and seen-marks on them go along (database cascade), and so do notifications
    about them. Media rows stay for media's eraser."""
    total = 0
    ids = _note_ids(user)
    for chunk in batched(ids, BATCH):
        with transaction.atomic():
            hashtag_ids = set(
                NoteHashtag.objects.filter(note_id__in=chunk).values_list("hashtag_id", flat=True)
            )
            purge_notifications(note_ids=chunk)
            _deleted, per_model = Note.objects.filter(pk__in=chunk).delete()
            total += per_model.get(Note._meta.label, 0)
            _drop_orphan_hashtags(hashtag_ids)
    _forget_buffered_counters(ids)
    return total


def render_without_member(text: str, user: Any) -> str:
    """`text` rendered as the services render it, but with no link to `user`'s profile: their
    username stays as plain text (it may later belong to someone else)."""
    mentioned = set(parse_mentions(text)) - {user.username.lower()} if "@" in text else set()
    known = {u.username for u in users_by_usernames(mentioned)} if mentioned else set()
    return render_rich_text(text, known_usernames=known)


def mentions_text_of(user: Any) -> str:
    """The `@username` a text contains when it mentions the member (for body__icontains filters)."""
    return f"@{user.username}"


def erase_mentions(user: Any) -> int:
    """Delete mentions of the member in other members' notes (and any left in their own), and render
    those notes' HTML again without the link to the member's profile (their text is unchanged)."""
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Mention.objects.filter(user_id=user.pk)
                .exclude(note__author_id=user.pk)
                .order_by("pk")
                .values_list("pk", "note_id")[:BATCH]
            )
            if not rows:
                break
            for note in Note.objects.filter(pk__in=[n for _pk, n in rows]).only("pk", "body"):
                Note.objects.filter(pk=note.pk).update(body_html=render_without_member(note.body, user))
            deleted, _per_model = Mention.objects.filter(pk__in=[pk for pk, _n in rows]).delete()
            total += deleted
    more, _per_model = Mention.objects.filter(Q(user_id=user.pk) | Q(note__author_id=user.pk)).delete()
    return total + more


def register_all() -> None:
    """Called from NotesConfig.ready()."""
    personal_data.register(
        Note,
        section="notes",
        owner_fields=("author",),
        personal_fields=("title", "body", "body_html", "location_name", "language"),
        exporter=export_notes,
        eraser=erase_notes,
        order=80,
    )
    personal_data.register(
        NoteImage,
        section="notes",
        owner_fields=(),
        personal_fields=("alt_text",),
        exporter=None,  # exported inside each note ("images"); the files come with media's export
        eraser=None,
        erased_with="notes.Note",
    )
    personal_data.register(
        NoteHashtag,
        section="notes",
        owner_fields=(),
        exporter=None,  # exported inside each note ("hashtags")
        eraser=None,
        erased_with="notes.Note",
    )
    personal_data.register(
        Mention,
        section="notes",
        owner_fields=(),
        other_user_fields=("user",),
        exporter=None,  # mentions the member made are exported inside each note ("mentions")
        eraser=erase_mentions,
        kept=(
            "Other members' notes, comments and translations that mentioned an erased member keep "
            "their authors' text, “@username” included: only the mention and the link to the erased "
            "account are removed."
        ),
        order=70,
    )
