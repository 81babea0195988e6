"""Bounded input and output schemas of the engagement API, and the builders that fill the outputs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from haven.engagement.models import COLLECTION_NAME_MAX, COMMENT_MAX, Collection, Comment
from haven.engagement.selectors import comment_replies_preview
from haven.engagement.services import collection_display_name
from haven.media.selectors import rendition_url
from haven.notes.models import Note, NoteImage
from haven.notes.schemas import MAX_ID, AuthorOut, author_out
from haven.notes.selectors import cover_image


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=COMMENT_MAX)
    parent_id: int | None = Field(None, ge=1, le=MAX_ID, description="the comment answered, if a reply")


class ReplyOut(Schema):
    id: int
    note_id: int
    parent_id: int | None = None
    author: AuthorOut
    reply_to: AuthorOut | None = None
    body: str
    body_html: str
    language: str
    like_count: int
    reply_count: int
    liked: bool
    created_at: datetime


class CommentOut(ReplyOut):
    replies: list[ReplyOut] = Field(
        default_factory=list, description="the first replies (top-level comments)"
    )


class CommentPageOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None = None


class ReplyPageOut(Schema):
    items: list[ReplyOut]
    next_cursor: str | None = None


class LikeOut(Schema):
    liked: bool
    like_count: int


class SaveIn(Schema):
    collection_id: int | None = Field(None, ge=1, le=MAX_ID, description="default collection when left out")


class ViewerStateOut(Schema):
    liked: bool
    saved: bool
    collection_id: int | None = None


class SaveOut(Schema):
    saved: bool
    collection_id: int | None = None
    save_count: int


class CollectionIn(Schema):
    name: str = Field(..., min_length=1, max_length=COLLECTION_NAME_MAX)
    is_public: bool = False


class CollectionPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=COLLECTION_NAME_MAX)
    is_public: bool | None = None


class CollectionOut(Schema):
    id: int
    name: str
    owner: str = Field(description="the owner's username")
    is_public: bool
    is_default: bool
    note_count: int = Field(description="notes in it that the viewer may see")
    cover_url: str | None = None
    created_at: datetime


class CollectionListOut(Schema):
    items: list[CollectionOut]
    next_cursor: str | None = None


class CollectionCoverOut(Schema):
    url: str | None = None
    width: int
    height: int
    blurhash: str
    alt_text: str


class NoteCardOut(Schema):
    id: int
    title: str
    author: AuthorOut
    cover: CollectionCoverOut | None = None
    like_count: int
    liked: bool
    published_at: datetime | None = None


class NoteCardPageOut(Schema):
    items: list[NoteCardOut]
    next_cursor: str | None = None


def _comment_data(comment: Comment, liked: set[int]) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "note_id": comment.note_id,
        "parent_id": comment.parent_id,
        "author": author_out(comment.author),
        "reply_to": author_out(comment.reply_to) if comment.reply_to_id and comment.reply_to else None,
        "body": comment.body,
        "body_html": comment.body_html,
        "language": comment.language,
        "like_count": comment.like_count,
        "reply_count": comment.reply_count,
        "liked": comment.pk in liked,
        "created_at": comment.created_at,
    }


def reply_out(comment: Comment, liked: set[int]) -> dict[str, Any]:
    """A reply (or any comment without its thread); `liked` holds the ids the viewer liked."""
    return _comment_data(comment, liked)


def comment_out(comment: Comment, liked: set[int]) -> dict[str, Any]:
    """A top-level comment with its prefetched first replies (see selectors.comments_page)."""
    data = _comment_data(comment, liked)
    data["replies"] = [_comment_data(r, liked) for r in comment_replies_preview(comment)]
    return data


def thread_ids(comments: list[Comment]) -> list[int]:
    """Ids of the comments and their prefetched replies (to ask which ones the viewer liked)."""
    ids = [c.pk for c in comments]
    for c in comments:
        ids.extend(r.pk for r in comment_replies_preview(c))
    return ids


def cover_out(image: NoteImage | None) -> dict[str, Any] | None:
    if image is None:
        return None
    media = image.image
    return {
        "url": rendition_url(media, "grid", note=image.note) or None,
        "width": media.width,
        "height": media.height,
        "blurhash": media.blurhash,
        "alt_text": image.alt_text,
    }


def note_card_out(note: Note, *, liked: bool) -> dict[str, Any]:
    """A compact card; pass a note from notes.selectors.with_card_data (no queries)."""
    return {
        "id": note.pk,
        "title": note.title,
        "author": author_out(note.author),
        "cover": cover_out(cover_image(note)),
        "like_count": note.like_count,
        "liked": liked,
        "published_at": note.published_at,
    }


def collection_out(
    collection: Collection, *, note_count: int, cover: NoteImage | None = None
) -> dict[str, Any]:
    return {
        "id": collection.pk,
        "name": collection_display_name(collection),
        "owner": collection.owner.username,
        "is_public": collection.is_public,
        "is_default": collection.is_default,
        "note_count": note_count,
        "cover_url": (rendition_url(cover.image, "grid", note=cover.note) or None) if cover else None,
        "created_at": collection.created_at,
    }
