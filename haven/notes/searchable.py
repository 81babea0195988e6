"""Notes and topics (hashtags) in the searchables registry (core.searchables): their text and who sees them.

A note is indexable while it is published and not private (followers-only notes are indexed and shown
to followers only); its title, hashtags and place are the head, its body the rest. What a viewer may
find is decided at query time by `distributable_notes` (visible, moderation OK, author active) less
the authors the viewer muted. A topic is indexable while a published public note carries it, and shows
to a viewer while such a note is distributable to them. The place is the note's `location_name` for
now; when places become their own model they join the head here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from haven.core import searchables
from haven.core.reportables import ModerationState
from haven.media.selectors import rendition_url, video_url
from haven.notes.access import distributable_notes, viewer_id_of, without_muted
from haven.notes.models import Hashtag, Note, NoteHashtag, Visibility
from haven.notes.selectors import cover_image, with_card_data

NOTE_CODE = 1
TOPIC_CODE = 3
EXCERPT = 140
_INDEXABLE = Q(status=Note.Status.PUBLISHED) & ~Q(visibility=Visibility.PRIVATE)
_PUBLIC_LINK = Q(  # a topic is public: public notes of public, active accounts make it
    note__status=Note.Status.PUBLISHED,
    note__visibility=Visibility.PUBLIC,
    note__moderation=ModerationState.OK,
    note__author__is_private=False,
    note__author__is_active=True,
)


def searchable_notes(viewer: Any) -> QuerySet[Note]:
    """Notes search may show `viewer`: distributable (notes.access) and not by an author they muted."""
    return without_muted(distributable_notes(viewer), viewer)


# ----------------------------------------------------------------------------------------------
# Notes


def note_documents(pks: Sequence[int]) -> dict[int, searchables.Document]:
    notes = list(
        Note.objects.filter(_INDEXABLE, pk__in=list(pks)).only(
            "pk",
            "title",
            "body",
            "location_name",
            "language",
            "published_at",
            "like_count",
            "save_count",
            "comment_count",
            "video_id",
        )
    )
    tags: dict[int, list[str]] = {}
    for note_id, name in (
        NoteHashtag.objects.filter(note_id__in=[n.pk for n in notes])
        .order_by("id")
        .values_list("note_id", "hashtag__name")
    ):
        tags.setdefault(note_id, []).append(name)
    spoken = _caption_texts([n.pk for n in notes if n.video_id])
    return {
        note.pk: searchables.Document(
            head=(note.title, *tags.get(note.pk, ()), note.location_name),
            body=(note.body, spoken.get(note.pk, "")),
            language=note.language,
            at=note.published_at,
            popularity=note.like_count + 2 * note.save_count + note.comment_count,
        )
        for note in notes
    }


#: Characters of a video note's captions that search indexes (its spoken words, in every language).
CAPTION_INDEX_MAX = 4000


def _caption_texts(note_ids: Sequence[int]) -> dict[int, str]:
    """The uploaded caption text of each video note among `note_ids` (one query), bounded."""
    if not note_ids:
        return {}
    from haven.media.captions import stored_cues
    from haven.media.models import VideoCaption

    texts: dict[int, str] = {}
    rows = VideoCaption.objects.filter(video__note__in=list(note_ids), source="upload").values_list(
        "video__note", "vtt"
    )
    for note_id, vtt in rows:
        known = texts.get(note_id, "")
        if len(known) >= CAPTION_INDEX_MAX:
            continue
        text = " ".join(cue.text.replace("\n", " ") for cue in stored_cues(vtt))
        texts[note_id] = (known + " " + text).strip()[:CAPTION_INDEX_MAX]
    return texts


def note_ids() -> Iterator[int]:
    return (
        Note.objects.filter(_INDEXABLE).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)
    )


def visible_notes_among(viewer: Any, pks: Sequence[int]) -> dict[int, Note]:
    notes = with_card_data(searchable_notes(viewer).filter(pk__in=list(pks)))
    return {note.pk: note for note in notes}


def note_cards(viewer: Any, notes: Sequence[Any]) -> dict[int, dict[str, Any]]:
    cards = {}
    for note in notes:
        cover = cover_image(note)
        author = note.author
        cards[note.pk] = {
            "id": note.pk,
            "title": note.title,
            "excerpt": note.body[:EXCERPT],
            "location_name": note.location_name,
            "language": note.language,
            "published_at": note.published_at,
            "like_count": note.like_count,
            "cover_url": (
                video_url(note.video, "poster_grid", note=note)
                if note.video_id and note.video is not None
                else rendition_url(cover.image, "grid", note=note)
                if cover is not None
                else ""
            ),
            "sensitive": bool(note.sensitive) and note.author_id != viewer_id_of(viewer),
            "author": {"username": author.username, "display_name": author.display_name},
        }
    return cards


def note_related(pks: Sequence[int]) -> dict[str, list[int]]:
    """A note's topics are re-indexed with it (a new hashtag becomes findable, counts move)."""
    ids = NoteHashtag.objects.filter(note_id__in=list(pks)).values_list("hashtag_id", flat=True)
    return {"topic": sorted(set(ids))}


