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
    """Rows strictly after `values` in `order` (e.g. ["-created_at", "-id"]), as one condition."""
    condition = Q()
    equal_so_far = Q()
    for position, (key, value) in enumerate(zip(order, values, strict=True)):
        name = key.lstrip("-")
        op = "lt" if key.startswith("-") else "gt"
        step = equal_so_far & Q(**{f"{name}__{op}": value})
        condition = step if position == 0 else condition | step
        equal_so_far &= Q(**{name: value})
    return condition


def keyset_page[M: Model](
    queryset: QuerySet[M], *, order: Sequence[str], cursor: str | None, limit: int | None, scope: str
) -> Page[M]:
    """One page of `queryset` in `order` (whose last key must be unique, e.g. "-id").

    The cursor names its `scope` so a cursor of one list is refused by another. Costs one query
    (plus whatever prefetches the queryset carries), whatever the page size.
    """
    size = clamp_page_size(limit)
    data = decode_cursor(cursor)
    if data is not None:
        keys = data.get("k")
        if data.get("s") != scope or not isinstance(keys, list) or len(keys) != len(order):
            raise invalid_cursor()
        queryset = queryset.filter(_after(order, [_decode(v) for v in keys]))
    rows = list(queryset.order_by(*order)[: size + 1])
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor(
            {"s": scope, "k": [_encode(getattr(last, key.lstrip("-"))) for key in order]}
        )
    return Page(items=items, next_cursor=next_cursor)
