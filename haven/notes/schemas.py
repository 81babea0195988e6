"""Bounded input and output schemas of the notes API, and the builders that fill the outputs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from haven.accounts.selectors import avatar_url
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.notes.models import ALT_MAX, BODY_MAX, LOCATION_MAX, MAX_IMAGES, TITLE_MAX, Note, NoteImage
from haven.notes.selectors import note_hashtags, note_images

MAX_ID = 2**63 - 1
VisibilityValue = Literal["public", "followers", "private"]
ImageId = Annotated[int, Field(ge=1, le=MAX_ID)]
AltText = Annotated[str, Field(max_length=ALT_MAX)]


class NoteIn(Schema):
    title: str = Field("", max_length=TITLE_MAX)
    body: str = Field("", max_length=BODY_MAX)
    image_ids: list[ImageId] = Field(default_factory=list, max_length=MAX_IMAGES)
    alt_texts: list[AltText] = Field(default_factory=list, max_length=MAX_IMAGES)
    cover_index: int = Field(0, ge=0, le=MAX_IMAGES - 1)
    visibility: VisibilityValue = "public"
    location_name: str = Field("", max_length=LOCATION_MAX)
    publish: bool = True


class NotePatch(Schema):
    """Fields to change; those left out (or null) stay as they are."""

    title: str | None = Field(None, max_length=TITLE_MAX)
    body: str | None = Field(None, max_length=BODY_MAX)
    image_ids: list[ImageId] | None = Field(None, max_length=MAX_IMAGES)
    alt_texts: list[AltText] | None = Field(None, max_length=MAX_IMAGES)
    cover_index: int | None = Field(None, ge=0, le=MAX_IMAGES - 1)
    visibility: VisibilityValue | None = None
    location_name: str | None = Field(None, max_length=LOCATION_MAX)


class AuthorOut(Schema):
    username: str
    display_name: str
    avatar_url: str | None = None


class NoteImageOut(Schema):
    id: int = Field(description="the media image id (send these back in image_ids to reorder)")
    position: int
    alt_text: str
    width: int
    height: int
    blurhash: str
    grid_url: str | None = None
    detail_url: str | None = None
    state: str


class CountsOut(Schema):
    likes: int
    saves: int
    comments: int


class NoteOut(Schema):
    id: int
    author: AuthorOut
    title: str
    body: str
    body_html: str
    images: list[NoteImageOut]
    cover_index: int
    hashtags: list[str]
    location_name: str
    visibility: str
    status: str
    language: str
    language_confidence: float
    counts: CountsOut
    liked: bool | None = Field(None, description="the viewer liked it (null where not computed)")
    saved: bool | None = Field(None, description="the viewer saved it (null where not computed)")
    created_at: datetime
    published_at: datetime | None = None
    edited_at: datetime | None = None


class NotePageOut(Schema):
    items: list[NoteOut]
    next_cursor: str | None = None


def author_out(user: Any) -> dict[str, Any]:
    """The public face of a member on a note or comment."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": avatar_url(user) or None,
    }


def _url(image: MediaImage, kind: Literal["grid", "detail"], note: Any = None) -> str | None:
    if image.state != MediaImage.State.READY:
        return None
    return rendition_url(image, kind, note=note) or None


def note_image_out(note_image: NoteImage) -> dict[str, Any]:
    image = note_image.image
    return {
        "id": image.pk,
        "position": note_image.position,
        "alt_text": note_image.alt_text,
        "width": image.width,
        "height": image.height,
        "blurhash": image.blurhash,
        "grid_url": _url(image, "grid", note_image.note),
        "detail_url": _url(image, "detail", note_image.note),
        "state": image.state,
    }


def note_out(note: Note, *, liked: bool | None = None, saved: bool | None = None) -> dict[str, Any]:
    """A NoteOut as JSON-ready data; pass a note from selectors.with_detail_data to avoid queries."""
    return NoteOut.model_validate(note_data(note, liked=liked, saved=saved)).model_dump(mode="json")


def note_data(note: Note, *, liked: bool | None = None, saved: bool | None = None) -> dict[str, Any]:
    """The fields of a NoteOut, not validated: for an endpoint whose response=NoteOut validates them
    once (note_out validates here, for callers that store or nest the result)."""
    return {
        "id": note.pk,
        "author": author_out(note.author),
        "title": note.title,
        "body": note.body,
        "body_html": note.body_html,
        "images": [note_image_out(ni) for ni in note_images(note)],
        "cover_index": note.cover_index,
        "hashtags": note_hashtags(note),
        "location_name": note.location_name,
        "visibility": note.visibility,
        "status": note.status,
        "language": note.language,
        "language_confidence": note.language_confidence,
        "counts": {"likes": note.like_count, "saves": note.save_count, "comments": note.comment_count},
        "liked": liked,
        "saved": saved,
        "created_at": note.created_at,
        "published_at": note.published_at,
        "edited_at": note.edited_at,
    }
