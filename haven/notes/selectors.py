"""Reads of notes: card and detail prefetching, images, hashtags, drafts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from haven.core.compiled import CompiledQuery
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
    # A video note's video (LEFT JOIN; all None for photo notes): poster, preview and duration.
    "video_id",
    "video__owner_id",
    "video__state",
    "video__poster_grid_path",
    "video__preview_path",
    "video__duration_ms",
    "video__width",
    "video__height",
    "video__blurhash",
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
class CardVideo:
    """A video note's video as a card shows it: the columns media.selectors.video_url reads."""

    pk: int
    owner_id: int
    state: str
    poster_grid_path: str
    preview_path: str
    duration_ms: int
    width: int
    height: int
    blurhash: str


def _card_video(row: Mapping[str, Any]) -> CardVideo | None:
    if not row.get("video_id"):
        return None
    return CardVideo(
        pk=row["video_id"],
        owner_id=row["video__owner_id"],
        state=row["video__state"],
        poster_grid_path=row["video__poster_grid_path"],
        preview_path=row["video__preview_path"],
        duration_ms=row["video__duration_ms"],
        width=row["video__width"],
        height=row["video__height"],
        blurhash=row["video__blurhash"],
    )


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
    video: CardVideo | None = None

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
        video=_card_video(row),
    )


def note_cards(rows: Iterable[Mapping[str, Any]]) -> list[NoteCard]:
    """NoteCards from values() rows of CARD_VALUES, covers and image counts filled (one query)."""
    cards = [note_card(row) for row in rows]
    card_images(cards)
    return cards


def card_of_note(note: Note) -> NoteCard:
    """A NoteCard from a loaded Note (its author loaded, e.g. by with_card_data); cover not filled.
    The video is read when loaded (with_card_data selects it) or when the note has one (a query)."""
    author = note.author
    video = note.video if note.video_id else None
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
        video=None
        if video is None
        else CardVideo(
            pk=video.pk,
            owner_id=video.owner_id,
            state=video.state,
            poster_grid_path=video.poster_grid_path,
            preview_path=video.preview_path,
            duration_ms=video.duration_ms,
            width=video.width,
            height=video.height,
            blurhash=video.blurhash,
        ),
    )


#: Every feed page reads its covers: compiled once per thread and page length (core.compiled).
_CARD_IMAGES = CompiledQuery(
    "notes.card_images",
    lambda notes: NoteImage.objects.filter(note_id__in=notes).values_list(*_IMAGE_VALUES),
    lists=("notes",),
)


def card_images(cards: Sequence[NoteCard]) -> None:
    """Fill `cover` (the image at the note's cover_index, None when there is none) and `image_count`
    of each card: one query for the whole page (every image row of its notes, with the media columns
    of rendition URLs), none for an empty page."""
    if not cards:
        return
    by_id = {card.pk: card for card in cards}
    rows = _CARD_IMAGES.rows(notes=list(by_id))
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
    return qs.select_related("author", "video").prefetch_related(
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
    return qs.select_related("author", "video").prefetch_related(*prefetches)


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


def video_player(note: Note) -> dict[str, Any] | None:
    """What the note page's player needs for a video note (None for a photo note): the state, and once
    ready the poster, the sources (720p first, then 480p), the caption tracks and the duration.
    One query (the caption tracks; none when prefetched as "video__captions") once the video is ready and
    loaded with the note (with_detail_data)."""
    from django.urls import reverse

    from haven.accounts.forms import LANGUAGE_AUTONYMS
    from haven.media.selectors import video_url
    from haven.media.states import READY

    if not note.video_id:
        return None
    video = note.video
    if video is None or video.state != READY:
        return {"ready": False, "state": video.state if video else "", "id": note.video_id}
    sources = [
        {"url": url, "height": side}
        for url, side in ((video_url(video, "hd", note=note), 720), (video_url(video, "sd", note=note), 480))
        if url
    ]
    # .all() (not a new query) so that a page of players can prefetch "video__captions".
    tracks = sorted((c.language, c.source) for c in video.captions.all())
    captions = [
        {
            "language": language,
            "label": LANGUAGE_AUTONYMS.get(language)
            or LANGUAGE_AUTONYMS.get(language.split("-")[0].lower(), language),
            "source": source,
            "url": reverse("notes:captions", kwargs={"note_id": note.pk, "language": language}),
        }
        for language, source in tracks
    ]
    return {
        "ready": True,
        "id": video.pk,
        "poster": video_url(video, "poster", note=note),
        "sources": sources,
        "captions": captions,
        "duration_ms": video.duration_ms,
        "poster_at_ms": video.poster_at_ms,
        "width": video.width,
        "height": video.height,
        "blurhash": video.blurhash,
    }


def note_captions(viewer: Any, note_id: Any, language: str) -> str:
    """The WebVTT text of a visible note's caption track in `language` (NotFound otherwise)."""
    from haven.media.models import VideoCaption

    pk = parse_id(note_id)
    note = visible_notes(viewer).filter(pk=pk).only("pk", "video_id").first() if pk else None
    if note is None or not note.video_id:
        raise NotFound(_("Note not found."))
    vtt = (
        VideoCaption.objects.filter(video_id=note.video_id, language=language[:16])
        .values_list("vtt", flat=True)
        .first()
    )
    if vtt is None:
        raise NotFound(_("These captions do not exist."), code="captions_not_found")
    return str(vtt)
