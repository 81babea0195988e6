"""Bounded ranking (base.CANDIDATES): a query scores only its newest matches, on both backends.

Like test_search.py, this runs on the profile's backend: SQLite FTS5 by default, PostgreSQL when
HAVEN_DATABASE_URL points at it. CANDIDATES is patched small so a handful of notes is a "common" word.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.notes.tests.factories import NoteFactory
from haven.search import analysis, index, selectors
from haven.search.backends import base
from haven.search.tests.helpers import index_all

pytestmark = pytest.mark.django_db


def hits(q: str, **kwargs: object) -> list[index.Hit]:
    return index.search_hits("note", analysis.parse_query(q), now=int(time.time()), **kwargs)  # type: ignore[arg-type]


def ids(found: list[index.Hit]) -> list[int]:
    return [index.object_id(h.id) for h in found]


@pytest.fixture
def bagels() -> list[int]:
    """12 bagel notes, oldest first (ids follow creation): titles at 2, 5, 9 and 11, bodies elsewhere."""
    made = []
    for i in range(12):
        if i in (2, 5, 9, 11):
            made.append(NoteFactory(title=f"Bagel {i}", body="breakfast", like_count=i).pk)
        else:
            made.append(NoteFactory(title=f"Breakfast {i}", body="a bagel and tea", like_count=i).pk)
    index_all()
    return made


def test_a_common_word_ranks_its_newest_matches(bagels: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    exact = hits("bagel", limit=50)
    assert sorted(ids(exact)) == sorted(bagels)
    monkeypatch.setattr(base, "CANDIDATES", 5)
    bounded = hits("bagel", limit=50)
    newest = bagels[-5:]  # 7, 8, 9, 10, 11: title matches 9 and 11
    assert sorted(ids(bounded)) == sorted(newest)
    # Ranked as in the full ranking: the head (title) matches first, the same scores as unbounded.
    assert ids(bounded)[:2] == [bagels[11], bagels[9]]
    assert ids(bounded) == [i for i in ids(exact) if i in newest]
    scores = {h.id: h.score for h in exact}
    assert all(h.score == pytest.approx(scores[h.id]) for h in bounded)


def test_fewer_matches_than_candidates_stay_exact(bagels: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    exact = hits("bagel", limit=50)
    monkeypatch.setattr(base, "CANDIDATES", 12)
    assert hits("bagel", limit=50) == exact
    monkeypatch.setattr(base, "CANDIDATES", 1)
    assert [h.id for h in hits("bagel", limit=50)] == [index.entry_id("note", bagels[-1])]


def test_filters_apply_before_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    old = [
        NoteFactory(title="Matcha", language="en", published_at=timezone.now() - timedelta(days=90)).pk
        for _ in range(3)
    ]
    recent_en = [NoteFactory(title="Matcha", language="en").pk for _ in range(2)]
    zh = [NoteFactory(title="Matcha", language="zh").pk for _ in range(4)]  # the newest matches
    index_all()
    monkeypatch.setattr(base, "CANDIDATES", 3)
    assert sorted(ids(hits("matcha", limit=50))) == sorted(zh[-3:])
    # The newest 3 English matches, not the English ones among the newest 3 matches (none).
    assert sorted(ids(hits("matcha", language="en", limit=50))) == sorted([old[-1], *recent_en])
    since = int(time.time()) - 30 * 86400
    assert sorted(ids(hits("matcha", language="en", since=since, limit=50))) == sorted(recent_en)


def test_pages_walk_the_candidates_once(bagels: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "CANDIDATES", 7)
    first = hits("bagel", limit=50)
    seen: list[index.Hit] = []
    after = None
    for _ in range(10):
        page = hits("bagel", limit=2, after=after)
        if not page:
            break
        seen += page
        after = (page[-1].score, page[-1].id)
    assert seen == first
    assert sorted(ids(seen)) == sorted(bagels[-7:])


def test_selector_pages_with_a_small_bound(bagels: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "CANDIDATES", 8)
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = selectors.search(None, "bagel", cursor=cursor, limit=3)
        seen += [h.id for h in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8
    assert set(seen) == set(bagels[-8:])
    assert seen[:3] == [bagels[11], bagels[9], bagels[5]]  # the title matches among the candidates


def test_head_only_search_is_bounded_too(bagels: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "CANDIDATES", 2)
    assert sorted(ids(hits("bagel", limit=50, head_only=True))) == sorted([bagels[9], bagels[11]])
