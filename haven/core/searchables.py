"""The registry of searchable kinds (ARCHITECTURE.md rule 11): what the search app may index and show.

Every app whose things can be found by search (notes and topics, members; products later) registers a
`Searchable` from its `AppConfig.ready()`. The search app knows nothing of them but this registry:

- `documents(pks)` returns the text of the indexable objects among `pks` in a few batched queries
  (a pk missing from the answer is not indexable: gone, a draft, private; its index row is removed);
- `all_ids()` yields the pks of every indexable object (reindex and the drift check);
- `visible(viewer, pks)` returns, in one query, the objects among `pks` that search may show `viewer`,
  read through the owning app's access.py (distributable only: not held, limited or removed, nothing of
  muted or blocked members, nothing of suspended ones). Search calls it at query time for every page;
  the index is never trusted for visibility;
- `cards(viewer, objects)` turns those objects into small JSON-ready dicts for result lists.

Higher apps can add text to a kind (`add_text`: an author's own translations of a note), and owning
apps call `changed(kind, pks)` from their services when an object's text or indexability changed; the
search app installs the function that schedules re-indexing after commit (`install_indexer`). Without
the search app installed, `changed` does nothing.

`haven/search/tests/test_registry.py` fails when notes, topics or members are not registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Document:
    """The text of one searchable object, before analysis (the search app analyses it).

    `head` holds short, strong fields (title, name, tags, place); `body` the longer text. `at` is when it
    was published (freshness; None for timeless things such as members), `popularity` a raw engagement
    count (likes, saves and comments; followers; notes in a topic).
    """

    head: tuple[str, ...]
    body: tuple[str, ...] = ()
    language: str = "und"
    at: datetime | None = None
    popularity: int = 0


@dataclass(frozen=True)
class Searchable:
    """One searchable kind. `code` (1..1000) is stable: it is part of every index row id of the kind."""

    kind: str
    code: int
    label: Any
    documents: Callable[[Sequence[int]], dict[int, Document]]
    all_ids: Callable[[], Iterable[int]]
    visible: Callable[[Any, Sequence[int]], dict[int, Any]]
    cards: Callable[[Any, Sequence[Any]], dict[int, dict[str, Any]]]
    suggest: bool = False  # offered by prefix autocomplete (people, topics)
    timely: bool = False  # results can be filtered by time and language (notes, products)
    models: tuple[str, ...] = ()  # app_label.ModelName of the models whose text this kind indexes
    related: Callable[[Sequence[int]], dict[str, list[int]]] | None = None  # other documents to refresh


TextSource = Callable[[Sequence[int]], dict[int, tuple[tuple[str, ...], tuple[str, ...]]]]

_registry: dict[str, Searchable] = {}
_text_sources: dict[str, list[TextSource]] = {}
_indexer: list[Callable[[str, list[int]], None]] = []


def register(searchable: Searchable) -> None:
    """Register a searchable kind (idempotent by kind; codes must stay unique)."""
    for other in _registry.values():
        if other.code == searchable.code and other.kind != searchable.kind:
            raise ValueError(f"searchable code {searchable.code} is taken by {other.kind!r}")
    if not 1 <= searchable.code <= 1000:
        raise ValueError("searchable codes are 1..1000")
    _registry[searchable.kind] = searchable


def get(kind: str) -> Searchable | None:
    return _registry.get(kind)


def kinds() -> dict[str, Searchable]:
    return dict(_registry)


def covered_models() -> set[str]:
    return {label for s in _registry.values() for label in s.models}


def add_text(kind: str, source: TextSource) -> None:
    """Let a higher app add text to documents of `kind`: `source(pks) -> {pk: (head, body)}`."""
    sources = _text_sources.setdefault(kind, [])
    if source not in sources:
        sources.append(source)


def documents(kind: str, pks: Sequence[int]) -> dict[int, Document]:
    """The documents of `pks` with the text every added source contributes."""
    searchable = _registry[kind]
    docs = searchable.documents(pks)
    for source in _text_sources.get(kind, []):
        for pk, (head, body) in source(list(docs)).items():
            doc = docs.get(pk)
            if doc is not None:
                docs[pk] = Document(
                    head=doc.head + tuple(head),
                    body=doc.body + tuple(body),
                    language=doc.language,
                    at=doc.at,
                    popularity=doc.popularity,
                )
    return docs


def install_indexer(indexer: Callable[[str, list[int]], None]) -> None:
    """The search app's scheduler of re-indexing (called with a kind and pks inside the transaction)."""
    _indexer[:] = [indexer]


def changed(kind: str, pks: Iterable[int]) -> None:
    """Objects of `kind` changed text or indexability: re-index them after commit (no-op without search)."""
    ids = sorted({int(pk) for pk in pks if pk})
    if ids and _indexer:
        _indexer[0](kind, ids)
