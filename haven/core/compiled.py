"""Querysets compiled to SQL once per thread and run again with new integer values (hot read paths).

Building a queryset with subqueries (notes.access.visible_notes: blocks, follows, mutes) and compiling it
costs Django several milliseconds per request, many times what the database then spends on it. A hot
path that runs the same queryset shape over and over with different ids (a Discover page's notes, the
page's covers, which of them the viewer liked) declares it once:

    PAGE = CompiledQuery("feeds.page", lambda viewer, ids: feed_notes(viewer).filter(id__in=ids).values(...),
                         scalars=("viewer",), lists=("ids",))
    rows = PAGE.rows(viewer=viewer_id, ids=page_ids)

The builder is called once per thread and list length with unique sentinel integers in place of the
values; the compiled SQL is kept with the positions where each sentinel landed among its parameters, and
each later call substitutes the real values and runs it through the same connection and row converters
Django would use. The rule the queryset expresses stays where it is written (the builder calls the app's
access.py as before); only the compiling is not repeated.

Rules for a builder: its arguments are integers (`scalars`) and lists of integers (`lists`); the shape of
what it builds must not depend on their values (same joins and conditions for any viewer id); it returns
a values() or values_list() queryset. A sentinel that does not appear among the compiled parameters (a
value the builder branched on, or inlined into the SQL) is a programming error, raised at compile time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

#: Sentinels count up from here: negative (ids are positive) yet inside a 32-bit integer column's range,
#: where Django keeps a lookup as a parameter (out of range, it drops the condition).
_SENTINEL_BASE = -2_000_000_000
MAX_SHAPES = 64  # compiled list lengths kept per query and thread; longer-tail shapes run uncompiled
MAX_LIST = 1024  # longer lists run through the ORM (no compiled shape per length beyond this)


@dataclass
class _Compiled:
    sql: str
    slots: list[tuple[int, str, int]]  # (parameter position, argument name, index in a list or -1)
    params: list[Any]
    compiler: SQLCompiler
    alias: str
    kind: str  # "dicts", "tuples" or "flat"
    names: list[str]


def _bucket(length: int) -> int:
    size = 8
    while size < length:
        size *= 2
    return size


class ViewerRef:
    """A signed-in viewer known only by id: what access.py rules read of a viewer (pk, is_authenticated)."""

    is_authenticated = True

    def __init__(self, pk: int) -> None:
        self.pk = pk


class CompiledQuery:
    """A values()/values_list() queryset compiled once per thread and list length (module docstring)."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet[Any, Any]],
        *,
        scalars: Sequence[str] = (),
        lists: Sequence[str] = (),
        pad_lists: bool = False,
    ) -> None:
        self.name = name
        self.build = build
        self.scalars = tuple(scalars)
        self.lists = tuple(lists)
        # Lists used only as IN (...) sets may be padded with their last value to the next power of two,
        # so that lists of any length share a few compiled shapes (a repeated value changes no IN set).
        self.pad_lists = pad_lists
        self._local = threading.local()

    def _sentinels(self, shape: tuple[int, ...]) -> tuple[dict[str, Any], dict[int, tuple[str, int]]]:
        args: dict[str, Any] = {}
        where: dict[int, tuple[str, int]] = {}
        value = _SENTINEL_BASE
        for name in self.scalars:
            args[name] = value
            where[value] = (name, -1)
            value += 1
        for name, length in zip(self.lists, shape, strict=True):
            items = []
            for index in range(length):
                items.append(value)
                where[value] = (name, index)
                value += 1
            args[name] = items
        return args, where

    def _compile(self, shape: tuple[int, ...]) -> _Compiled:
        args, where = self._sentinels(shape)
        queryset = self.build(**args)
        query = queryset.query
        compiler = query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots: list[tuple[int, str, int]] = []
        found: set[int] = set()
        for position, param in enumerate(params):
            if type(param) is int and param in where:
                name, index = where[param]
                slots.append((position, name, index))
                found.add(param)
        missing = set(where) - found
        if missing:
            raise RuntimeError(
                f"compiled query {self.name}: {len(missing)} argument value(s) not among the SQL parameters; "
                "its builder must use every value as a query parameter, whatever the value"
            )
        iterable = queryset._iterable_class  # type: ignore[attr-defined]
        if iterable is ValuesIterable:
            kind = "dicts"
        elif iterable is FlatValuesListIterable:
            kind = "flat"
        elif iterable is ValuesListIterable:
            kind = "tuples"
        else:
            raise RuntimeError(f"compiled query {self.name}: the builder must return values()/values_list()")
        # The row keys as ValuesIterable names them.
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        return _Compiled(
            sql=sql,
            slots=slots,
            params=list(params),
            compiler=compiler,
            alias=queryset.db,
            kind=kind,
            names=names,
        )

    def _entry(self, shape: tuple[int, ...]) -> _Compiled | None:
        cache: dict[tuple[int, ...], _Compiled] | None = getattr(self._local, "compiled", None)
        if cache is None:
            cache = self._local.compiled = {}
        entry = cache.get(shape)
        if entry is None:
            if len(cache) >= MAX_SHAPES:
                return None
            entry = cache[shape] = self._compile(shape)
        return entry

    def rows(self, **values: Any) -> list[Any]:
        """The rows for these values: dicts for values(), tuples for values_list(), plain values for
        values_list(flat=True); the same as running the builder's queryset with them."""
        by_name = {name: list(values[name]) for name in self.lists}
        if self.pad_lists:
            for items in by_name.values():
                if items:
                    items.extend([items[-1]] * (_bucket(len(items)) - len(items)))
        shape = tuple(len(items) for items in by_name.values())
        usual = min(shape, default=1) > 0 and max(shape, default=0) <= MAX_LIST
        entry = self._entry(shape) if usual else None
        if entry is None:  # an empty list (Django may answer without a query) or an unusual length
            return list(self.build(**{**values, **by_name}))
        params = list(entry.params)
        for position, name, index in entry.slots:
            params[position] = int(values[name]) if index < 0 else int(by_name[name][index])
        with connections[entry.alias].cursor() as cursor:
            cursor.execute(entry.sql, params)
            fetched = cursor.fetchall()
        converted: Iterator[Any] = iter(entry.compiler.results_iter(results=[fetched]))
        if entry.kind == "flat":
            return [row[0] for row in converted]
        if entry.kind == "tuples":
            return [tuple(row) for row in converted]
        names = entry.names
        return [dict(zip(names, row, strict=False)) for row in converted]
