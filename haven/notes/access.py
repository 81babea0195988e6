"""Who may see or change which notes: the one visibility choke point for every read path of notes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import NotFound
from haven.core.reportables import SEEN_BY_OTHERS, ModerationState
from haven.graph.models import Block, Follow, Mute
from haven.notes.models import Note, Visibility

PUBLISHED = Note.Status.PUBLISHED
#: Others see a note only while moderation lets them and its author is not suspended (or gone).
SHOWN_TO_OTHERS = Q(moderation__in=SEEN_BY_OTHERS, author__is_active=True)
# Largest value a 64-bit signed primary key can hold; bigger ids are simply "not found".
MAX_ID = 2**63 - 1


def viewer_id_of(viewer: Any) -> int | None:
    """The viewer's user id, or None for anonymous viewers (None and AnonymousUser alike)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return None
    return int(viewer.pk)


def parse_id(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def block_between(user: Any, other: Any) -> Q:
    """A condition: a block exists either way between `user` and `other` (ids or OuterRef()s).

    Two EXISTS subqueries rather than one with an OR, so each can use the (blocker, blocked) index.
    """
    return Q(Exists(Block.objects.filter(blocker_id=user, blocked_id=other))) | Q(
        Exists(Block.objects.filter(blocker_id=other, blocked_id=user))
    )


def visible_notes(viewer: Any) -> QuerySet[Note]:
    """Every note `viewer` (a User, AnonymousUser or None) may see, as one composable queryset.

    The rule (docs/development.md): authors see all their notes; everyone else sees published notes
    of authors they have no block with (either way) that are public (from a public account, or from a
    private account they follow) or followers-only from an author they follow. Private notes and
    drafts are seen by their author alone. Moderation: notes held for review or removed, and notes of
    suspended members, are seen by their author alone (moderators read them through haven.moderation,
    which audits every view); limited notes stay visible here and are only left out of distribution
    (`distributable_notes`). Graph relations are read through subqueries, so the cost stays one query
    whatever the size of the viewer's graph.
    """
    notes = Note.objects.all()
    viewer_id = viewer_id_of(viewer)
    public_note = Q(visibility=Visibility.PUBLIC)
    if viewer_id is None:
        return notes.filter(public_note, SHOWN_TO_OTHERS, status=PUBLISHED, author__is_private=False)
    follows_author = Exists(Follow.objects.filter(follower_id=viewer_id, followee_id=OuterRef("author_id")))
    blocked = block_between(viewer_id, OuterRef("author_id"))
    seen_by_others = (
        Q(status=PUBLISHED)
        & SHOWN_TO_OTHERS
        & ~blocked
        & (
            (public_note & (Q(author__is_private=False) | follows_author))
            | (Q(visibility=Visibility.FOLLOWERS) & follows_author)
        )
    )
    return notes.filter(Q(author_id=viewer_id) | seen_by_others)


def distributable_notes(viewer: Any) -> QuerySet[Note]:
    """Notes that may be pushed to `viewer` by Discover, topics and search: visible and not limited."""
    return visible_notes(viewer).filter(moderation=ModerationState.OK)


def without_muted(notes: QuerySet[Note], viewer: Any) -> QuerySet[Note]:
    """`notes` less those by authors `viewer` muted (feeds and search leave them out)."""
    viewer_id = viewer_id_of(viewer)
    if viewer_id is None:
        return notes
    return notes.exclude(author_id__in=Mute.objects.filter(muter_id=viewer_id).values("muted_id"))


def get_visible_note(viewer: Any, note_id: Any) -> Note:
    """The note with its author, if `viewer` may see it; NotFound ("not_found") when missing or hidden."""
    pk = parse_id(note_id)
    note = visible_notes(viewer).select_related("author").filter(pk=pk).first() if pk else None
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def can_view_note(viewer: Any, note: Note) -> bool:
    """Whether `viewer` may see `note` (no query for the author viewing their own note)."""
    viewer_id = viewer_id_of(viewer)
    if viewer_id is not None and viewer_id == note.author_id:
        return True
    return visible_notes(viewer).filter(pk=note.pk).exists()


def viewers_among(note: Note, user_ids: Iterable[int]) -> set[int]:
    """Which of `user_ids` may see `note`, in one query (mention fan-out; the same rule as visible_notes)."""
    ids = {int(i) for i in user_ids}
    if not ids:
        return set()
    if (
        note.status != PUBLISHED
        or note.visibility == Visibility.PRIVATE
        or note.moderation not in SEEN_BY_OTHERS
    ):
        return ids & {note.author_id}
    user_model = get_user_model()
    follows_author = Exists(Follow.objects.filter(follower_id=OuterRef("pk"), followee_id=note.author_id))
    blocked = block_between(OuterRef("pk"), note.author_id)
    author_is_private = user_model.objects.filter(pk=note.author_id, is_private=True)
    admitted: Q | Exists = follows_author
    if note.visibility == Visibility.PUBLIC:
        admitted = ~Exists(author_is_private) | follows_author
    author_active = Exists(user_model.objects.filter(pk=note.author_id, is_active=True))
    others = user_model.objects.filter(pk__in=ids - {note.author_id}).filter(
        admitted, author_active, ~blocked
    )
    seen = set(others.values_list("pk", flat=True))
    return seen | (ids & {note.author_id})


def editable_note_or_404(user: Any, note_id: Any, *, for_update: bool = False) -> Note:
    """The note if `user` wrote it (only authors edit); NotFound otherwise, like a missing note."""
    viewer_id = viewer_id_of(user)
    pk = parse_id(note_id)
    note = None
    if viewer_id is not None and pk is not None:
        notes = Note.objects.select_for_update() if for_update else Note.objects.all()
        note = notes.filter(pk=pk, author_id=viewer_id).first()
    if note is None:
        raise NotFound(_("Note not found."))
    return note


def filter_visible_notifications(recipient: Any, notifications: Sequence[Any]) -> list[Any]:
    """Notifications filter: drop those whose note is gone or no longer visible to the recipient."""
    note_ids = {n.note_id for n in notifications if getattr(n, "note_id", None)}
    if not note_ids:
        return list(notifications)
    visible = set(visible_notes(recipient).filter(pk__in=note_ids).values_list("pk", flat=True))
    return [n for n in notifications if not getattr(n, "note_id", None) or n.note_id in visible]


# ----------------------------------------------------------------------------------------------
# Renditions (registered with media.access from NotesConfig.ready(); docs/adr/0004-media-access.md)


def _rendition_key(note: Any) -> str:
    """The access state that signed rendition URLs are bound to: changing it revokes them."""
    return f"{note.visibility}:{note.status}:{note.moderation}"


def rendition_audience(note: Any) -> tuple[bool, str]:
    """(public, key) of a loaded note's images, without queries.

    `note`: a Note, or a card row read with its author's columns (notes.selectors.NoteCard).
    `public` is the anonymous branch of visible_notes read from loaded fields; a note whose author is
    not loaded counts as not public (its images then get signed URLs, which is only slower to cache).
    The rendition view does not trust this: it asks visible_notes itself (rendition_is_public).
    """
    author = note.author if not isinstance(note, Note) or Note.author.is_cached(note) else None
    public = (
        note.status == PUBLISHED
        and note.visibility == Visibility.PUBLIC
        and note.moderation in SEEN_BY_OTHERS
        and author is not None
        and not author.is_private
        and author.is_active
    )
    return bool(public), _rendition_key(note)


def rendition_key_now(image_id: int, note_id: int) -> str | None:
    """The key of note `note_id` read now, if it shows image `image_id`; None otherwise."""
    note = (
        Note.objects.filter(pk=note_id, images__image_id=image_id)
        .only("visibility", "status", "moderation")
        .first()
    )
    return None if note is None else _rendition_key(note)


def shareable_page(note: Any) -> bool:
    """May shared caches (a proxy, a CDN) keep this note's page? Only when anyone may see the note
    (rendition_audience's anonymous rule, from loaded fields) and moderation has not limited it."""
    return rendition_audience(note)[0] and note.moderation == ModerationState.OK


def rendition_is_public(image_id: int) -> bool:
    """Whether a note that anyone (anonymous visitors too) may see shows image `image_id`, read now."""
    return visible_notes(None).filter(images__image_id=image_id).exists()


def video_key_now(video_id: int, note_id: int) -> str | None:
    """The key of note `note_id` read now, if it shows video `video_id`; None otherwise."""
    note = (
        Note.objects.filter(pk=note_id, video_id=video_id).only("visibility", "status", "moderation").first()
    )
    return None if note is None else _rendition_key(note)


def video_is_public(video_id: int) -> bool:
    """Whether a note that anyone (anonymous visitors too) may see shows video `video_id`, read now."""
    return visible_notes(None).filter(video_id=video_id).exists()
