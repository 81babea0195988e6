"""The one keyset pagination: every row exactly once, in order, whatever the ties and page sizes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from haven.core.errors import InvalidInput
from haven.notes.models import Note
from haven.notes.paging import keyset_page
from haven.notes.tests.factories import NoteFactory

ORDER = ["-published_at", "-id"]
BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _walk(limit: int, scope: str = "test") -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        page = keyset_page(Note.objects.all(), order=ORDER, cursor=cursor, limit=limit, scope=scope)
        seen.extend(n.pk for n in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return seen


class TestKeysetPage(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(minutes=st.lists(st.integers(0, 3), min_size=0, max_size=14), limit=st.integers(1, 5))
    def test_every_row_once_in_order_with_ties(self, minutes: list[int], limit: int) -> None:
        Note.objects.all().delete()
        for m in minutes:  # few distinct timestamps: many ties broken by id
            NoteFactory(published_at=BASE + timedelta(minutes=m))
        expected = list(Note.objects.order_by(*ORDER).values_list("pk", flat=True))
        assert _walk(limit) == expected


@pytest.mark.django_db
def test_a_cursor_of_another_list_is_refused() -> None:
    NoteFactory.create_batch(3)
    page = keyset_page(Note.objects.all(), order=ORDER, cursor=None, limit=1, scope="a")
    assert page.next_cursor
    with pytest.raises(InvalidInput):
        keyset_page(Note.objects.all(), order=ORDER, cursor=page.next_cursor, limit=1, scope="b")
    with pytest.raises(InvalidInput):
        keyset_page(Note.objects.all(), order=ORDER, cursor="garbage", limit=1, scope="a")
