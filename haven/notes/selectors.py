"""Reads of notes: card and detail prefetching, images, hashtags, drafts."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.core.pagination import Page
from haven.core.text import normalize_tag, parse_hashtags
from haven.notes.access import parse_id, viewer_id_of, visible_notes
from haven.notes.models import Hashtag, Mention, Note, NoteHashtag, NoteImage
from haven.notes.paging import keyset_page

# Attribute names the prefetches below fill on each note.
COVER_ATTR = "cover_images"
DRAFTS_ORDER = ("-updated_at", "-id")


def with_card_data(qs: QuerySet[Note]) -> QuerySet[Note]:
    """Author and cover image (with its media row) for a page of cards: 2 queries whatever the page size."""
    cover = NoteImage.objects.filter(position=F("note__cover_index")).select_related("image")
    return qs.select_related("author").prefetch_related(
        Prefetch("images", queryset=cover, to_attr=COVER_ATTR)
    )


def with_detail_data(qs: QuerySet[Note]) -> QuerySet[Note]:
    """Author, all images (with media rows), hashtags and mentioned members: 4 queries in all."""
    return qs.select_related("author").prefetch_related(
        Prefetch("images", queryset=NoteImage.objects.select_related("image").order_by("position")),
        Prefetch("hashtag_links", queryset=NoteHashtag.objects.select_related("hashtag").order_by("id")),
        Prefetch("mentions", queryset=Mention.objects.select_related("user").order_by("id")),
    )


def note_detail(viewer: Any, note_id: Any) -> Note:
    """A note visible to `viewer` with everything its detail page shows (NotFound otherwise)."""
    pk = parse_id(note_id)
    note = with_detail_data(visible_notes(viewer)).filter(pk=pk).first() if pk else None
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def _prefetched(note: Note, name: str) -> list[Any] | None:
    cache = getattr(note, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def note_images(note: Note) -> list[NoteImage]:
    """The note's images in carousel order (uses the detail prefetch when present)."""
    images = _prefetched(note, "images")
    if images is None:
        return list(note.images.select_related("image").order_by("position"))
    return sorted(images, key=lambda i: i.position)


def cover_image(note: Note) -> NoteImage | None:
    """The cover image of a note, from the card or detail prefetch when present (else one query)."""
    covers = getattr(note, COVER_ATTR, None)
    if covers is not None:
        return covers[0] if covers else None
    images = _prefetched(note, "images")
    if images is None:
        return note.images.select_related("image").filter(position=note.cover_index).first()
    return next((i for i in images if i.position == note.cover_index), images[0] if images else None)


def note_hashtags(note: Note) -> list[str]:
    """The note's hashtag names in the order they were written."""
    links = _prefetched(note, "hashtag_links")
    if links is None:
        links = list(note.hashtag_links.select_related("hashtag").order_by("id"))
    return [link.hashtag.name for link in links]


def note_hashtags_not_in_body(note: Note) -> list[str]:
    """The note's hashtags that its body does not already show as links (those written in the title)."""
    inline = {name[: Hashtag._meta.get_field("name").max_length] for name in parse_hashtags(note.body)}
    return [name for name in note_hashtags(note) if name not in inline]


def note_mentioned_users(note: Note) -> list[Any]:
    """Members mentioned in the note (linked when they existed at writing time)."""
    mentions = _prefetched(note, "mentions")
    if mentions is None:
        mentions = list(note.mentions.select_related("user").order_by("id"))
    return [m.user for m in mentions]


def hashtag_by_name(name: str) -> Hashtag | None:
    """The hashtag named `name` (with or without '#', any case or width), or None."""
    normalized = normalize_tag((name or "").strip().lstrip("#").rstrip("#"))[:64]
    if not normalized:
        return None
    return Hashtag.objects.filter(name=normalized).first()


def drafts_of(
    user: Any, cursor: str | None = None, limit: int | None = None, *, detail: bool = False
) -> Page[Note]:
    """The member's own drafts, most recently edited first, with card data (or all detail data)."""
    user_id = viewer_id_of(user)
    if user_id is None:
        return Page(items=[], next_cursor=None)
    drafts = Note.objects.filter(author_id=user_id, status=Note.Status.DRAFT)
    qs = with_detail_data(drafts) if detail else with_card_data(drafts)
    return keyset_page(qs, order=DRAFTS_ORDER, cursor=cursor, limit=limit, scope="notes.drafts")
