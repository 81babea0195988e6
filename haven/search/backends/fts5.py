"""SQLite FTS5 backend (embedded profile): `search_fts` (head, body) with rowid = SearchEntry.id, bm25().

Bounded ranking (base.CANDIDATES): bm25() runs over the newest matches only. A first query finds the
id of the CANDIDATES-th newest match in rowid order (FTS5 stops there); the ranked query then reads
only the id range above it.
"""

from __future__ import annotations

from itertools import batched
from typing import Any

from django.db import connection, transaction

from haven.search.analysis import Group, Query
from haven.search.backends import base
from haven.search.backends.base import FRESHNESS_SECONDS, HEAD_WEIGHT, Filters, Hit, Row


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _group(group: Group) -> str:
    star = "*" if group.prefix else ""
    parts = [_quote(t) + star for t in group.terms]
    parts += ["(" + " AND ".join(_quote(t) for t in conj) + ")" for conj in group.conjunctions if conj]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def match_expression(query: Query, *, head_only: bool = False) -> str:
    expression = " AND ".join(_group(g) for g in query.groups)
    return f"head : ({expression})" if head_only else expression


class Fts5Backend:
    vendor = "sqlite"

    def upsert(self, rows: list[Row]) -> None:
        if not rows:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for chunk in batched(rows, 400):
                ids = [r.id for r in chunk]
                marks = ",".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", ids)  # noqa: S608
                cursor.executemany(
                    "INSERT INTO search_fts(rowid, head, body) VALUES (%s, %s, %s)",
                    [(r.id, r.head, r.body) for r in chunk],
                )
                cursor.executemany(
                    "INSERT INTO search_searchentry(id, kind, object_id, language, at, boost, indexed_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, CURRENT_TIMESTAMP) ON CONFLICT(id) DO UPDATE SET "
                    "kind = excluded.kind, object_id = excluded.object_id, language = excluded.language, "
                    "at = excluded.at, boost = excluded.boost, indexed_at = excluded.indexed_at",
                    [(r.id, r.kind, r.object_id, r.language, r.at, r.boost) for r in chunk],
                )

    def delete(self, ids: list[int]) -> None:
        if not ids:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for chunk in batched(ids, 400):
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", list(chunk))  # noqa: S608
                cursor.execute(f"DELETE FROM search_searchentry WHERE id IN ({marks})", list(chunk))  # noqa: S608

    def delete_range(self, low: int, high: int) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid BETWEEN %s AND %s", [low, high])
            cursor.execute("DELETE FROM search_searchentry WHERE id BETWEEN %s AND %s", [low, high])
            return int(cursor.rowcount)

    def text_ids(self, low: int, high: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE rowid BETWEEN %s AND %s ORDER BY rowid", [low, high]
            )
            return [int(r[0]) for r in cursor.fetchall()]

    def search(
        self, query: Query, filters: Filters, *, now: int, after: tuple[float, int] | None, limit: int
    ) -> list[Hit]:
        if query.empty:
            return []
        expression = match_expression(query, head_only=filters.head_only)
        conditions = ""
        extra: list[Any] = []
        if filters.language:
            conditions += " AND e.language = %s"
            extra.append(filters.language)
        if filters.since is not None:
            conditions += " AND e.at >= %s"
            extra.append(filters.since)
        with connection.cursor() as cursor:
            # Stage 1: the id of the CANDIDATES-th newest match that passes the filters (FTS5 walks the
            # doclists in descending rowid order and stops there). None: fewer matches, rank them all.
            join = " JOIN search_searchentry e ON e.id = search_fts.rowid" if extra else ""
            cursor.execute(
                f"SELECT search_fts.rowid FROM search_fts{join} "  # noqa: S608 (fixed fragments only)
                f"WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s{conditions} "
                "ORDER BY search_fts.rowid DESC LIMIT 1 OFFSET %s",
                [expression, filters.low, filters.high, *extra, base.CANDIDATES - 1],
            )
            row = cursor.fetchone()
            low = max(filters.low, int(row[0])) if row else filters.low
            # Stage 2: bm25 x freshness x boost over the candidates only (the same filters over the
            # narrowed id range select exactly them), then the keyset page.
            params: list[Any] = [now, expression, low, filters.high, *extra]
            outer = ""
            if after is not None:
                outer = "WHERE score < %s OR (score = %s AND id < %s)"
                params += [after[0], after[0], after[1]]
            params.append(limit)
            cursor.execute(
                "SELECT id, score FROM ("  # noqa: S608 (only fixed fragments are formatted in)
                f"SELECT e.id AS id, (-bm25(search_fts, {HEAD_WEIGHT}, 1.0)) * "
                "(CASE WHEN e.at IS NULL THEN 1.0 ELSE "
                f"0.5 + 0.5 / (1.0 + MAX(0, %s - e.at) / {FRESHNESS_SECONDS}) END) * e.boost AS score "
                "FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "
                f"WHERE search_fts MATCH %s AND search_fts.rowid BETWEEN %s AND %s{conditions}) {outer} "
                "ORDER BY score DESC, id DESC LIMIT %s",
                params,
            )
            return [Hit(id=int(i), score=float(s)) for i, s in cursor.fetchall()]

    def refresh_statistics(self) -> None:
        """Nothing to refresh: FTS5 ranks from its own structures."""

    def size_bytes(self) -> int | None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat "
                    "WHERE name LIKE 'search_fts%%' OR name = 'search_searchentry'"
                )
                row = cursor.fetchone()
        except Exception:  # dbstat is an optional SQLite module
            return None
        return int(row[0]) if row and row[0] is not None else None
