"""Reads of notes: card and detail prefetching, images, hashtags, drafts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
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

#: The columns a feed card reads, as one values() row per note: the note's own and its author's (the
#: author join is the one the visibility conditions already make). See note_cards.
CARD_VALUES = (
    "id",
    "author_id",
    "title",
    "status",
    "visibility",
    "moderation",
    "language",
    "published_at",
    "like_count",
    "sensitive",
    "cover_index",
    "author__username",
    "author__display_name",
    "author__avatar",
    "author__is_private",
    "author__is_active",
)
_IMAGE_VALUES = (
    "note_id",
    "position",
    "alt_text",
    "image_id",
    "image__state",
    "image__grid_path",
    "image__width",
    "image__height",
    "image__blurhash",
)


@dataclass(slots=True)
class CardAuthor:
    """A note's author as a card shows it (no model instance); templates read it like a User."""

    pk: int
    username: str
    display_name: str
    avatar: str  # storage path of the avatar rendition ("" for none), like User.avatar
    is_private: bool
    is_active: bool

    @property
    def id(self) -> int:
        return self.pk

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass(slots=True)
class CardImage:
    """A note's cover image as a card shows it: the columns media.selectors.rendition_url reads."""

    pk: int
    state: str
    grid_path: str
    width: int
    height: int
    blurhash: str
    alt_text: str
    detail_path: str = ""  # cards show the grid rendition only


@dataclass(slots=True)
class NoteCard:
    """A note as a feed card shows it, read from a values() row of CARD_VALUES (no model instance).

    Feeds hydrate their pages into these after notes.access decided which notes the viewer may see;
    `cover` and `image_count` are filled by card_images (one query per page).
    """

    pk: int
    author_id: int
    title: str
    status: str
    visibility: str
    moderation: str
    language: str
    published_at: datetime | None
    like_count: int
    sensitive: bool
    cover_index: int
    author: CardAuthor
    cover: CardImage | None = None
    image_count: int = 0

    @property
    def id(self) -> int:
        return self.pk


def note_card(row: Mapping[str, Any]) -> NoteCard:
    """A NoteCard from a values() row of CARD_VALUES."""
    return NoteCard(
        pk=row["id"],
        author_id=row["author_id"],
        title=row["title"],
        status=row["status"],
        visibility=row["visibility"],
        moderation=row["moderation"],
        language=row["language"],
        published_at=row["published_at"],
        like_count=row["like_count"],
        sensitive=row["sensitive"],
        cover_index=row["cover_index"],
        author=CardAuthor(
            pk=row["author_id"],
            username=row["author__username"],
            display_name=row["author__display_name"],
            avatar=row["author__avatar"],
            is_private=row["author__is_private"],
            is_active=row["author__is_active"],
        ),
    )


def note_cards(rows: Iterable[Mapping[str, Any]]) -> list[NoteCard]:
    """NoteCards from values() rows of CARD_VALUES, covers and image counts filled (one query)."""
    cards = [note_card(row) for row in rows]
    card_images(cards)
    return cards


def card_of_note(note: Note) -> NoteCard:
    """A NoteCard from a loaded Note (its author loaded, e.g. by with_card_data); cover not filled."""
    author = note.author
    return NoteCard(
        pk=note.pk,
        author_id=note.author_id,
        title=note.title,
        status=note.status,
        visibility=note.visibility,
        moderation=note.moderation,
        language=note.language,
        published_at=note.published_at,
        like_count=note.like_count,
        sensitive=note.sensitive,
        cover_index=note.cover_index,
        author=CardAuthor(
            pk=author.pk,
            username=author.username,
            display_name=author.display_name,
            avatar=author.avatar,
            is_private=author.is_private,
            is_active=author.is_active,
        ),
    )


def card_images(cards: Sequence[NoteCard]) -> None:
    """Fill `cover` (the image at the note's cover_index, None when there is none) and `image_count`
    of each card: one query for the whole page (every image row of its notes, with the media columns
    of rendition URLs), none for an empty page."""
    if not cards:
        return
    by_id = {card.pk: card for card in cards}
    rows = NoteImage.objects.filter(note_id__in=list(by_id)).values_list(*_IMAGE_VALUES)
    for note_id, position, alt_text, image_id, state, grid_path, width, height, blurhash in rows:
        card = by_id[note_id]
        card.image_count += 1
        if position == card.cover_index:
            card.cover = CardImage(
                pk=image_id,
                state=state,
                grid_path=grid_path,
                width=width,
                height=height,
                blurhash=blurhash,
                alt_text=alt_text,
            )


def with_card_data(qs: QuerySet[Note]) -> QuerySet[Note]:
    """Author and cover image (with its media row) for a page of cards: 2 queries whatever the page size."""
    cover = NoteImage.objects.filter(position=F("note__cover_index")).select_related("image")
    return qs.select_related("author").prefetch_related(
        Prefetch("images", queryset=cover, to_attr=COVER_ATTR)
    )


def with_detail_data(qs: QuerySet[Note], *, mentions: bool = True) -> QuerySet[Note]:
    """Author, all images (with media rows), hashtags and mentioned members: 4 queries in all (3 with
    `mentions=False`, for the API's NoteOut, which does not show them)."""
    prefetches = [
        Prefetch("images", queryset=NoteImage.objects.select_related("image").order_by("position")),
        Prefetch("hashtag_links", queryset=NoteHashtag.objects.select_related("hashtag").order_by("id")),
    ]
    if mentions:
        mentioned = Mention.objects.select_related("user").order_by("id")
        prefetches.append(Prefetch("mentions", queryset=mentioned))
    return qs.select_related("author").prefetch_related(*prefetches)


def note_detail(viewer: Any, note_id: Any, *, mentions: bool = True) -> Note:
    """A note visible to `viewer` with everything its detail page shows (NotFound otherwise);
    `mentions=False` leaves the mentioned members out (one query less, for the API)."""
    pk = parse_id(note_id)
    note = with_detail_data(visible_notes(viewer), mentions=mentions).filter(pk=pk).first() if pk else None
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
    """The member's own drafts, most recently edited first, with card data (or the detail data of the
    API's NoteOut: mentions left out)."""
    user_id = viewer_id_of(user)
    if user_id is None:
        return Page(items=[], next_cursor=None)
    drafts = Note.objects.filter(author_id=user_id, status=Note.Status.DRAFT)
    qs = with_detail_data(drafts, mentions=False) if detail else with_card_data(drafts)
    return keyset_page(qs, order=DRAFTS_ORDER, cursor=cursor, limit=limit, scope="notes.drafts")
