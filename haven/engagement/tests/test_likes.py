"""Likes on notes: idempotency, visibility, notifications, and counters under concurrency."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from haven.core.errors import NotFound
from haven.engagement import services
from haven.engagement.models import NoteLike
from haven.engagement.selectors import liked_note_ids
from haven.engagement.tests.factories import NoteFactory, UserFactory, block
from haven.notes.models import Note, Visibility
from haven.notifications.models import Notification


def like_notifications(note: Note) -> int:
    return Notification.objects.filter(recipient=note.author, verb="like_note", note_id=note.pk).count()


@pytest.mark.django_db
class TestNoteLike:
    def test_like_is_idempotent_and_notifies_once(self) -> None:
        note, fan = NoteFactory(), UserFactory()
        assert services.note_like(user=fan, note_id=note.pk) is True
        assert services.note_like(user=fan, note_id=note.pk) is False
        note.refresh_from_db()
        assert note.like_count == 1
        assert like_notifications(note) == 1
        assert liked_note_ids(fan, [note.pk, 10**9]) == {note.pk}

    def test_unlike_is_idempotent_and_retracts(self) -> None:
        note, fan = NoteFactory(), UserFactory()
        services.note_like(user=fan, note_id=note.pk)
        assert services.note_unlike(user=fan, note_id=note.pk) is True
        assert services.note_unlike(user=fan, note_id=note.pk) is False
        note.refresh_from_db()
        assert note.like_count == 0
        assert like_notifications(note) == 0

    def test_own_note_counts_without_notification(self) -> None:
        note = NoteFactory()
        services.note_like(user=note.author, note_id=note.pk)
        note.refresh_from_db()
        assert note.like_count == 1 and like_notifications(note) == 0

    def test_hidden_notes_cannot_be_liked(self) -> None:
        fan = UserFactory()
        for note in (NoteFactory(visibility=Visibility.PRIVATE), NoteFactory(draft=True)):
            with pytest.raises(NotFound):
                services.note_like(user=fan, note_id=note.pk)
            with pytest.raises(NotFound):
                services.note_unlike(user=fan, note_id=note.pk)
        with pytest.raises(NotFound):
            services.note_like(user=fan, note_id=10**9)

    def test_a_held_like_can_be_withdrawn_after_a_block(self) -> None:
        note, fan = NoteFactory(), UserFactory()
        services.note_like(user=fan, note_id=note.pk)
        block(note.author, fan)
        assert services.note_unlike(user=fan, note_id=note.pk) is True
        note.refresh_from_db()
        assert note.like_count == 0


def _shared_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def retrying[T](fn: Callable[[], T]) -> T:
    """Call `fn`, retrying only SQLite's in-memory shared-cache "table is locked" refusals.

    The default SQLite test database is in memory with a shared cache, where a concurrent writer is
    refused at once (busy_timeout does not apply) instead of waiting as it does on the file database
    the embedded profile uses (WAL, BEGIN IMMEDIATE) and on PostgreSQL. Each refused attempt rolled
    back whole, so retrying it keeps the test honest; on other databases nothing is retried.
    """
    for _attempt in range(200):
        try:
            return fn()
        except OperationalError as exc:
            if not (_shared_memory_sqlite() and "locked" in str(exc)):
                raise
            time.sleep(random.uniform(0.001, 0.01))
    return fn()


def run_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run `work(i)` in `count` threads started together; each closes its own DB connection."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            work(i)
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_by_different_members_count_exactly() -> None:
    note = NoteFactory()
    fans = [UserFactory() for _ in range(8)]
    errors = run_threads(
        len(fans), lambda i: retrying(lambda: services.note_like(user=fans[i], note_id=note.pk))
    )
    assert errors == []
    note.refresh_from_db()
    assert note.like_count == NoteLike.objects.filter(note=note).count() == 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_like_and_unlike_by_one_member_never_drift() -> None:
    note, fan = NoteFactory(), UserFactory()

    def toggle(i: int) -> None:
        for _ in range(5):
            if i % 2:
                retrying(lambda: services.note_like(user=fan, note_id=note.pk))
            else:
                retrying(lambda: services.note_unlike(user=fan, note_id=note.pk))

    errors = run_threads(8, toggle)
    assert errors == []
    note.refresh_from_db()
    assert note.like_count == NoteLike.objects.filter(note=note).count()
    assert note.like_count in (0, 1)
