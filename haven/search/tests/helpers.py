"""Helpers of the search tests: index everything, ids of a search."""

from __future__ import annotations

from typing import Any

from haven.core import searchables
from haven.notes.models import Hashtag, Note, NoteHashtag
from haven.search import index, selectors


def index_all() -> None:
    for kind in searchables.kinds():
        index.reindex(kind, clear=True)


def found(viewer: Any, q: str, kind: str = "note", **kwargs: Any) -> list[int]:
    return [hit.id for hit in selectors.search(viewer, q, kind=kind, **kwargs).items]


def suggested(viewer: Any, prefix: str) -> list[tuple[str, int]]:
    return [(s.kind, s.id) for s in selectors.suggest(viewer, prefix)]


def tag(note: Note, *names: str) -> Note:
    """Link hashtags to a factory-made note (the factory does not parse its text)."""
    for name in names:
        hashtag, _created = Hashtag.objects.get_or_create(name=name)
        NoteHashtag.objects.get_or_create(note=note, hashtag=hashtag)
    return note
