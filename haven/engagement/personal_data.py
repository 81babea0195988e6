"""Engagement's entries in the personal-data registry: comments, likes, saves and collections.

Erasers keep the counters of other members' notes and comments right, as the services do: a like,
save or comment that goes lowers the counter it raised (notes' counters through
`note_counters_subtract`, comments' with F() never below zero).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import batched
from typing import Any

from django.db import transaction
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest

from haven.core import personal_data
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.notes.models import Note
from haven.notes.personal_data import (
    iso,
    mentions_text_of,
    note_counters_subtract,
    purge_notifications,
    render_without_member,
)

BATCH = 500


def _subtract_comments(field: str, deltas: dict[int, int]) -> None:
    by_delta: dict[int, list[int]] = {}
    for pk, n in deltas.items():
        if n > 0:
            by_delta.setdefault(n, []).append(pk)
    for n, ids in by_delta.items():
        for chunk in batched(sorted(ids), BATCH):
            Comment.objects.filter(pk__in=chunk).update(
                **{field: Greatest(F(field) - n, Value(0), output_field=IntegerField())}
            )


# ---------------------------------------------------------------------------------------------
# Exporters


def export_comments(user: Any) -> Iterator[dict[str, Any]]:
    """Every comment and reply the member wrote, with the note it is on (id) and whom it answered."""
    rows = (
        Comment.objects.filter(author_id=user.pk)
        .order_by("pk")
        .values_list(
            "pk",
            "note_id",
            "parent_id",
            "reply_to__username",
            "body",
            "language",
            "like_count",
            "reply_count",
            "created_at",
        )
    )
    for pk, note_id, parent_id, reply_to, body, language, likes, replies, created_at in rows.iterator(
        chunk_size=2000
    ):
        yield {
            "id": pk,
            "note_id": note_id,
            "parent_id": parent_id,
            "reply_to": reply_to,
            "body": body,
            "language": language,
            "like_count": likes,
            "reply_count": replies,
            "created_at": iso(created_at),
        }


def export_note_likes(user: Any) -> Iterator[dict[str, Any]]:
    rows = NoteLike.objects.filter(user_id=user.pk).order_by("pk").values_list("pk", "note_id", "created_at")
    for pk, note_id, created_at in rows.iterator(chunk_size=2000):
        yield {"id": pk, "kind": "note", "note_id": note_id, "created_at": iso(created_at)}


def export_comment_likes(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        CommentLike.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("pk", "comment_id", "created_at")
    )
    for pk, comment_id, created_at in rows.iterator(chunk_size=2000):
        yield {"id": pk, "kind": "comment", "comment_id": comment_id, "created_at": iso(created_at)}


def export_collections(user: Any) -> Iterator[dict[str, Any]]:
    rows = Collection.objects.filter(owner_id=user.pk).order_by("pk")
    for c in rows.iterator(chunk_size=2000):
        yield {
            "kind": "collection",
            "id": c.pk,
            "name": c.name,
            "is_public": c.is_public,
            "is_default": c.is_default,
            "created_at": iso(c.created_at),
        }


def export_saves(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        Save.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("pk", "note_id", "collection_id", "collection__name", "created_at")
    )
    for pk, note_id, collection_id, collection_name, created_at in rows.iterator(chunk_size=2000):
        yield {
            "id": pk,
            "kind": "save",
            "note_id": note_id,
            "collection_id": collection_id,
            "collection": collection_name,
            "created_at": iso(created_at),
        }


# ---------------------------------------------------------------------------------------------
# Erasers


def erase_note_likes(user: Any) -> int:
    """Delete the member's likes of notes; like counts of other members' notes go down."""
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                NoteLike.objects.select_for_update()
                .filter(user_id=user.pk)
                .order_by("pk")
                .values_list("pk", "note_id", "note__author_id")[:BATCH]
            )
            if not rows:
                return total
            NoteLike.objects.filter(pk__in=[pk for pk, _n, _a in rows]).delete()
            note_counters_subtract("like_count", {n: 1 for _pk, n, author in rows if author != user.pk})
            total += len(rows)


def erase_comment_likes(user: Any) -> int:
    """Delete the member's likes of comments; like counts of other members' comments go down."""
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                CommentLike.objects.select_for_update()
                .filter(user_id=user.pk)
                .order_by("pk")
                .values_list("pk", "comment_id")[:BATCH]
            )
            if not rows:
                return total
            CommentLike.objects.filter(pk__in=[pk for pk, _c in rows]).delete()
            _subtract_comments("like_count", {c: 1 for _pk, c in rows})
            total += len(rows)


def erase_comments(user: Any) -> int:
    """Delete the member's comments and replies, with the replies under their top-level comments.

    Counters move as in `comment_delete`: each note's comment count drops by the comments removed from
    it, each surviving top-level comment's reply count by the member's replies removed under it.
    Notifications about the removed comments go. Others' replies that answered the member lose the
    `reply_to` link, and other members' comments that mention the member are rendered again without
    the link to the member's profile (their text is theirs and stays).
    """
    total = 0
    while True:
        with transaction.atomic():
            mine = list(
                Comment.objects.select_for_update()
                .filter(author_id=user.pk)
                .order_by("pk")
                .values_list("pk", "note_id", "parent_id")[:BATCH]
            )
            if not mine:
                break
            my_ids = {pk for pk, _n, _p in mine}
            replies = list(
                Comment.objects.filter(parent_id__in=my_ids)
                .exclude(pk__in=my_ids)
                .values_list("pk", "note_id")
            )
            gone = [(pk, note_id) for pk, note_id, _p in mine] + replies
            per_note = Counter(note_id for _pk, note_id in gone)
            per_parent = Counter(p for _pk, _n, p in mine if p is not None and p not in my_ids)
            gone_ids = [pk for pk, _n in gone]
            for chunk in batched(gone_ids, BATCH):
                Comment.objects.filter(pk__in=chunk).delete()
            own_notes = _notes_of(user, per_note.keys())  # the member's own notes go with them later
            note_counters_subtract("comment_count", {n: c for n, c in per_note.items() if n not in own_notes})
            _subtract_comments("reply_count", dict(per_parent))
            purge_notifications(comment_ids=gone_ids)
            total += len(mine)
    with transaction.atomic():
        Comment.objects.filter(reply_to_id=user.pk).update(reply_to=None)
    others = Comment.objects.filter(body__icontains=mentions_text_of(user)).exclude(author_id=user.pk)
    for pk, body in others.values_list("pk", "body").iterator(chunk_size=BATCH):
        Comment.objects.filter(pk=pk).update(body_html=render_without_member(body, user))
    return total


def _notes_of(user: Any, note_ids: Any) -> set[int]:
    return set(Note.objects.filter(pk__in=list(note_ids), author_id=user.pk).values_list("pk", flat=True))


def erase_saves(user: Any) -> int:
    """Delete the member's saves; save counts of other members' notes go down."""
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Save.objects.select_for_update()
                .filter(user_id=user.pk)
                .order_by("pk")
                .values_list("pk", "note_id", "note__author_id")[:BATCH]
            )
            if not rows:
                return total
            Save.objects.filter(pk__in=[pk for pk, _n, _a in rows]).delete()
            note_counters_subtract("save_count", {n: 1 for _pk, n, author in rows if author != user.pk})
            total += len(rows)


def erase_collections(user: Any) -> int:
    """Delete the member's collections (their saves first, so save counts stay right)."""
    erase_saves(user)
    with transaction.atomic():
        deleted, _per_model = Collection.objects.filter(owner_id=user.pk).delete()
    return int(deleted)


