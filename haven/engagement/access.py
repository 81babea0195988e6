"""Who may see which comments and collections (notes inside are filtered by notes.access)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.core.reportables import SEEN_BY_OTHERS
from haven.engagement.models import Collection, Comment
from haven.notes.access import block_between, parse_id, viewer_id_of, visible_notes
from haven.notes.models import Note

#: Others see a comment only while moderation lets them and its author is not suspended (or gone).
COMMENT_SHOWN_TO_OTHERS = Q(moderation__in=SEEN_BY_OTHERS, author__is_active=True)


def visible_comments(viewer: Any, note: Note) -> QuerySet[Comment]:
    """Comments on `note` that `viewer` may see: those whose author has no block with the viewer, and
    which moderation has not held or removed (their author still sees them, with the reason), from
    members who are not suspended.

    `note` must already be visible to the viewer (pass one from notes.access.get_visible_note).
    One query, composable; blocks are read through EXISTS subqueries.
    """
    comments = Comment.objects.filter(note_id=note.pk)
    viewer_id = viewer_id_of(viewer)
    if viewer_id is None:
        return comments.filter(COMMENT_SHOWN_TO_OTHERS)
    return comments.filter(COMMENT_SHOWN_TO_OTHERS | Q(author_id=viewer_id)).exclude(
        block_between(viewer_id, OuterRef("author_id"))
    )


def get_visible_comment(viewer: Any, comment_id: Any) -> Comment:
    """The comment (with its note and author) if `viewer` may see it and its note; else NotFound."""
    pk = parse_id(comment_id)
    comment = None
    if pk is not None:
        comments = Comment.objects.select_related("note", "author").filter(
            pk=pk, note__in=visible_notes(viewer).values("pk")
        )
        viewer_id = viewer_id_of(viewer)
        if viewer_id is None:
            comments = comments.filter(COMMENT_SHOWN_TO_OTHERS)
        else:
            comments = comments.filter(COMMENT_SHOWN_TO_OTHERS | Q(author_id=viewer_id)).exclude(
                block_between(viewer_id, OuterRef("author_id"))
            )
        comment = comments.first()
    if comment is None:
        raise NotFound(_("Comment not found."))
    return comment


def visible_collections(viewer: Any, owner: Any) -> QuerySet[Collection]:
    """`owner`'s collections that `viewer` may see: all for the owner; public ones without a block."""
    collections = Collection.objects.filter(owner_id=owner.pk)
    viewer_id = viewer_id_of(viewer)
    if viewer_id == owner.pk:
        return collections
    collections = collections.filter(is_public=True)
    if viewer_id is None:
        return collections
    return collections.exclude(block_between(viewer_id, OuterRef("owner_id")))


def get_visible_collection(viewer: Any, collection_id: Any) -> Collection:
    """The collection (with its owner) if `viewer` may see it; NotFound otherwise."""
    pk = parse_id(collection_id)
    collection = None
    if pk is not None:
        viewer_id = viewer_id_of(viewer)
        collections = Collection.objects.select_related("owner").filter(pk=pk)
        if viewer_id is None:
            collections = collections.filter(is_public=True)
        else:
            collections = collections.filter(
                Q(owner_id=viewer_id) | (Q(is_public=True) & ~block_between(viewer_id, OuterRef("owner_id")))
            )
        collection = collections.first()
    if collection is None:
        raise NotFound(_("Collection not found."))
    return collection


def owned_collection_or_404(user: Any, collection_id: Any, *, for_update: bool = False) -> Collection:
    """The collection if `user` owns it (only owners change collections); NotFound otherwise."""
    pk, user_id = parse_id(collection_id), viewer_id_of(user)
    collection = None
    if pk is not None and user_id is not None:
        rows = Collection.objects.select_for_update() if for_update else Collection.objects.all()
        collection = rows.filter(pk=pk, owner_id=user_id).first()
    if collection is None:
        raise NotFound(_("Collection not found."))
    return collection


def collection_notes(viewer: Any, collection: Collection) -> QuerySet[Note]:
    """The notes saved in `collection` that `viewer` may see, annotated with `saved_at`.

    The caller has already checked the collection itself (get_visible_collection).
    """
    return (
        visible_notes(viewer)
        .filter(saves__collection_id=collection.pk)
        .annotate(saved_at=F("saves__created_at"))  # reuses the filter's join: one row per note
    )


def comment_deletable_or_404(user: Any, comment_id: Any) -> Comment:
    """A comment `user` may delete (its author, or the author of its note); NotFound otherwise."""
    pk, user_id = parse_id(comment_id), viewer_id_of(user)
    comment = None
    if pk is not None and user_id is not None:
        comment = (
            Comment.objects.select_related("note")
            .filter(Q(author_id=user_id) | Q(note__author_id=user_id), pk=pk)
            .first()
        )
    if comment is None:
        raise NotFound(_("Comment not found."))
    return comment


def filter_existing_comments(recipient: Any, notifications: Sequence[Any]) -> list[Any]:
    """Notifications filter: drop those about a comment that no longer exists, or that others may not
    see any more (held or removed by moderation, its author suspended), unless the recipient wrote it.
    One query at most."""
    comment_ids = {n.comment_id for n in notifications if getattr(n, "comment_id", None)}
    if not comment_ids:
        return list(notifications)
    shown = COMMENT_SHOWN_TO_OTHERS | Q(author_id=getattr(recipient, "pk", None))
    existing = set(Comment.objects.filter(shown, pk__in=comment_ids).values_list("pk", flat=True))
    return [n for n in notifications if not getattr(n, "comment_id", None) or n.comment_id in existing]
