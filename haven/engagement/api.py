"""JSON API endpoints of engagement (mounted by config.api at /api/v1/engagement)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema, Status

from haven.accounts.auth import OptionalAuth
from haven.core import ratelimit
from haven.core.openapi import errors
from haven.core.pagination import MAX_PAGE_SIZE
from haven.engagement import selectors, services
from haven.engagement.access import get_visible_collection, get_visible_comment
from haven.engagement.schemas import (
    CollectionIn,
    CollectionListOut,
    CollectionOut,
    CollectionPatch,
    CommentIn,
    CommentOut,
    CommentPageOut,
    LikeOut,
    NoteCardPageOut,
    ReplyPageOut,
    SaveIn,
    SaveOut,
    ViewerStateOut,
    collection_out,
    comment_out,
    note_card_out,
    reply_out,
    thread_ids,
)
from haven.graph.access import visible_user_or_404
from haven.notes.access import get_visible_note
from haven.notes.schemas import MAX_ID

router = Router(tags=["engagement"])

COMMENTS_PER_MINUTE = 20
COLLECTIONS_PER_HOUR = 60
Id = Path(..., ge=1, le=MAX_ID)


class PageQuery(Schema):
    cursor: str | None = NinjaField(None, max_length=2000)
    limit: int = NinjaField(20, ge=1, le=MAX_PAGE_SIZE)


class CommentsQuery(PageQuery):
    order: Literal["newest", "top"] = "newest"


def _like_state(user: Any, note_id: int) -> dict[str, Any]:
    note = get_visible_note(user, note_id)
    return {"liked": bool(selectors.liked_note_ids(user, [note.pk])), "like_count": note.like_count}


# ----------------------------------------------------------------------------------------------
# Notes: likes, saves, viewer state


@router.put("/notes/{note_id}/like", response=LikeOut, summary="Like a note")
def like_note(request: HttpRequest, note_id: int = Id) -> dict[str, Any]:
    services.note_like(user=request.auth, note_id=note_id)  # type: ignore[attr-defined]
    return _like_state(request.auth, note_id)  # type: ignore[attr-defined]


@router.delete("/notes/{note_id}/like", response=LikeOut, summary="Remove my like of a note")
def unlike_note(request: HttpRequest, note_id: int = Id) -> dict[str, Any]:
    services.note_unlike(user=request.auth, note_id=note_id)  # type: ignore[attr-defined]
    return _like_state(request.auth, note_id)  # type: ignore[attr-defined]


def _save_state(user: Any, note_id: int) -> dict[str, Any]:
    note = get_visible_note(user, note_id)
    state = selectors.viewer_state(user, note)
    return {"saved": state["saved"], "collection_id": state["collection_id"], "save_count": note.save_count}


@router.put(
    "/notes/{note_id}/save", response=SaveOut, summary="Save a note (or move it to another collection)"
)
def save_note(request: HttpRequest, payload: SaveIn, note_id: int = Id) -> dict[str, Any]:
    services.note_save(user=request.auth, note_id=note_id, collection_id=payload.collection_id)  # type: ignore[attr-defined]
    return _save_state(request.auth, note_id)  # type: ignore[attr-defined]


@router.delete("/notes/{note_id}/save", response=SaveOut, summary="Remove a note from my saves")
def unsave_note(request: HttpRequest, note_id: int = Id) -> dict[str, Any]:
    services.note_unsave(user=request.auth, note_id=note_id)  # type: ignore[attr-defined]
    return _save_state(request.auth, note_id)  # type: ignore[attr-defined]


@router.get(
    "/notes/{note_id}/viewer-state",
    response=ViewerStateOut,
    auth=OptionalAuth(),
    summary="Whether I liked and saved a note",
)
def note_viewer_state(request: HttpRequest, note_id: int = Id) -> dict[str, Any]:
    note = get_visible_note(request.auth, note_id)  # type: ignore[attr-defined]
    return selectors.viewer_state(request.auth, note)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# Comments


@router.get(
    "/notes/{note_id}/comments",
    response=CommentPageOut,
    auth=OptionalAuth(),
    summary="Top-level comments of a note with their first replies",
)
def list_comments(request: HttpRequest, query: Query[CommentsQuery], note_id: int = Id) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    note = get_visible_note(viewer, note_id)
    page = selectors.comments_page(viewer, note, query.order, query.cursor, query.limit)
    liked = selectors.liked_comment_ids(viewer, thread_ids(page.items))
    return {"items": [comment_out(c, liked) for c in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/notes/{note_id}/comments",
    response={201: CommentOut, **errors(429)},
    summary="Comment on a note, or reply",
)
def create_comment(request: HttpRequest, payload: CommentIn, note_id: int = Id) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("engagement.comment", str(user.pk), limit=COMMENTS_PER_MINUTE, window_seconds=60)
    comment = services.comment_create(
        author=user, note_id=note_id, body=payload.body, parent_id=payload.parent_id
    )
    return Status(201, comment_out(comment, set()))


@router.get(
    "/comments/{comment_id}/replies",
    response=ReplyPageOut,
    auth=OptionalAuth(),
    summary="Replies in a comment's thread, oldest first",
)
def list_replies(request: HttpRequest, query: Query[PageQuery], comment_id: int = Id) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    comment = get_visible_comment(viewer, comment_id)
    page = selectors.replies_page(viewer, comment, query.cursor, query.limit)
    liked = selectors.liked_comment_ids(viewer, [r.pk for r in page.items])
    return {"items": [reply_out(r, liked) for r in page.items], "next_cursor": page.next_cursor}


@router.delete(
    "/comments/{comment_id}", response={204: None}, summary="Delete a comment (mine, or on my note)"
)
def delete_comment(request: HttpRequest, comment_id: int = Id) -> Status[None]:
    services.comment_delete(actor=request.auth, comment_id=comment_id)  # type: ignore[attr-defined]
    return Status(204, None)


def _comment_like_state(user: Any, comment_id: int) -> dict[str, Any]:
    comment = get_visible_comment(user, comment_id)
    return {"liked": bool(selectors.liked_comment_ids(user, [comment.pk])), "like_count": comment.like_count}


@router.put("/comments/{comment_id}/like", response=LikeOut, summary="Like a comment")
def like_comment(request: HttpRequest, comment_id: int = Id) -> dict[str, Any]:
    services.comment_like(user=request.auth, comment_id=comment_id)  # type: ignore[attr-defined]
    return _comment_like_state(request.auth, comment_id)  # type: ignore[attr-defined]


@router.delete("/comments/{comment_id}/like", response=LikeOut, summary="Remove my like of a comment")
def unlike_comment(request: HttpRequest, comment_id: int = Id) -> dict[str, Any]:
    services.comment_unlike(user=request.auth, comment_id=comment_id)  # type: ignore[attr-defined]
    return _comment_like_state(request.auth, comment_id)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# Collections


@router.get(
    "/users/{username}/collections",
    response=CollectionListOut,
    auth=OptionalAuth(),
    summary="A member's collections that I may see",
)
def list_collections(request: HttpRequest, username: str = Path(..., max_length=30)) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    owner = visible_user_or_404(viewer, username)
    cards = selectors.collection_cards(viewer, owner)
    items = [collection_out(c["collection"], note_count=c["note_count"], cover=c["cover"]) for c in cards]
    return {"items": items, "next_cursor": None}


def _one_collection(viewer: Any, collection_id: int) -> dict[str, Any]:
    card = selectors.collection_card(viewer, get_visible_collection(viewer, collection_id))
    return collection_out(card["collection"], note_count=card["note_count"], cover=card["cover"])


@router.post("/collections", response={201: CollectionOut, **errors(409, 429)}, summary="Create a collection")
def create_collection(request: HttpRequest, payload: CollectionIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    ratelimit.hit("engagement.collection", str(user.pk), limit=COLLECTIONS_PER_HOUR, window_seconds=3600)
    collection = services.collection_create(owner=user, name=payload.name, is_public=payload.is_public)
    return Status(201, _one_collection(user, collection.pk))


@router.patch(
    "/collections/{collection_id}",
    response={200: CollectionOut, **errors(409)},
    summary="Rename or share a collection",
)
def patch_collection(
    request: HttpRequest, payload: CollectionPatch, collection_id: int = Id
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    services.collection_update(
        actor=user, collection_id=collection_id, name=payload.name, is_public=payload.is_public
    )
    return _one_collection(user, collection_id)


@router.delete(
    "/collections/{collection_id}",
    response={204: None},
    summary="Delete a collection (its saves move to the default one)",
)
def delete_collection(request: HttpRequest, collection_id: int = Id) -> Status[None]:
    services.collection_delete(actor=request.auth, collection_id=collection_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/collections/{collection_id}/notes",
    response=NoteCardPageOut,
    auth=OptionalAuth(),
    summary="Notes in a collection, most recently saved first",
)
def list_collection_notes(
    request: HttpRequest, query: Query[PageQuery], collection_id: int = Id
) -> dict[str, Any]:
    viewer = request.auth  # type: ignore[attr-defined]
    collection = get_visible_collection(viewer, collection_id)
    page = selectors.collection_notes_page(viewer, collection, query.cursor, query.limit)
    liked = selectors.liked_note_ids(viewer, [n.pk for n in page.items])
    return {
        "items": [note_card_out(n, liked=n.pk in liked) for n in page.items],
        "next_cursor": page.next_cursor,
    }
