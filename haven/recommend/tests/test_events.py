"""Interaction events: validation, consent, the direct write (embedded), the Redis buffer and its flush."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.core.errors import InvalidInput
from haven.core.retention import retention_rules, retention_run
from haven.core.schedule import periodic_jobs
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.recommend import events, services, tasks
from haven.recommend.models import EventKind, InteractionEvent
from haven.recommend.retention import prune_events
from haven.recommend.tests.conftest import refuse_personalisation

pytestmark = pytest.mark.django_db


def rows(user):
    return list(
        InteractionEvent.objects.filter(user=user)
        .order_by("pk")
        .values_list("note_id", "kind", "value", "source", "model_version")
    )


def test_events_are_written_at_once_in_the_embedded_profile(embedded, django_assert_max_num_queries):
    user, note = UserFactory(), NoteFactory()
    batch = [
        {"kind": "impression", "note_id": note.pk, "value": 3, "source": "topic", "model_version": "m1"},
        {"kind": "open", "note_id": note.pk},
        {"kind": "dwell", "note_id": note.pk, "value": 12_000},
        {"kind": "share", "note_id": note.pk},
    ]
    # consent, existing notes, existing members, one INSERT
    with django_assert_max_num_queries(4):
        assert services.events_record(user_id=user.pk, events=batch) == 4
    assert rows(user) == [
        (note.pk, EventKind.IMPRESSION, 3, "topic", "m1"),
        (note.pk, EventKind.OPEN, 0, "", ""),
        (note.pk, EventKind.DWELL, 12_000, "", ""),
        (note.pk, EventKind.SHARE, 0, "", ""),
    ]


def test_dwell_is_capped_at_30_minutes_and_positions_are_bounded(embedded):
    user, note = UserFactory(), NoteFactory()
    services.events_record(
        user_id=user.pk,
        events=[
            {"kind": "dwell", "note_id": note.pk, "value": 10 * 3600 * 1000},
            {"kind": "impression", "note_id": note.pk, "value": 10**9},
        ],
    )
    assert [r[2] for r in rows(user)] == [services.MAX_DWELL_MS, services.MAX_EVENT_VALUE]


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "stare", "note_id": 1},
        {"kind": "open", "note_id": "1"},
        {"kind": "open", "note_id": True},
        {"kind": "open", "note_id": 0},
        {"kind": "open", "note_id": 2**63},
        {"kind": "open", "note_id": 1, "value": -1},
        {"kind": "open", "note_id": 1, "value": 1.5},
        {"kind": "open", "note_id": 1, "source": "x" * 17},
        {"kind": "open", "note_id": 1, "source": "no spaces"},
        {"kind": "open", "note_id": 1, "model_version": "v" * 65},
        "open",
    ],
)
def test_an_invalid_event_refuses_the_call(embedded, event):
    user, note = UserFactory(), NoteFactory()
    with pytest.raises(InvalidInput) as info:
        services.events_record(user_id=user.pk, events=[{"kind": "open", "note_id": note.pk}, event])
    assert info.value.code == "invalid_event"
    assert info.value.details == {"index": 1}
    assert rows(user) == []


def test_at_most_50_events_per_call(embedded):
    user, note = UserFactory(), NoteFactory()
    services.events_record(user_id=user.pk, events=[{"kind": "impression", "note_id": note.pk}] * 50)
    with pytest.raises(InvalidInput) as info:
        services.events_record(user_id=user.pk, events=[{"kind": "impression", "note_id": note.pk}] * 51)
    assert info.value.code == "too_many_events"
    assert len(rows(user)) == 50


def test_events_of_missing_notes_are_dropped(embedded):
    user, note = UserFactory(), NoteFactory()
    accepted = services.events_record(
        user_id=user.pk, events=[{"kind": "open", "note_id": note.pk}, {"kind": "open", "note_id": 999_999}]
    )
    assert accepted == 2  # validated and recorded; the missing note's event is dropped when written
    assert rows(user) == [(note.pk, EventKind.OPEN, 0, "", "")]


def test_consent_refused_records_nothing_but_explicit_choices(embedded):
    user, note = UserFactory(), NoteFactory()
    refuse_personalisation(user)
    batch = [{"kind": k, "note_id": note.pk} for k in ("impression", "open", "dwell", "share")]
    assert services.events_record(user_id=user.pk, events=batch) == 0
    assert (
        services.events_record(
            user_id=user.pk, events=[*batch, {"kind": "not_interested", "note_id": note.pk}]
        )
        == 1
    )
    assert rows(user) == [(note.pk, EventKind.NOT_INTERESTED, 0, "", "")]


def test_scaled_profile_buffers_in_redis_until_the_flush(event_redis, django_assert_max_num_queries):
    user, note, gone = UserFactory(), NoteFactory(), NoteFactory()
    batch = [{"kind": "open", "note_id": note.pk}, {"kind": "dwell", "note_id": gone.pk, "value": 5}]
    with django_assert_max_num_queries(1):  # the consent lookup; the events go to Redis
        assert services.events_record(user_id=user.pk, events=batch) == 2
    assert rows(user) == []
    assert event_redis.llen(events.KEY) == 2
    entry = json.loads(event_redis.lindex(events.KEY, 0))
    assert entry[:6] == [user.pk, note.pk, EventKind.OPEN, 0, "", ""]
    gone.delete()
    assert tasks.recommend_events_flush.call() == 1  # the deleted note's event is dropped (foreign key)
    assert rows(user) == [(note.pk, EventKind.OPEN, 0, "", "")]
    assert events.buffered_count() == 0
    assert tasks.recommend_events_flush.call() == 0  # idempotent: nothing left


def test_flush_writes_in_batches_and_keeps_events_recorded_meanwhile(event_redis, monkeypatch):
    monkeypatch.setattr(events, "FLUSH_BATCH", 7)
    user, note = UserFactory(), NoteFactory()
    for _ in range(3):
        services.events_record(user_id=user.pk, events=[{"kind": "impression", "note_id": note.pk}] * 10)
    original_write = events.write_rows
    calls = []

    def write_and_record_more(batch):
        calls.append(len(batch))
        if len(calls) == 1:  # an event arriving during the flush waits for the next one
            services.events_record(user_id=user.pk, events=[{"kind": "share", "note_id": note.pk}])
        return original_write(batch)

    monkeypatch.setattr(events, "write_rows", write_and_record_more)
    assert events.events_flush() == 30
    assert calls == [7, 7, 7, 7, 2]
    assert event_redis.llen(events.KEY) == 1
    assert events.events_flush() == 1
    assert InteractionEvent.objects.filter(user=user).count() == 31


def test_a_flushing_list_left_by_a_crash_is_picked_up(event_redis):
    user, note = UserFactory(), NoteFactory()
    services.events_record(user_id=user.pk, events=[{"kind": "open", "note_id": note.pk}] * 3)
    event_redis.rename(events.KEY, f"{events.FLUSHING_PREFIX}dead")
    event_redis.rpush(f"{events.FLUSHING_PREFIX}dead", "not json", json.dumps([1, 2]))
    services.events_record(user_id=user.pk, events=[{"kind": "share", "note_id": note.pk}])
    assert events.buffered_count() == 6
    assert events.events_flush() == 4  # the two malformed entries are dropped
    assert events.buffered_count() == 0


def test_one_flush_at_a_time(event_redis):
    user, note = UserFactory(), NoteFactory()
    services.events_record(user_id=user.pk, events=[{"kind": "open", "note_id": note.pk}])
    event_redis.set(events.LOCK_KEY, "someone-else", ex=60)
    assert events.events_flush() == 0
    event_redis.delete(events.LOCK_KEY)
    assert events.events_flush() == 1


def test_the_redis_list_is_capped(event_redis, monkeypatch):
    monkeypatch.setattr(events, "LIST_CAP", 5)
    user, note = UserFactory(), NoteFactory()
    for value in range(8):
        services.events_record(
            user_id=user.pk, events=[{"kind": "impression", "note_id": note.pk, "value": value}]
        )
    assert event_redis.llen(events.KEY) == 5
    events.events_flush()
    assert [r[2] for r in rows(user)] == [3, 4, 5, 6, 7]  # the newest are kept


def test_redis_down_writes_directly(event_redis, settings, monkeypatch):
    monkeypatch.setattr(settings.HAVEN, "redis_url", "redis://127.0.0.1:1/0")
    from haven.core import degrade

    degrade.reset()
    user, note = UserFactory(), NoteFactory()
    try:
        assert services.events_record(user_id=user.pk, events=[{"kind": "open", "note_id": note.pk}]) == 1
    finally:
        degrade.reset()
    assert rows(user) == [(note.pk, EventKind.OPEN, 0, "", "")]


def test_flush_job_is_periodic_every_minute():
    job = next(j for j in periodic_jobs() if j.name == "recommend_events_flush")
    assert job.every == timedelta(seconds=60)
    assert job.task is tasks.recommend_events_flush


def test_events_older_than_the_setting_are_pruned(embedded, settings):
    settings.RECOMMEND_EVENT_DAYS = 90
    assert "recommend_events" in {r.kind for r in retention_rules()}
    user, note = UserFactory(), NoteFactory()
    now = timezone.now()
    old, fresh = (
        InteractionEvent.objects.create(
            user=user, note=note, kind=EventKind.OPEN, created_at=now - timedelta(days=d)
        )
        for d in (91, 89)
    )
    assert retention_run(now=now, kinds=["recommend_events"]) == {"recommend_events": 1}
    assert list(InteractionEvent.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert prune_events(now) == 1
    assert not InteractionEvent.objects.filter(pk=old.pk).exists()
