"""Declared lifecycle graphs with compare-and-set transitions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from haven.core.errors import Conflict


class StateGraph:
    """Allowed transitions of one lifecycle, e.g. uploaded -> processing -> ready | failed."""

    def __init__(self, name: str, transitions: Mapping[str, Iterable[str]]) -> None:
        self.name = name
        self.transitions = {k: frozenset(v) for k, v in transitions.items()}

    def can(self, src: str, dst: str) -> bool:
        return dst in self.transitions.get(src, frozenset())

    def check(self, src: str, dst: str) -> None:
        if not self.can(src, dst):
            raise Conflict(f"{self.name}: cannot go from {src} to {dst}", code="invalid_transition")

    def transition(
        self, queryset: models.QuerySet[Any], *, pk: Any, field: str, src: str, dst: str, **updates: Any
    ) -> bool:
        """Compare-and-set: move row `pk` from `src` to `dst`. Returns False when another writer won."""
        self.check(src, dst)
        return bool(queryset.filter(pk=pk, **{field: src}).update(**{field: dst}, **updates))
