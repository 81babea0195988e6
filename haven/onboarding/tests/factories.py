"""Test helpers of onboarding: notes carrying hashtags, in a language, with likes."""

from __future__ import annotations

from typing import Any

from haven.notes.models import Hashtag, Note, NoteHashtag
from haven.notes.tests.factories import NoteFactory


def tagged_note(author: Any, *tags: str, language: str = "en", likes: int = 0, **kwargs: Any) -> Note:
    """A published public note by `author` with one image, carrying `tags` (normalized names)."""
    note = NoteFactory(author=author, language=language, like_count=likes, **kwargs)
    for name in tags:
        hashtag, _created = Hashtag.objects.get_or_create(name=name)
        NoteHashtag.objects.create(note=note, hashtag=hashtag)
    return note
