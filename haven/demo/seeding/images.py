"""Image work of the demo seeding: painted, uploaded and processed in worker processes when possible."""

from __future__ import annotations

import io
import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from typing import Any

from django.db import connection, connections

from haven.accounts import services as accounts
from haven.accounts.models import User
from haven.demo import paint
from haven.media import services as media

# ----------------------------------------------------------------------------------------------
# Image work: run in worker processes when possible (painting and processing dominate the run time)


def _note_images(task: tuple[int, str, int, int, tuple[int, ...]]) -> list[int]:
    """Paint, upload and process one note's images; return their ids in order."""
    owner_id, picture, width, height, seeds = task
    owner = User.objects.get(pk=owner_id)
    ids: list[int] = []
    for seed in seeds:
        data = paint.paint_jpeg(picture, width=width, height=height, seed=seed)
        image = media.image_upload(owner=owner, file=data)
        # Processed right here, so seeding does not wait for a task worker (the queued task is a no-op).
        media.image_process(image_id=image.pk)
        ids.append(image.pk)
    return ids


def _avatar(task: tuple[int, str, int]) -> list[int]:
    user_id, picture, seed = task
    user = User.objects.get(pk=user_id)
    accounts.avatar_set(user=user, file=io.BytesIO(paint.paint_avatar(picture, seed=seed)))
    return []


def _work(task: tuple[str, Any]) -> list[int]:
    kind, payload = task
    return _avatar(payload) if kind == "avatar" else _note_images(payload)


def _worker_init() -> None:
    connections.close_all()  # never share the parent's database connections


def parallel(jobs: int, tasks: list[tuple[str, Any]]) -> Iterator[list[int]]:
    """Results of `_work` for `tasks`, in order; in `jobs` forked processes when that is possible.

    At most a few tasks per worker run ahead of the consumer, so uploads do not pile up unattached
    (media refuses more than MAX_PENDING_UPLOADS per member).
    """
    if jobs <= 1:
        yield from map(_work, tasks)
        return
    connections.close_all()
    queue = iter(tasks)
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
        running = deque(pool.apply_async(_work, (task,)) for task in itertools.islice(queue, 3 * jobs))
        while running:
            result = running.popleft().get()
            task = next(queue, None)
            if task is not None:
                running.append(pool.apply_async(_work, (task,)))
            yield result


def usable_jobs(requested: int) -> int:
    """Worker processes for image work: 1 inside a transaction (tests), in-memory SQLite or without fork."""
    jobs = requested or min(4, os.cpu_count() or 1)
    name = str(connection.settings_dict.get("NAME") or "")
    if (
        jobs <= 1
        or connection.in_atomic_block
        or "fork" not in multiprocessing.get_all_start_methods()
        or (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name))
    ):
        return 1
    return jobs