def register_all() -> None:
    """Called from EngagementConfig.ready(). Runs after translation's erasers (they read the comments)."""
    personal_data.register(
        Comment,
        section="comments",
        owner_fields=("author",),
        other_user_fields=("reply_to",),
        personal_fields=("body", "body_html", "language"),
        exporter=export_comments,
        eraser=erase_comments,
        kept=(
            "Replies by other members to an erased member's comment on a third member's note are "
            "removed with it, as when the comment is deleted; other members' replies that answered "
            "the erased member keep their text but lose the link to the account."
        ),
        order=40,
    )
    personal_data.register(
        NoteLike,
        section="likes",
        owner_fields=("user",),
        exporter=export_note_likes,
        eraser=erase_note_likes,
        order=30,
    )
    personal_data.register(
        CommentLike,
        section="likes",
        owner_fields=("user",),
        exporter=export_comment_likes,
        eraser=erase_comment_likes,
        order=30,
    )
    personal_data.register(
        Save,
        section="saves_and_collections",
        owner_fields=("user",),
        exporter=export_saves,
        eraser=erase_saves,
        order=30,
    )
    personal_data.register(
        Collection,
        section="saves_and_collections",
        owner_fields=("owner",),
        personal_fields=("name",),
        exporter=export_collections,
        eraser=erase_collections,
        order=45,
    )
