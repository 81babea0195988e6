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
`visible(viewer, ids)` returns (one query through the owning app's access rules); it repeats at most
three times when many candidates are hidden, then hands back a cursor to go on.
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


def _read_cursor(cursor: str | None, scope: str) -> tuple[int | None, tuple[float, int] | None]:
    data = decode_cursor(cursor, scope=scope)
    if data is None:
        return None, None
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


def _corrections(query: analysis.Query) -> dict[str, list[str]]:
    words = [g.word for g in query.groups if g.word and not g.prefix]
    return index.corrections(words) if words else {}


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
    fixes = _corrections(query)
    query = analysis.with_corrections(query, fixes)

    batch = min(200, size * 3)
    taken: list[tuple[index.Hit, Any]] = []
    next_after: tuple[float, int] | None = None
    for _round in range(MAX_ROUNDS):
        hits = index.search_hits(kind, query, language=lang, since=floor, now=now, after=after, limit=batch)
        if not hits:
            next_after = None
            break
        shown = searchable.visible(viewer, [index.object_id(h.id) for h in hits])
        for position, hit in enumerate(hits):
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
