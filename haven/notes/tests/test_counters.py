"""Note counters buffered in Redis (HAVEN_COUNTER_BUFFER) and flushed in batches: exact totals, no loss."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

from haven.notes import counters, services
from haven.notes.models import Note
from haven.notes.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def buffered(settings: Any, monkeypatch: pytest.MonkeyPatch, worker_id: str) -> Iterator[redis.Redis]:
    """Counter buffering on, against a private Redis database flushed around the test."""
    configured = os.environ.get("HAVEN_REDIS_URL", "")
    host = (urlsplit(configured).hostname if configured else None) or "127.0.0.1"
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    url = f"redis://{host}:6379/{(13, 14)[index % 2]}"
    client = redis.Redis.from_url(url, decode_responses=True)
    try:
        client.ping()
    except redis.ConnectionError:
        if configured:
            raise
        pytest.skip("no Redis server on 127.0.0.1:6379 (counter buffering needs one)")
    client.flushdb()
    monkeypatch.setattr(settings.HAVEN, "redis_url", url)
    monkeypatch.setattr(settings.HAVEN, "counter_buffer", True)
    yield client
    client.flushdb()
    client.close()


def counts(note: Note) -> tuple[int, int, int]:
    note.refresh_from_db()
    return note.like_count, note.save_count, note.comment_count


def test_buffering_is_off_by_default(settings):
    assert settings.HAVEN.counter_buffer is False
    note = NoteFactory()
    services.note_counter_add(note_id=note.pk, field="like_count", delta=2)
    assert counts(note) == (2, 0, 0)


def test_buffered_counters_wait_for_the_flush(buffered, django_capture_on_commit_callbacks):
    note = NoteFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.note_counter_add(note_id=note.pk, field="like_count", delta=3)
        services.note_counter_add(note_id=note.pk, field="save_count", delta=1)
        services.note_counter_add(note_id=note.pk, field="like_count", delta=-1)
    assert counts(note) == (0, 0, 0)
    assert buffered.hget("hv:counters:like_count", str(note.pk)) == "2"
    assert counters.counters_flush() == 2
    assert counts(note) == (2, 1, 0)
    assert counters.counters_flush() == 0  # nothing left, nothing applied twice
    assert counts(note) == (2, 1, 0)


def test_a_flush_never_takes_a_counter_below_zero(buffered):
    note = NoteFactory(like_count=1)
    counters.counter_buffer_add(note_id=note.pk, field="like_count", delta=-5)
    counters.counters_flush()
    assert counts(note) == (0, 0, 0)


def test_unknown_field_is_refused(buffered):
    with pytest.raises(ValueError):
        counters.counter_buffer_add(note_id=1, field="view_count", delta=1)


def test_concurrent_increments_racing_flushes_are_all_applied(buffered):
    notes = [NoteFactory() for _ in range(5)]
    per_thread, threads = 200, 4

    def bump(seed: int) -> None:  # the process-wide client: one pool shared by the threads
        for i in range(per_thread):
            counters.counter_buffer_add(note_id=notes[(seed + i) % 5].pk, field="like_count", delta=1)

    workers = [threading.Thread(target=bump, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    flushes = 0
    while any(w.is_alive() for w in workers) or flushes == 0:
        counters.counters_flush()  # races with the increments, in the test's own DB connection
        flushes += 1
    for worker in workers:
        worker.join()
    counters.counters_flush()
    total = sum(counts(n)[0] for n in notes)
    assert total == per_thread * threads
    assert all(counts(n)[0] == per_thread * threads // 5 for n in notes)


def test_a_flush_left_half_done_is_picked_up_again(buffered):
    note = NoteFactory()
    buffered.hset("hv:counters:save_count:flushing:crashed", str(note.pk), "4")
    counters.counter_buffer_add(note_id=note.pk, field="save_count", delta=1)
    assert counters.counters_flush() == 2
    assert counts(note) == (0, 5, 0)
    assert buffered.keys("hv:counters:*") == []
