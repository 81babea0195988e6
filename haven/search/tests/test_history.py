"""Search history as personal data: export, erasure (with the member's documents), retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.core import personal_data
from haven.core.retention import retention_rules
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.search import selectors, services
from haven.search.models import SearchEntry, SearchHistory
from haven.search.tests.helpers import found, index_all

pytestmark = pytest.mark.django_db


def test_history_is_registered_with_an_exporter_and_an_eraser() -> None:
    registration = personal_data.registration_for(SearchHistory)
    assert registration is not None
    assert registration.exporter is not None and registration.eraser is not None
    assert registration.owner_fields == ("user",)


def test_export_holds_only_the_members_searches() -> None:
    member, other = UserFactory(), UserFactory()
    services.history_record(user=member, query="  hot   pot ", kind="note")
    services.history_record(user=member, query="火锅", kind="topic")
    services.history_record(user=other, query="not mine", kind="note")
    registration = personal_data.registration_for(SearchHistory)
    assert registration is not None and registration.exporter is not None
    rows = list(registration.exporter(member))
    assert [(r["query"], r["kind"]) for r in rows] == [("火锅", "topic"), ("hot pot", "note")]
    assert all(set(r) == {"id", "query", "kind", "searched_at"} for r in rows)


def test_erasure_removes_history_and_the_members_documents() -> None:
    member, other = UserFactory(display_name="Erased Person"), UserFactory()
    note = NoteFactory(author=member, title="Forgettable dumplings")
    kept = NoteFactory(author=other, title="Memorable dumplings")
    services.history_record(user=member, query="dumplings", kind="note")
    services.history_record(user=other, query="dumplings", kind="note")
    index_all()
    registration = personal_data.registration_for(SearchHistory)
    assert registration is not None and registration.eraser is not None
    assert registration.eraser(member) == 1
    assert not SearchHistory.objects.filter(user=member).exists()
    assert SearchHistory.objects.filter(user=other).exists()
    assert not SearchEntry.objects.filter(kind="note", object_id=note.pk).exists()
    assert not SearchEntry.objects.filter(kind="member", object_id=member.pk).exists()
    assert found(None, "dumplings") == [kept.pk]
    assert registration.eraser(member) == 0  # idempotent


def test_history_selector_is_private_and_bounded() -> None:
    member = UserFactory()
    services.history_record(user=member, query="bao", kind="note")
    assert [h.query for h in selectors.history(member)] == ["bao"]
    assert selectors.history(None) == []
    assert services.history_record(user=None, query="bao", kind="note") is None
    assert services.history_record(user=member, query="   ", kind="note") is None
    long = services.history_record(user=member, query="x" * 500, kind="note")
    assert long is not None and len(long.query) == 100


def test_retention_prunes_old_searches() -> None:
    member = UserFactory()
    old = services.history_record(user=member, query="last year", kind="note")
    assert old is not None
    SearchHistory.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    services.history_record(user=member, query="today", kind="note")
    rule = next(r for r in retention_rules() if r.kind == "search_history")
    assert rule.prune(timezone.now() - timedelta(days=rule.days)) == 1
    assert [h.query for h in selectors.history(member)] == ["today"]
