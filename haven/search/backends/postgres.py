"""PostgreSQL backend (scaled profile): a `document` tsvector on search_searchentry, GIN index, ts_rank_cd.

Bounded ranking (base.CANDIDATES): ts_rank_cd runs over the newest matches only, found by the primary
key walked backwards (common words) or the GIN index (rare ones), so a word in a third of all notes
costs about what a rare word costs.

The tsvector and the tsquery are written as literals from the analysed tokens (no text search parser,
no dictionary, no dependence on the database locale), so PostgreSQL matches exactly the tokens SQLite
FTS5 matches. Head tokens carry weight A, body tokens weight B.
"""

from __future__ import annotations

from itertools import batched
from typing import Any

from django.db import connection, transaction

from haven.search.analysis import Group, Query
from haven.search.backends import base
from haven.search.backends.base import FRESHNESS_SECONDS, HEAD_WEIGHT, Filters, Hit, Row

#: ts_rank_cd weights {D, C, B, A}: body (B) against head (A) as in FTS5's bm25 column weights.
WEIGHTS = "{0.1, 0.2, %s, 1.0}" % (1.0 / HEAD_WEIGHT)
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 200


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(head: str, body: str) -> str:
    """'tok':1A,4A 'other':2B ... from space-separated tokens (positions capped as PostgreSQL requires)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((head, "A"), (body, "B")):
        for token in text.split():
            position = min(position + 1, MAX_POSITION)
            places = positions.setdefault(token, [])
            if len(places) < MAX_POSITIONS_PER_LEXEME:
                places.append(f"{position}{weight}")
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def _group(group: Group, weight: str) -> str:
    suffix = (":*" if group.prefix else "") + weight
    if suffix and not suffix.startswith(":"):
        suffix = ":" + suffix
    parts = [_lexeme(t) + suffix for t in group.terms]
    parts += [
        "(" + " & ".join(_lexeme(t) + (":" + weight if weight else "") for t in conj) + ")"
        for conj in group.conjunctions
        if conj
    ]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def tsquery_literal(query: Query, *, head_only: bool = False) -> str:
    weight = "A" if head_only else ""
    return " & ".join(_group(g, weight) for g in query.groups)


class PostgresBackend:
    vendor = "postgresql"

    def upsert(self, rows: list[Row]) -> None:
        if not rows:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for chunk in batched(rows, 400):
                cursor.executemany(
                    "INSERT INTO search_searchentry(id, kind, object_id, language, at, boost, indexed_at, "
                    "document) VALUES (%s, %s, %s, %s, %s, %s, now(), %s::tsvector) ON CONFLICT (id) DO "
                    "UPDATE SET kind = EXCLUDED.kind, object_id = EXCLUDED.object_id, language = "
                    "EXCLUDED.language, at = EXCLUDED.at, boost = EXCLUDED.boost, indexed_at = "
                    "EXCLUDED.indexed_at, document = EXCLUDED.document",
                    [
                        (
                            r.id,
                            r.kind,
                            r.object_id,
                            r.language,
                            r.at,
                            r.boost,
                            tsvector_literal(r.head, r.body),
                        )
                        for r in chunk
                    ],
                )

    def delete(self, ids: list[int]) -> None:
        if not ids:
            return
        with connection.cursor() as cursor:
            for chunk in batched(ids, 1000):
                cursor.execute("DELETE FROM search_searchentry WHERE id = ANY(%s)", [list(chunk)])

    def delete_range(self, low: int, high: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchentry WHERE id BETWEEN %s AND %s", [low, high])
            return int(cursor.rowcount)

    def text_ids(self, low: int, high: int) -> list[int]:
        # The text lives in the entry row itself: every entry has it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE id BETWEEN %s AND %s ORDER BY id", [low, high]
            )
            return [int(r[0]) for r in cursor.fetchall()]

    def search(
        self, query: Query, filters: Filters, *, now: int, after: tuple[float, int] | None, limit: int
    ) -> list[Hit]:
        if query.empty:
            return []
        tsquery = tsquery_literal(query, head_only=filters.head_only)
        # Stage 1: the newest candidates (highest ids) that match and pass the filters. For a common
        # word the planner walks the primary key backwards and stops after `candidates` matches; for a
        # rare one it takes the GIN bitmap and sorts the few matches. Nothing is scored here.
        where = ["c.document @@ %s::tsquery", "c.id BETWEEN %s AND %s"]
        params: list[Any] = [WEIGHTS, now, tsquery, tsquery, filters.low, filters.high]
        if filters.language:
            where.append("c.language = %s")
            params.append(filters.language)
        if filters.since is not None:
            where.append("c.at >= %s")
            params.append(filters.since)
        params.append(base.CANDIDATES)
        # Stage 2: score only those, then the keyset page.
        outer = ""
        if after is not None:
            outer = "WHERE score < %s OR (score = %s AND id < %s)"
            params += [after[0], after[0], after[1]]
        params.append(limit)
        sql = (
            "SELECT id, score FROM ("  # noqa: S608 (only fixed fragments are formatted in)
            "SELECT e.id AS id, ts_rank_cd(%s::float4[], e.document, q.q, 1)::float8 * "
            "(CASE WHEN e.at IS NULL THEN 1.0 ELSE "
            f"0.5 + 0.5 / (1.0 + GREATEST(0, %s - e.at) / {FRESHNESS_SECONDS}) END) * e.boost AS score "
            "FROM (SELECT %s::tsquery AS q) q, ("
            "SELECT c.id, c.document, c.at, c.boost FROM search_searchentry c "
            f"WHERE {' AND '.join(where)} ORDER BY c.id DESC LIMIT %s) e"
            f") s {outer} ORDER BY score DESC, id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Hit(id=int(i), score=float(s)) for i, s in cursor.fetchall()]

    def size_bytes(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            row = cursor.fetchone()
        return int(row[0]) if row else None
