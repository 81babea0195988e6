"""Helpers to schedule work after the current transaction commits (tasks, realtime, indexing)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction


def after_commit(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(func, *args, **kwargs), robust=True)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue a django.tasks task once the surrounding transaction has committed."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=False)
