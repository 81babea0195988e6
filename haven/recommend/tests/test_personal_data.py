"""Recommend's personal data: export and erasure of events, "not interested" choices and followed topics."""

from __future__ import annotations

import pytest
from django.utils import timezone

from haven.core import personal_data
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.recommend import services
from haven.recommend.models import EventKind, InteractionEvent, NotInterested, TopicFollow

pytestmark = pytest.mark.django_db


def _mine():
    return {r.label: r for r in personal_data.registrations() if r.label.startswith("recommend.")}


def test_the_three_models_are_registered():
    assert set(_mine()) == {"recommend.InteractionEvent", "recommend.NotInterested", "recommend.TopicFollow"}


def test_export_holds_the_members_rows_and_erasure_removes_every_reference(embedded):
    me, other = UserFactory(), UserFactory()
    note = NoteFactory(author=other, title="Ramen")
    InteractionEvent.objects.create(
        user=me, note=note, kind=EventKind.DWELL, value=9000, source="topic", created_at=timezone.now()
    )
    services.not_interested_add(user=me, kind="author", author_id=other.pk)
    services.not_interested_add(user=other, kind="author", author_id=me.pk)  # refers to me
    services.topic_follow(user=me, topic="ramen")
    regs = _mine()
    events = list(regs["recommend.InteractionEvent"].exporter(me))
    assert [(e["note_id"], e["kind"], e["value"], e["source"]) for e in events] == [
        (note.pk, "dwell", 9000, "topic")
    ]
    hidden = list(regs["recommend.NotInterested"].exporter(me))
    assert [(h["kind"], h["author"]) for h in hidden] == [("author", other.username)]
    assert [t["topic"] for t in regs["recommend.TopicFollow"].exporter(me)] == ["ramen"]

    erased = sum(r.eraser(me) for r in regs.values() if r.eraser)
    assert erased >= 4
    assert not InteractionEvent.objects.filter(user=me).exists()
    assert not NotInterested.objects.filter(user=me).exists()
    assert not NotInterested.objects.filter(author=me).exists()
    assert not TopicFollow.objects.filter(user=me).exists()
    assert sum(r.eraser(me) for r in regs.values() if r.eraser) == 0  # idempotent


def test_events_buffered_for_an_erased_member_are_dropped_by_the_flush(event_redis):
    from haven.recommend import events

    me, note = UserFactory(), NoteFactory()
    services.events_record(user_id=me.pk, events=[{"kind": "open", "note_id": note.pk}])
    me.delete()
    assert events.events_flush() == 0
    assert events.buffered_count() == 0
