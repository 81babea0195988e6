"""PostgreSQL backend (scaled profile): a `document` tsvector on search_searchentry, GIN index, ts_rank_cd.

Bounded ranking (base.CANDIDATES): ts_rank_cd runs over the newest matches only, so a word in a third
of all notes costs about what a rare word costs. They are found one of three ways, chosen from how
common the query is (PostgreSQL's own statistics of the lexemes, `pg_stats.most_common_elems`):

- common (an estimated WALK_SHARE of all entries or more): the primary key walked backwards, stopping
  after `candidates` matches, forced (the planner takes the groups of a query as independent, and the
  characters of a word the segmenter did not know, 极 and 简 of 极简, are not: it would fetch all
  70,000 matches through the GIN index);
- in between (from ERA_SHARE), where both the walk and the index are slow (a word in 1 % of a million
  notes: 10,000 matches to fetch, or 200,000 rows to walk): the GIN index restricted to the newest
  *eras*. Every document carries one extra lexeme, its era
  (`~e<id >> ERA_BITS>`, a token the analysis never produces), so "the word in the last few eras" is
  an index intersection that touches only about `candidates` rows. When those eras hold fewer matches
  than wanted, the same statement goes on below them the ordinary way, so the result is always exactly
  the newest `candidates` matches;
- otherwise (rare, not among the most common lexemes, no statistics yet, a prefix): the planner's
  choice, the GIN index for a rare query.

The tsvector and the tsquery are written as literals from the analysed tokens (no text search parser,
no dictionary, no dependence on the database locale), so PostgreSQL matches exactly the tokens SQLite
FTS5 matches. Head tokens carry weight A, body tokens weight B.
"""

from __future__ import annotations

import math
import re
import threading
import time
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
#: Entry ids per era: 65,536 (the era lexeme of entry id i is ~e{i >> ERA_BITS}). Migration 0004 writes
#: the same eras; changing this needs a reindex.
ERA_BITS = 16
#: From this estimated share of all entries up to WALK_SHARE, a query takes the era path (see the module
#: docstring). Below it, a query has few enough matches for the plain index.
ERA_SHARE = 0.004
#: From this estimated share up, the primary key is walked whatever the planner thinks: it takes groups
#: as independent, and the characters of a word the segmenter did not know are anything but.
WALK_SHARE = 0.05
#: The era path asks for this many times the matches it needs (the estimate is a sample's).
ERA_MARGIN = 1.5
ERA_MAX = 64  # eras in one query at most
#: Seconds PostgreSQL's lexeme statistics are kept per process.
STATS_SECONDS = 600.0


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def era_lexeme(era: int) -> str:
    """The lexeme of era `era` (entry ids era << ERA_BITS up to the next era)."""
    return f"~e{era}"


