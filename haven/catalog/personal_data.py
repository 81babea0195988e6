"""Catalog's entries in the personal-data registry.

Tag clicks (which product tags a member tapped, on which notes) are the member's data: exported and
erased with them, and pruned after a while anyway (catalog.retention). Products belong to shops (the
shops app handles a shop's erasure); product tags on notes go with their notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.catalog.models import NoteProductTag, TagClick
from haven.core import personal_data


def export_tag_clicks(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        TagClick.objects.filter(user_id=user.pk)
        .order_by("pk")
        .values_list("note_id", "product_id", "created_at")
    )
    for note_id, product_id, created in rows.iterator(chunk_size=2000):
        yield {"note_id": note_id, "product_id": product_id, "tapped_at": created.isoformat()}


def export_note_tags(user: Any) -> Iterator[dict[str, Any]]:
    rows = (
        NoteProductTag.objects.filter(note__author_id=user.pk)
        .order_by("note_id", "position")
        .values_list("note_id", "product_id", "product__title", "image_index", "x", "y")
    )
    for note_id, product_id, title, index, x, y in rows.iterator(chunk_size=2000):
        yield {
            "note_id": note_id,
            "product_id": product_id,
            "product": title,
            "image_index": index,
            "x": x,
            "y": y,
        }


def erase_tag_clicks(user: Any) -> int:
    return int(TagClick.objects.filter(user_id=user.pk).delete()[0])


def register_all() -> None:
    personal_data.register(
        TagClick,
        section="shopping",
        owner_fields=["user"],
        exporter=export_tag_clicks,
        eraser=erase_tag_clicks,
        order=50,
    )
    personal_data.register(
        NoteProductTag,
        section="notes",
        owner_fields=[],
        exporter=export_note_tags,
        eraser=None,
        erased_with="notes.Note",
    )
