"""Authors' own translations of their notes join the note's search document (core.searchables.add_text)."""

from __future__ import annotations

from collections.abc import Sequence

from haven.core import searchables
from haven.translation.models import NoteTranslation


def note_translations(pks: Sequence[int]) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """{note id: (translated titles, translated bodies)} for the notes among `pks` that have any."""
    heads: dict[int, list[str]] = {}
    bodies: dict[int, list[str]] = {}
    rows = NoteTranslation.objects.filter(note_id__in=list(pks)).order_by("note_id", "language")
    for note_id, title, body in rows.values_list("note_id", "title", "body"):
        heads.setdefault(note_id, []).append(title)
        bodies.setdefault(note_id, []).append(body)
    return {pk: (tuple(heads[pk]), tuple(bodies.get(pk, ()))) for pk in heads}


def register() -> None:
    searchables.add_text("note", note_translations)
