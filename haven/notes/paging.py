"""Keyset pagination of ordered querysets behind opaque signed cursors (core.pagination underneath)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet

from haven.core.pagination import Page, clamp_page_size, decode_cursor, encode_cursor, invalid_cursor


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        raw = value.get("dt")
        if not isinstance(raw, str) or len(raw) > 40:
            raise invalid_cursor()
        try:
            return datetime.fromisoformat(raw)
        except ValueError as exc:
            raise invalid_cursor() from exc
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise invalid_cursor()


def _after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in `order` (e.g. ["-created_at", "-id"]), as one condition.

    Written as `k1 <= v1 AND NOT (k1 = v1 AND NOT <after the rest>)` rather than an OR of cases, so
    the database can range-scan an index on the first key (the feeds' (published_at, id) indexes).
    """
    key, value = order[0], values[0]
    name = key.lstrip("-")
    descending = key.startswith("-")
    if len(order) == 1:
        return Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    rest = _after(order[1:], values[1:])
    return Q(**{f"{name}__{'lte' if descending else 'gte'}": value}) & ~(Q(**{name: value}) & ~rest)


def cursor_values(cursor: str | None, *, order: Sequence[str], scope: str) -> list[Any] | None:
    """The key values a cursor of list `scope` carries (None for the first page); invalid_cursor for
    a cursor that is malformed, tampered with, or from another list."""
    data = decode_cursor(cursor)
    if data is None:
        return None
    keys = data.get("k")
    if data.get("s") != scope or not isinstance(keys, list) or len(keys) != len(order):
        raise invalid_cursor()
    return [_decode(v) for v in keys]


def make_cursor(*, scope: str, values: Sequence[Any]) -> str:
    """The cursor that resumes list `scope` after a row whose keys are `values` (in the list's order)."""
    return encode_cursor({"s": scope, "k": [_encode(v) for v in values]})


def _key(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)


def keyset_page[M: Model, R](
    queryset: QuerySet[M, R], *, order: Sequence[str], cursor: str | None, limit: int | None, scope: str
) -> Page[R]:
    """One page of `queryset` in `order` (whose last key must be unique, e.g. "-id").

    Model instances or values() rows (dicts that carry the order's keys) alike.

    The one keyset pagination of Haven (feeds, drafts, comments, collections; the Redis Following
    path resumes from the same cursors through `cursor_values` / `make_cursor`). The cursor names its
    `scope` so a cursor of one list is refused by another. Costs one query (plus whatever prefetches
    the queryset carries), whatever the page size.
    """
    size = clamp_page_size(limit)
    values = cursor_values(cursor, order=order, scope=scope)
    if values is not None:
        queryset = queryset.filter(_after(order, values))
    rows = list(queryset.order_by(*order)[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = make_cursor(scope=scope, values=[_key(last, key.lstrip("-")) for key in order])
    return Page(items=items, next_cursor=next_cursor)
