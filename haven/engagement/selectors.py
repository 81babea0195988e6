"""Reads of engagement: viewer flags, comment threads, collections and the notes saved in them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from haven.core.compiled import CompiledQuery
from haven.core.errors import InvalidInput
from haven.core.pagination import Page
from haven.engagement.access import collection_notes, visible_collections, visible_comments
from haven.engagement.models import MAX_COLLECTIONS, Collection, Comment, CommentLike, NoteLike, Save
from haven.notes.access import viewer_id_of, visible_notes
from haven.notes.models import Note, NoteImage
from haven.notes.paging import keyset_page
from haven.notes.selectors import cover_image, with_card_data

REPLY_PREVIEW = 3
PREVIEW_ATTR = "preview_replies"
COMMENT_ORDERS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "top": ("-like_count", "-id"),
}
REPLIES_ORDER = ("created_at", "id")
COLLECTION_NOTES_ORDER = ("-saved_at", "-id")
_MAX_FLAG_IDS = 500


def _ids(values: Iterable[Any]) -> list[int]:
    return list({int(v) for v in values})[:_MAX_FLAG_IDS]


def liked_note_ids(user: Any, note_ids: Iterable[int]) -> set[int]:
    """Which of `note_ids` the member liked (one query; empty for anonymous viewers)."""
    user_id, ids = viewer_id_of(user), _ids(note_ids)
    if user_id is None or not ids:
        return set()
    return set(_LIKED.rows(user=user_id, notes=ids))


#: Every feed card says whether the viewer liked it: compiled once per thread and page length.
_LIKED = CompiledQuery(
    "engagement.liked_note_ids",
    lambda user, notes: NoteLike.objects.filter(user_id=user, note_id__in=notes).values_list(
        "note_id", flat=True
    ),
    scalars=("user",),
    lists=("notes",),
)


def saved_note_ids(user: Any, note_ids: Iterable[int]) -> set[int]:
    """Which of `note_ids` the member saved, into any collection (one query)."""
    user_id, ids = viewer_id_of(user), _ids(note_ids)
    if user_id is None or not ids:
        return set()
    return set(Save.objects.filter(user_id=user_id, note_id__in=ids).values_list("note_id", flat=True))


def liked_comment_ids(user: Any, comment_ids: Iterable[int]) -> set[int]:
    """Which of `comment_ids` the member liked (one query)."""
    user_id, ids = viewer_id_of(user), _ids(comment_ids)
    if user_id is None or not ids:
        return set()
    return set(
        CommentLike.objects.filter(user_id=user_id, comment_id__in=ids).values_list("comment_id", flat=True)
    )


def viewer_state(user: Any, note: Note) -> dict[str, Any]:
    """{liked, saved, collection_id} of the member for one note (two queries; none for anonymous)."""
    user_id = viewer_id_of(user)
    if user_id is None:
        return {"liked": False, "saved": False, "collection_id": None}
    collection_id = (
        Save.objects.filter(user_id=user_id, note_id=note.pk).values_list("collection_id", flat=True).first()
    )
    return {
        "liked": NoteLike.objects.filter(user_id=user_id, note_id=note.pk).exists(),
        "saved": collection_id is not None,
        "collection_id": collection_id,
    }


# ----------------------------------------------------------------------------------------------
# Comment threads


def comment_replies_preview(comment: Comment) -> list[Comment]:
    """The first replies prefetched by comments_page (empty when not prefetched)."""
    return list(getattr(comment, PREVIEW_ATTR, []))


def comments_page(
    viewer: Any, note: Note, order: str = "newest", cursor: str | None = None, limit: int | None = None
) -> Page[Comment]:
    """Top-level comments of a visible note, each with its first REPLY_PREVIEW visible replies.

    "newest" first or "top" (most liked) first. Three queries whatever the page size.
    """
    if order not in COMMENT_ORDERS:
        raise InvalidInput(_("Unknown comment order."), code="invalid_order")
    replies = (
        visible_comments(viewer, note)
        .filter(parent__isnull=False)
        .select_related("author", "reply_to")
        .order_by(*REPLIES_ORDER)[:REPLY_PREVIEW]
    )
    comments = (
        visible_comments(viewer, note)
        .filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr=PREVIEW_ATTR))
    )
    return keyset_page(
        comments, order=COMMENT_ORDERS[order], cursor=cursor, limit=limit, scope=f"comments:{note.pk}:{order}"
    )


def replies_page(
    viewer: Any, comment: Comment, cursor: str | None = None, limit: int | None = None
) -> Page[Comment]:
    """Visible replies in a comment's thread, oldest first. `comment` comes from get_visible_comment."""
    replies = (
        visible_comments(viewer, comment.note)
        .filter(parent_id=comment.pk)
        .select_related("author", "reply_to")
    )
    return keyset_page(
        replies, order=REPLIES_ORDER, cursor=cursor, limit=limit, scope=f"replies:{comment.pk}"
    )


# ----------------------------------------------------------------------------------------------
# Collections


def collections_of(viewer: Any, owner: Any) -> list[Collection]:
    """`owner`'s collections that `viewer` may see: the default one first, then newest first."""
    collections = visible_collections(viewer, owner).select_related("owner")
    return list(collections.order_by("-is_default", "-created_at", "-id")[:MAX_COLLECTIONS])


def _cards(viewer: Any, collections: list[Collection]) -> list[dict[str, Any]]:
    """Each collection with how many notes `viewer` may see in it and the latest such note's cover.

    Dicts {collection, note_count, cover (NoteImage | None), cover_note_id}; four queries at most.
    """
    if not collections:
        return []
    ids = [c.pk for c in collections]
    saves = Save.objects.filter(collection_id__in=ids, note__in=visible_notes(viewer).values("pk"))
    counts = dict(saves.values("collection_id").annotate(n=Count("id")).values_list("collection_id", "n"))
    latest = dict(
        saves.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("collection_id"),
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank=1)
        .values_list("collection_id", "note_id")
    )
    covers: dict[int, NoteImage | None] = {}
    if latest:
        notes = with_card_data(Note.objects.filter(pk__in=set(latest.values())))
        covers = {note.pk: cover_image(note) for note in notes}
    return [
        {
            "collection": c,
            "note_count": counts.get(c.pk, 0),
            "cover_note_id": latest.get(c.pk),
            "cover": covers.get(latest[c.pk]) if c.pk in latest else None,
        }
        for c in collections
    ]


def collection_cards(viewer: Any, owner: Any) -> list[dict[str, Any]]:
    """`owner`'s collections that `viewer` may see, as cards for a profile tab (five queries at most).

    Each card: {collection, note_count (notes the viewer may see), cover (NoteImage | None),
    cover_note_id}. Show `services.collection_display_name(card["collection"])` as its name.
    """
    return _cards(viewer, collections_of(viewer, owner))


def collection_card(viewer: Any, collection: Collection) -> dict[str, Any]:
    """One visible collection as a card (see collection_cards)."""
    return _cards(viewer, [collection])[0]


def collection_notes_page(
    viewer: Any, collection: Collection, cursor: str | None = None, limit: int | None = None
) -> Page[Note]:
    """Visible notes saved in a visible collection, most recently saved first, with card data."""
    notes = with_card_data(collection_notes(viewer, collection))
    return keyset_page(
        notes, order=COLLECTION_NOTES_ORDER, cursor=cursor, limit=limit, scope=f"collection:{collection.pk}"
    )
