"""Reads of search: results, autocomplete and a member's history, always filtered by visibility now.

Stable interface (the HTML UI and the API call these; docs/search.md):

- `search(viewer, q, *, kind="note", language=None, since=None, cursor=None, limit=20) -> SearchPage`
  `kind`: "note" | "member" | "topic" | "product" (an unregistered known kind gives an empty page);
  `language`: a language code ("zh", "zh-Hans", "en"; notes and products only); `since`: "day" |
  "week" | "month" | "year"; `cursor`: `next_cursor` of the previous page; `limit`: 1..50.
  Items are `SearchHit(kind, id, score, card, object)`: `card` is the owning app's small dict,
  `object` the loaded model instance (a note comes with its author and cover, ready for feeds cards).
- `suggest(viewer, prefix, *, limit=8) -> list[Suggestion]`: people and topics whose names (or their
  pinyin) start with `prefix`; `limit`: 1..20.
- `history(user, *, limit=50) -> list[SearchHistory]`: the member's recent searches, newest first.

Errors (haven.core.errors.InvalidInput, HTTP 400): `query_empty`, `query_too_long` (over 100
characters), `invalid_kind`, `invalid_language`, `invalid_since`, `invalid_page_size`, `invalid_cursor`.

Every page asks the index for candidates (a few times the page size), then keeps those the kind's
`visible(viewer, ids)` returns (one query through the owning app's access rules), asked for as many
candidates as the page still needs at a time (so a page of 20 loads 20 objects when none is hidden);
it asks the index again at most three times when many candidates are hidden, then hands back a cursor
to go on.

Typo corrections join a Latin word only when the word is unknown: neither it nor its stem is in the
vocabulary and it matches no document of the kind (index.corrections), so they never outrank real
matches. When the query as written matches no visible note (or product), the page lists the closest
matches instead and says so (`SearchPage.relaxed`, `relaxed_notice()`): the query with bilingual
synonyms (haven/search/synonyms.txt), then documents matching all groups but one, then any group, in
that order (at most RELAX_MAX, paged by a cursor that says it is in that mode).
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from haven.core import searchables
from haven.core.errors import InvalidInput
from haven.core.pagination import clamp_page_size, decode_cursor, encode_cursor, invalid_cursor
from haven.core.text import base_language
from haven.search import analysis, index
from haven.search.models import QUERY_MAX, SearchHistory

KINDS = ("note", "member", "topic", "product")
SINCE = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
SUGGEST_MAX = 20
MAX_ROUNDS = 3
VISIBLE_CHUNK_MIN = 8  # candidates checked for visibility at least at a time
RELAX_POOL = 100  # candidates per fallback query when nothing matched the query as written
RELAX_MAX = 200  # closest matches listed at most (every page of them)
RELAX_KINDS = ("note", "product")  # where closest matches are listed (names and topics are lookups)
RELAX_DROP_MAX = 6  # "all groups but one" is tried for queries of up to this many groups
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}$")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    score: float
    card: dict[str, Any]
    object: Any


@dataclass
class SearchPage:
    items: list[SearchHit]
    next_cursor: str | None
    kind: str
    corrections: dict[str, list[str]]  # misspelt word -> the vocabulary words also searched
    # True when nothing matched the query as written and the page holds the closest matches instead
    # (synonyms, documents matching all but one word, then any word): `RELAXED_NOTICE` says so.
    relaxed: bool = False


@dataclass(frozen=True)
class Suggestion:
    kind: str
    id: int
    label: str
    score: float
    card: dict[str, Any]


def clean_query(q: str | None) -> str:
    """The query with its whitespace collapsed; `query_empty` / `query_too_long` when it is unusable."""
    text = " ".join((q or "").split())
    if not text:
        raise InvalidInput(_("Type something to search for."), code="query_empty")
    if len(text) > QUERY_MAX:
        raise InvalidInput(
            _("A search can be at most %(max)d characters long.") % {"max": QUERY_MAX}, code="query_too_long"
        )
    return text


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(_("Choose notes, people, topics or products."), code="invalid_kind")
    return kind


def _check_language(language: str | None) -> str | None:
    if not language:
        return None
    if not _LANGUAGE_RE.match(language):
        raise InvalidInput(_("Unknown language."), code="invalid_language")
    return base_language(language)


def _check_since(since: str | None, now: int) -> int | None:
    if not since:
        return None
    if since not in SINCE:
        raise InvalidInput(_("Choose a day, a week, a month or a year."), code="invalid_since")
    return now - int(SINCE[since].total_seconds())


def _scope(kind: str, text: str, language: str | None, since: str | None) -> str:
    digest = hashlib.sha256(f"{kind}\n{text}\n{language}\n{since}".encode()).hexdigest()[:16]
    return f"search:{digest}"


def relaxed_notice() -> str:
    """What a page of closest matches tells the searcher (SearchPage.relaxed)."""
    return _("Nothing matched every word. Showing partial matches.")


def _read_cursor(cursor: str | None, scope: str) -> tuple[int | None, Any]:
    """(now, position): position is (score, id) in the exact results, or (tier, score, id) among the
    closest matches (a cursor with "m": "r")."""
    data = decode_cursor(cursor, scope=scope)
    if data is None:
        return None, None
    if data.get("m") == "r":
        now = data.get("n")
        if not isinstance(now, int) or isinstance(now, bool):
            raise invalid_cursor()
        return now, ("r", _read_relaxed(data))
    if "m" in data:
        raise invalid_cursor()
    now, score, entry = data.get("n"), data.get("s"), data.get("i")
    if (
        not isinstance(now, int)
        or not isinstance(score, int | float)
        or isinstance(score, bool)
        or not isinstance(entry, int)
        or not math.isfinite(score)
    ):
        raise invalid_cursor()
    return now, (float(score), entry)


def _corrections(query: analysis.Query, kind: str) -> dict[str, list[str]]:
    words = [g.word for g in query.groups if g.word and not g.prefix]
    return index.corrections(words, kind=kind) if words else {}


def _read_relaxed(data: dict[str, Any]) -> tuple[int, float, int]:
    tier, score, entry = data.get("t"), data.get("s"), data.get("i")
    if (
        not isinstance(tier, int)
        or isinstance(tier, bool)
        or not isinstance(score, int | float)
        or isinstance(score, bool)
        or not math.isfinite(score)
        or not isinstance(entry, int)
        or isinstance(entry, bool)
    ):
        raise invalid_cursor()
    return tier, float(score), entry


def _relaxed_queries(query: analysis.Query) -> list[tuple[int, analysis.Query]]:
    """The fallbacks of a query that matched nothing, as (tier, query), best tier first: every group
    with its synonyms (3), all groups but one (2, for 3..RELAX_DROP_MAX groups), any group (1)."""
    wide = analysis.with_synonyms(query)
    groups = wide.groups
    tiers: list[tuple[int, analysis.Query]] = []
    if wide != query:
        tiers.append((3, wide))
    if 3 <= len(groups) <= RELAX_DROP_MAX:
        for skip in range(len(groups)):
            tiers.append((2, analysis.Query(groups=groups[:skip] + groups[skip + 1 :])))
    if len(groups) >= 2:
        tiers.append((1, analysis.Query(groups=[analysis.any_group(groups)])))
    return tiers


def _relaxed_page(
    viewer: Any,
    searchable: Any,
    kind: str,
    query: analysis.Query,
    *,
    language: str | None,
    since: int | None,
    now: int,
    after: tuple[int, float, int] | None,
    size: int,
) -> tuple[list[tuple[int, index.Hit, Any]], tuple[int, float, int] | None]:
    """One page of the closest matches of a query that matched nothing: at most RELAX_POOL candidates
    per fallback query, the best tier of each document kept, visible ones only, ordered by (tier, score,
    id) descending and paged by that key (the list is rebuilt for every page; at most RELAX_MAX)."""
    best: dict[int, tuple[int, float]] = {}
    for tier, fallback in _relaxed_queries(query):
        for hit in index.search_hits(
            kind, fallback, language=language, since=since, now=now, limit=RELAX_POOL
        ):
            if hit.id not in best or best[hit.id][0] < tier:
                best[hit.id] = (tier, hit.score)
    keys = sorted(((tier, score, entry) for entry, (tier, score) in best.items()), reverse=True)[:RELAX_MAX]
    shown = searchable.visible(viewer, [index.object_id(entry) for _t, _s, entry in keys]) if keys else {}
    ordered = [k for k in keys if index.object_id(k[2]) in shown and (after is None or k < after)]
    page = ordered[:size]
    taken = [
        (tier, index.Hit(id=entry, score=score), shown[index.object_id(entry)]) for tier, score, entry in page
    ]
    return taken, (page[-1] if len(ordered) > size else None)


def search(
    viewer: Any,
    q: str | None,
    *,
    kind: str = "note",
    language: str | None = None,
    since: str | None = None,
    cursor: str | None = None,
    limit: int | None = 20,
) -> SearchPage:
    """One page of `kind` matching `q` that `viewer` may see, best first (see the module docstring)."""
    text = clean_query(q)
    kind = _check_kind(kind)
    size = clamp_page_size(limit)
    lang = _check_language(language)
    scope = _scope(kind, text, lang, since)
    cursor_now, after = _read_cursor(cursor, scope)
    now = cursor_now or int(time.time())
    floor = _check_since(since, now)
    searchable = searchables.get(kind)
    if searchable is None:  # products before commerce exists
        return SearchPage(items=[], next_cursor=None, kind=kind, corrections={})
    if not searchable.timely:
        lang, floor = None, None
    query = analysis.parse_query(text)
    if query.empty:
        return SearchPage(items=[], next_cursor=None, kind=kind, corrections={})
    fixes = _corrections(query, kind)
    query = analysis.with_corrections(query, fixes)
    if isinstance(after, tuple) and after and after[0] == "r":
        return _relaxed(viewer, searchable, kind, query, lang, floor, now, after[1], size, scope, fixes)

    batch = min(200, size * 3)
    taken: list[tuple[index.Hit, Any]] = []
    next_after: tuple[float, int] | None = None
    for _round in range(MAX_ROUNDS):
        hits = index.search_hits(kind, query, language=lang, since=floor, now=now, after=after, limit=batch)
        if not hits:
            next_after = None
            break
        shown: dict[int, Any] = {}
        checked = 0
        for position, hit in enumerate(hits):
            if position == checked:
                # Visibility (and the objects) only for as many candidates as the page still needs:
                # the rest are loaded only when some of these are hidden.
                chunk = hits[checked : checked + max(size - len(taken), VISIBLE_CHUNK_MIN)]
                shown.update(searchable.visible(viewer, [index.object_id(h.id) for h in chunk]))
                checked += len(chunk)
            obj = shown.get(index.object_id(hit.id))
            if obj is not None:
                taken.append((hit, obj))
            if len(taken) == size:
                more = position < len(hits) - 1 or len(hits) == batch
                next_after = (hit.score, hit.id) if more else None
                break
        else:
            after = (hits[-1].score, hits[-1].id)
            next_after = after if len(hits) == batch else None
            if next_after is None:
                break
            continue
        break
    if not taken and after is None and next_after is None and kind in RELAX_KINDS:
        # Nothing matched as written: the closest matches instead.
        return _relaxed(viewer, searchable, kind, query, lang, floor, now, None, size, scope, fixes)
    cards = searchable.cards(viewer, [obj for _hit, obj in taken])
    items = [
        SearchHit(
            kind=kind,
            id=index.object_id(h.id),
            score=h.score,
            card=cards.get(index.object_id(h.id), {}),
            object=o,
        )
        for h, o in taken
    ]
    next_cursor = (
        encode_cursor({"n": now, "s": next_after[0], "i": next_after[1]}, scope=scope) if next_after else None
    )
    return SearchPage(items=items, next_cursor=next_cursor, kind=kind, corrections=fixes)


def _relaxed(
    viewer: Any,
    searchable: Any,
    kind: str,
    query: analysis.Query,
    language: str | None,
    since: int | None,
    now: int,
    after: tuple[int, float, int] | None,
    size: int,
    scope: str,
    fixes: dict[str, list[str]],
) -> SearchPage:
    taken, last = _relaxed_page(
        viewer, searchable, kind, query, language=language, since=since, now=now, after=after, size=size
    )
    cards = searchable.cards(viewer, [obj for _tier, _hit, obj in taken])
    items = [
        SearchHit(
            kind=kind,
            id=index.object_id(h.id),
            score=h.score,
            card=cards.get(index.object_id(h.id), {}),
            object=o,
        )
        for _tier, h, o in taken
    ]
    next_cursor = (
        encode_cursor({"n": now, "m": "r", "t": last[0], "s": last[1], "i": last[2]}, scope=scope)
        if last
        else None
    )
    return SearchPage(
        items=items,
        next_cursor=next_cursor,
        kind=kind,
        corrections=fixes,
        relaxed=bool(items) or after is not None,
    )


def suggest(viewer: Any, prefix: str | None, *, limit: int = 8) -> list[Suggestion]:
    """People and topics whose names (or pinyin) start with `prefix`, that `viewer` may see, best first."""
    text = clean_query(prefix)
    if not 1 <= limit <= SUGGEST_MAX:
        raise InvalidInput(
            _("The page size must be between 1 and %(max)d.") % {"max": SUGGEST_MAX}, code="invalid_page_size"
        )
    query = analysis.parse_query(text, prefix=True)
    if query.empty:
        return []
    found: list[Suggestion] = []
    for kind, searchable in sorted(searchables.kinds().items()):
        if not searchable.suggest:
            continue
        hits = index.search_hits(kind, query, limit=limit * 3, head_only=True)
        if not hits:
            continue
        shown = searchable.visible(viewer, [index.object_id(h.id) for h in hits])
        kept = [(h, shown[index.object_id(h.id)]) for h in hits if index.object_id(h.id) in shown][:limit]
        cards = searchable.cards(viewer, [obj for _h, obj in kept])
        for hit, _obj in kept:
            card = cards.get(index.object_id(hit.id), {})
            label = card.get("display_name") or card.get("username") or card.get("name") or ""
            found.append(
                Suggestion(
                    kind=kind, id=index.object_id(hit.id), label=str(label), score=hit.score, card=card
                )
            )
    found.sort(key=lambda s: (-s.score, s.kind, s.id))
    return found[:limit]


def history(user: Any, *, limit: int = 50) -> list[SearchHistory]:
    """The member's recent searches, newest first (empty for anonymous viewers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        SearchHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[: max(1, min(limit, 50))]
    )
