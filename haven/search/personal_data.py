"""Search's entries in the personal-data registry: a member's search history (export, erasure).

Erasure also removes the member's own documents from the index (their member entry and their notes),
so their words leave search at once rather than at the next drift repair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data, searchables
from haven.search.models import SearchHistory


def export_history(user: Any) -> Iterator[dict[str, Any]]:
    rows = SearchHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    for pk, query, kind, created_at in rows.values_list("pk", "query", "kind", "created_at"):
        yield {"id": pk, "query": query, "kind": kind, "searched_at": created_at.isoformat()}


def erase_search(user: Any) -> int:
    from haven.search import index

    deleted = int(SearchHistory.objects.filter(user_id=user.pk).delete()[0])
    kinds = searchables.kinds()
    if "member" in kinds:
        index.remove_objects("member", [user.pk])
    if "note" in kinds:
        from haven.notes.models import Note

        note_ids = list(Note.objects.filter(author_id=user.pk).values_list("pk", flat=True))
        if note_ids:
            index.remove_objects("note", note_ids)
    return deleted


def register_all() -> None:
    personal_data.register(
        SearchHistory,
        section="search_history",
        owner_fields=("user",),
        exporter=export_history,
        eraser=erase_search,
        personal_fields=("query",),
        order=20,
    )
