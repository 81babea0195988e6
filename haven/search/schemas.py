"""Bounded ninja schemas of the search API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class SearchHitOut(Schema):
    kind: str
    id: int
    score: float
    # The owning app's card: a note {id, title, excerpt, location_name, language, published_at, like_count,
    # cover_url, sensitive, author {username, display_name}}; a member {id, username, display_name,
    # avatar_url, bio, is_private}; a topic {id, name, note_count} (docs/search.md).
    card: dict[str, Any]


class SearchPageOut(Schema):
    kind: str
    items: list[SearchHitOut]
    next_cursor: str | None
    corrections: dict[str, list[str]]
    relaxed: bool = False  # no result matched every word: these are the closest matches


class SuggestionOut(Schema):
    kind: str
    id: int
    label: str
    card: dict[str, Any]


class SuggestOut(Schema):
    items: list[SuggestionOut]


class HistoryEntryOut(Schema):
    id: int
    query: str
    kind: str
    created_at: datetime


class HistoryOut(Schema):
    items: list[HistoryEntryOut]
