"""The provenance provider imports registers with notes: "first posted on TikTok on ..." on a draft's page."""

from __future__ import annotations

from typing import Any

from haven.imports.models import ImportedItem
from haven.imports.parsing.values import INSTAGRAM_HOSTS, TIKTOK_HOSTS, BadValue, check_link

#: The platforms' names, and the only hosts their links may point to when shown on a note page.
SOURCES = {"tiktok": "TikTok", "instagram": "Instagram"}
HOSTS = {"tiktok": TIKTOK_HOSTS, "instagram": INSTAGRAM_HOSTS}


def shown_link(source: str, link: str) -> str:
    """The stored platform link when it is still http(s) to that platform's hosts; else ""."""
    hosts = HOSTS.get(source)
    if not link or hosts is None:
        return ""
    try:
        return check_link(link, hosts)
    except BadValue:
        return ""


def provenance(note_ids: list[int]) -> dict[int, dict[str, Any]]:
    """For each of `note_ids` an import created: its platform, original date and link (one query).

    The note page has checked who may see the notes (notes.access); this only says where they came from.
    """
    rows = (
        ImportedItem.objects.filter(note_id__in=note_ids, kind=ImportedItem.Kind.POST)
        .order_by("pk")
        .values_list("note_id", "source", "original_posted_at", "original_link")
    )
    found: dict[int, dict[str, Any]] = {}
    for note_id, source, posted_at, link in rows:
        if note_id is None or note_id in found or source not in SOURCES:
            continue
        found[note_id] = {"source": SOURCES[source], "posted_at": posted_at, "link": shown_link(source, link)}
    return found