def tsvector_literal(head: str, body: str, *, entry: int | None = None) -> str:
    """'tok':1A,4A 'other':2B ... from space-separated tokens (positions capped as PostgreSQL requires),
    with the era lexeme of `entry` (no position: it never takes part in the ranking)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((head, "A"), (body, "B")):
        for token in text.split():
            position = min(position + 1, MAX_POSITION)
            places = positions.setdefault(token, [])
            if len(places) < MAX_POSITIONS_PER_LEXEME:
                places.append(f"{position}{weight}")
    words = " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())
    if entry is None:
        return words
    return f"{words} {_lexeme(era_lexeme(entry >> ERA_BITS))}".lstrip()


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


def estimated_share(query: Query, shares: dict[str, float] | None) -> float | None:
    """The share of all entries that match `query`, from the lexemes' shares (groups taken as
    independent; a lexeme not among the most common counts as 0); None when it cannot be told."""
    if shares is None or any(group.prefix for group in query.groups):
        return None
    found: list[float] = []
    after_character = False
    for group in query.groups:
        either = sum(shares.get(term, 0.0) for term in group.terms)
        either += sum(
            math.prod(shares.get(term, 0.0) for term in conj) for conj in group.conjunctions if conj
        )
        character = _one_character(group)
        if character and after_character:
            # A word the segmenter did not know (极简) comes as its characters, which come together:
            # the run is as common as its rarest character, not the product.
            found[-1] = min(found[-1], either)
        else:
            found.append(min(1.0, either))
        after_character = character
    return math.prod(found)


def _one_character(group: Group) -> bool:
    return not group.conjunctions and len(group.terms) == 1 and bool(_HAN_CHARACTER.fullmatch(group.terms[0]))


_HAN_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_stats_lock = threading.Lock()
_stats: dict[str, tuple[float, dict[str, float] | None]] = {}


def _stats_key() -> str:
    return str(connection.settings_dict.get("NAME"))


def lexeme_shares() -> dict[str, float] | None:
    """{lexeme: share of entries holding it} for PostgreSQL's most common lexemes of the index (its
    statistics, kept by ANALYZE); None before the table has statistics. Kept per process and database
    for STATS_SECONDS."""
    key = _stats_key()
    with _stats_lock:
        kept = _stats.get(key)
    if kept is not None and time.monotonic() - kept[0] < STATS_SECONDS:
        return kept[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'search_searchentry' "
            "AND attname = 'document'"
        )
        row = cursor.fetchone()
    shares = None
    if row and row[0] and row[1]:
        shares = {str(lexeme): float(share) for lexeme, share in zip(row[0], row[1], strict=False)}
    with _stats_lock:
        _stats[key] = (time.monotonic(), shares)
    return shares


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
                            tsvector_literal(r.head, r.body, entry=r.id),
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
        candidates = base.CANDIDATES
        sql: list[str] = []
        args: list[Any] = []

        def add(text: str, *values: Any) -> None:
            sql.append(text)
            args.extend(values)

        plan, eras = ("index", None) if filters.head_only else self._plan(query, filters.low, filters.high)
        # The function form of @@ cannot use the GIN index: the planner walks the primary key.
        match = "ts_match_vq(c.document, %s::tsquery) " if plan == "walk" else "c.document @@ %s::tsquery "

        def newest(condition: str, ids: tuple[int, int] | None, count: str) -> None:
            """Stage 1: the newest `count` entries (highest ids) that match `condition`, in the id range
            `ids` (None: the condition names the eras, which lie inside the kind), and pass the filters;
            nothing is scored here."""
            add("SELECT c.id, c.document, c.at, c.boost FROM search_searchentry c ")
            add(f"WHERE {match}", condition)
            if ids is not None:
                add("AND c.id BETWEEN %s AND %s ", *ids)
            if filters.language:
                add("AND c.language = %s ", filters.language)
            if filters.since is not None:
                add("AND c.at >= %s ", filters.since)
            add(f"ORDER BY c.id DESC LIMIT {count}", candidates)

        if eras:
            # The newest eras first, through the GIN index alone (an id range beside it would make the
            # planner read the primary key too); below them, and only when they hold fewer than
            # `candidates` matches, the rest the ordinary way: exactly the newest `candidates` matches.
            add("WITH recent AS MATERIALIZED (")
            newest(f"({tsquery}) & ({' | '.join(_lexeme(era_lexeme(era)) for era in eras)})", None, "%s")
            add(") ")
        add(
            "SELECT id, score FROM ("  # noqa: S608 (only fixed fragments are formatted in)
            "SELECT e.id AS id, ts_rank_cd(%s::float4[], e.document, q.q, 1)::float8 * "
            "(CASE WHEN e.at IS NULL THEN 1.0 ELSE "
            f"0.5 + 0.5 / (1.0 + GREATEST(0, %s - e.at) / {FRESHNESS_SECONDS}) END) * e.boost AS score "
            "FROM (SELECT %s::tsquery AS q) q, (",
            WEIGHTS,
            now,
            tsquery,
        )
        if not eras:
            # The planner walks the primary key backwards for a common query (stopping after
            # `candidates` matches) and takes the GIN bitmap for a rare one.
            newest(tsquery, (filters.low, filters.high), "%s")
        else:
            add("SELECT * FROM recent UNION ALL (")
            below = (filters.low, (eras[0] << ERA_BITS) - 1)
            newest(tsquery, below, "(%s - (SELECT count(*) FROM recent))")
            add(")")
        # Stage 2: score only those, then the keyset page.
        add(") e) s ")
        if after is not None:
            add("WHERE score < %s OR (score = %s AND id < %s) ", after[0], after[0], after[1])
        add("ORDER BY score DESC, id DESC LIMIT %s", limit)
        with connection.cursor() as cursor:
            cursor.execute("".join(sql), args)
            return [Hit(id=int(i), score=float(s)) for i, s in cursor.fetchall()]

    def _plan(self, query: Query, low: int, high: int) -> tuple[str, range | None]:
        """How to find the newest candidates, from how common the query is (the module docstring):
        ("walk", None), ("eras", the newest eras of the kind to search first, enough to hold about
        ERA_MARGIN times the candidates wanted) or ("index", None): the planner's choice, which is
        the GIN index for a rare query."""
        share = estimated_share(query, lexeme_shares())
        if not share:  # no statistics, a prefix, or a lexeme rarer than any they list
            return "index", None
        if share >= WALK_SHARE:
            return "walk", None
        if share < ERA_SHARE:
            return "index", None
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM search_searchentry WHERE id BETWEEN %s AND %s", [low, high])
            row = cursor.fetchone()
        if not row or row[0] is None:
            return "index", None
        top = int(row[0])
        floor = top - math.ceil(ERA_MARGIN * base.CANDIDATES / share)
        if floor <= low or (top - floor) >> ERA_BITS >= ERA_MAX:
            return "index", None
        return "eras", range(floor >> ERA_BITS, (top >> ERA_BITS) + 2)  # and the next: indexed meanwhile

    def refresh_statistics(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
        with _stats_lock:
            _stats.pop(_stats_key(), None)

    def size_bytes(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            row = cursor.fetchone()
        return int(row[0]) if row else None
