"""The index interface every search backend implements (SQLite FTS5, PostgreSQL; a dedicated engine later)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from haven.search.analysis import Query

#: Seconds in the freshness half-life of the ranking formula (docs/search.md): 30 days.
FRESHNESS_SECONDS = 30 * 86400.0
#: Weight of head fields (titles, names, tags, places) against the body in relevance.
HEAD_WEIGHT = 3.0
#: Bounded ranking: a query scores at most this many matches, the newest ones (highest entry ids, which
#: follow creation order within a kind), after the filters. A query with fewer matches is ranked
#: exactly over all of them; a common one (a word in a third of all notes) costs the same as a rare
#: one. Cursor paging walks these candidates, so a common query lists at most this many results.
CANDIDATES = 2000


@dataclass(frozen=True)
class Row:
    """One document to store: metadata and the analysed text (space-separated tokens)."""

    id: int
    kind: str
    object_id: int
    language: str
    at: int | None
    boost: float
    head: str
    body: str


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


@dataclass(frozen=True)
class Filters:
    """Where to look: an id range (one kind), optionally one language and a time floor (Unix seconds)."""

    low: int
    high: int
    language: str | None = None
    since: int | None = None
    head_only: bool = False


class Backend(Protocol):
    vendor: str

    def upsert(self, rows: list[Row]) -> None:
        """Insert or replace rows (metadata and text) in one transaction."""

    def delete(self, ids: list[int]) -> None:
        """Remove rows by id (missing ids are fine)."""

    def delete_range(self, low: int, high: int) -> int:
        """Remove every row with low <= id <= high; returns how many went."""

    def text_ids(self, low: int, high: int) -> list[int]:
        """Ids that have text in the full-text structure (the drift check compares them with entries)."""

    def search(
        self, query: Query, filters: Filters, *, now: int, after: tuple[float, int] | None, limit: int
    ) -> list[Hit]:
        """Matching ids, best first by relevance x freshness x boost, after the (score, id) of `after`.

        Only the CANDIDATES newest matches (highest ids) that pass the filters are scored: the same
        candidates on every page of a query, so (score, id) paging neither repeats nor skips."""

    def size_bytes(self) -> int | None:
        """Bytes taken by the index, when the backend can tell."""

    def refresh_statistics(self) -> None:
        """After a re-index: refresh what the backend knows of the index's make-up (PostgreSQL: the
        lexeme statistics that choose each query's path)."""
