"""Factories and small builders for feed tests (notes, members and graph edges come from notes' factories)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from haven.feeds.models import SeenNote
from haven.notes.models import Hashtag, Note, NoteHashtag
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory, block, follow, mute

__all__ = [
    "MediaImageFactory",
    "NoteFactory",
    "UserFactory",
    "block",
    "follow",
    "mute",
    "note_at",
    "seen",
    "tag",
]


def note_at(*, hours_ago: float = 0, images: int = 0, **fields: Any) -> Note:
    """A published note whose published_at lies `hours_ago` in the past (no images unless asked)."""
    return NoteFactory(published_at=timezone.now() - dt.timedelta(hours=hours_ago), images=images, **fields)


def tag(note: Note, name: str) -> None:
    """Attach hashtag `name` (already normalized) to `note`."""
    hashtag, _ = Hashtag.objects.get_or_create(name=name)
    NoteHashtag.objects.get_or_create(note=note, hashtag=hashtag)


def seen(user: Any, *notes: Note) -> None:
    for note in notes:
        SeenNote.objects.get_or_create(user=user, note=note)