# ----------------------------------------------------------------------------------------------
# Topics


def _public_count() -> Subquery:
    counted = (
        NoteHashtag.objects.filter(_PUBLIC_LINK, hashtag_id=OuterRef("pk"))
        .order_by()
        .values("hashtag_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)  # type: ignore[return-value]


def topic_documents(pks: Sequence[int]) -> dict[int, searchables.Document]:
    counts = dict(
        NoteHashtag.objects.filter(_PUBLIC_LINK, hashtag_id__in=list(pks))
        .order_by()
        .values("hashtag_id")
        .annotate(n=Count("id"))
        .values_list("hashtag_id", "n")
    )
    names = Hashtag.objects.filter(pk__in=list(counts)).values_list("pk", "name")
    return {pk: searchables.Document(head=(name,), popularity=counts[pk]) for pk, name in names}


def topic_ids() -> Iterator[int]:
    return (
        NoteHashtag.objects.filter(_PUBLIC_LINK)
        .order_by("hashtag_id")
        .values_list("hashtag_id", flat=True)
        .distinct()
        .iterator(chunk_size=5000)
    )


def visible_topics_among(viewer: Any, pks: Sequence[int]) -> dict[int, Hashtag]:
    shown = searchable_notes(viewer).filter(
        status=Note.Status.PUBLISHED,
        visibility=Visibility.PUBLIC,
        author__is_private=False,
        hashtag_links__hashtag_id=OuterRef("pk"),
    )
    topics = (
        Hashtag.objects.filter(pk__in=list(pks)).filter(Exists(shown)).annotate(note_count=_public_count())
    )
    return {topic.pk: topic for topic in topics}


def topic_cards(viewer: Any, topics: Sequence[Any]) -> dict[int, dict[str, Any]]:
    return {
        t.pk: {"id": t.pk, "name": t.name, "note_count": int(getattr(t, "note_count", 0))} for t in topics
    }


def register() -> None:
    searchables.register(
        searchables.Searchable(
            kind="note",
            code=NOTE_CODE,
            label=gettext_lazy("Notes"),
            documents=note_documents,
            all_ids=note_ids,
            visible=visible_notes_among,
            cards=note_cards,
            timely=True,
            models=("notes.Note", "notes.NoteHashtag"),
            related=note_related,
        )
    )
    searchables.register(
        searchables.Searchable(
            kind="topic",
            code=TOPIC_CODE,
            label=gettext_lazy("Topics"),
            documents=topic_documents,
            all_ids=topic_ids,
            visible=visible_topics_among,
            cards=topic_cards,
            suggest=True,
            models=("notes.Hashtag",),
        )
    )
