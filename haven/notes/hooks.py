"""Extension points of notes for higher layers: where a note was first posted (its provenance).

notes sits below imports, so it cannot ask imports which drafts came from another platform. A
higher app registers a provider from its `AppConfig.ready()` (imports registers one that reads its
ImportedItem rows), and the note page asks every provider once per render (pattern of ADR 0001).

A provider takes note ids and returns `{note_id: {"source": "TikTok", "posted_at": datetime | None,
"link": url or ""}}` for the notes it knows, in one query whatever the number of ids. It must not
check visibility: the caller has already obtained the notes through notes.access. The link is the
platform's own link as stored; here it is kept only when it is http(s), at most LINK_MAX characters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

logger = logging.getLogger(__name__)

ProvenanceProvider = Callable[[list[int]], Mapping[int, Mapping[str, Any]]]

#: Note ids one call asks about (the note page asks about one).
MAX_IDS = 100
SOURCE_MAX = 40
LINK_MAX = 2048

_providers: list[ProvenanceProvider] = []


@dataclass(frozen=True)
class Provenance:
    """Where a note was first posted: the platform's name, when (None if unknown), its link or ""."""

    source: str
    posted_at: datetime | None
    link: str


def register_provenance(provider: ProvenanceProvider) -> None:
    """Register `provider(note_ids)` (from a higher app's AppConfig.ready(); twice is harmless)."""
    if provider not in _providers:
        _providers.append(provider)


def _clean(raw: Mapping[str, Any]) -> Provenance | None:
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        return None
    posted_at = raw.get("posted_at")
    link = raw.get("link")
    if not isinstance(link, str) or len(link) > LINK_MAX or not link.startswith(("https://", "http://")):
        link = ""
    return Provenance(
        source=source.strip()[:SOURCE_MAX],
        posted_at=posted_at if isinstance(posted_at, datetime) else None,
        link=link,
    )


def provenance_of(note_ids: Iterable[int]) -> dict[int, Provenance]:
    """The provenance of each of `note_ids` that a provider knows (the first provider to answer wins).

    A provider that fails is logged and skipped: a note page never breaks over where it came from.
    """
    ids = list(dict.fromkeys(int(i) for i in note_ids))[:MAX_IDS]
    found: dict[int, Provenance] = {}
    if not ids:
        return found
    for provider in list(_providers):
        try:
            answers = provider(list(ids))
        except Exception:
            logger.exception("notes: a provenance provider failed")
            continue
        for note_id, raw in answers.items():
            if note_id in found or note_id not in ids or not isinstance(raw, Mapping):
                continue
            cleaned = _clean(raw)
            if cleaned is not None:
                found[note_id] = cleaned
    return found
