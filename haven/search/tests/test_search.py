"""Search over notes, members and topics on the profile's backend (FTS5 on SQLite, tsvector on PostgreSQL).

The same cases run in both profiles: CI runs this file with SQLite and again with HAVEN_DATABASE_URL
pointing at PostgreSQL, and `test_backend_matches_the_database` says which backend was under test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from haven.core.errors import InvalidInput
from haven.notes.tests.factories import NoteFactory, UserFactory
from haven.search import index, selectors
from haven.search.tests.helpers import found, index_all, suggested, tag

pytestmark = pytest.mark.django_db


def test_backend_matches_the_database() -> None:
    assert index.backend().vendor == connection.vendor


@pytest.fixture
def corpus() -> dict[str, int]:
    notes = {
        "coffee_zh": NoteFactory(
            title="上海最好的咖啡", body="这家咖啡馆的拿铁很好喝 #咖啡", language="zh-Hans"
        ),
        "cafe_zh": NoteFactory(title="台北散步", body="下午去了一家咖啡厅，很安静", language="zh-Hans"),
        "coffee_en": NoteFactory(
            title="Best coffee in Shanghai", body="A quiet cafe with great beans", language="en"
        ),
        "running": NoteFactory(title="Morning run", body="She runs along the river every day", language="en"),
        "tea": NoteFactory(title="绿茶", body="杭州的龙井茶", language="zh-Hans"),
        "mixed": NoteFactory(title="上海 coffee walk", body="三家店", language="zh-Hans"),
    }
    index_all()
    return {k: v.pk for k, v in notes.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("咖啡", {"coffee_zh", "cafe_zh"}),
        ("kafei", {"coffee_zh"}),  # pinyin of the title; the body has no pinyin
        ("咖啡廳", {"cafe_zh"}),  # Traditional folds to Simplified
        ("ＣＯＦＦＥＥ", {"coffee_en", "mixed"}),  # full-width folds
        ("coffee", {"coffee_en", "mixed"}),
        ("running", {"running"}),  # stems: running -> run, runs -> run
        ("cofee", {"coffee_en", "mixed"}),  # typo: trigram + edit distance over the vocabulary
        ("上海 coffee", {"mixed"}),  # mixed query: every part must match
        ("上海 咖啡", {"coffee_zh"}),
        ("shanghai coffee", {"coffee_en", "mixed"}),  # pinyin of 上海 in the mixed title
        ("龙井", {"tea"}),
        ("lvcha", {"tea"}),
        ("nothing-like-this", set()),
    ],
)
def test_cases(corpus: dict[str, int], query: str, expected: set[str]) -> None:
    ids = set(found(None, query))
    assert ids == {corpus[k] for k in expected}


def test_typo_corrections_are_reported(corpus: dict[str, int]) -> None:
    page = selectors.search(None, "cofee")
    assert page.corrections == {"cofee": ["coffee"]}


def test_title_outranks_body() -> None:
    in_body = NoteFactory(title="Day out", body="we had dumplings")
    in_title = NoteFactory(title="Dumplings", body="a day out")
    index_all()
    assert found(None, "dumplings") == [in_title.pk, in_body.pk]


def test_freshness_and_engagement_lift() -> None:
    old = NoteFactory(title="Noodles", published_at=timezone.now() - timedelta(days=400))
    new = NoteFactory(title="Noodles")
    liked = NoteFactory(title="Noodles", like_count=500, published_at=timezone.now() - timedelta(days=400))
    index_all()
    ids = found(None, "noodles")
    assert ids.index(new.pk) < ids.index(old.pk)
    assert ids.index(liked.pk) < ids.index(old.pk)


def test_language_and_time_filters(corpus: dict[str, int]) -> None:
    old = NoteFactory(
        title="Coffee memories", language="en", published_at=timezone.now() - timedelta(days=60)
    )
    index_all()
    assert set(found(None, "coffee", language="en")) == {corpus["coffee_en"], old.pk}
    assert set(found(None, "coffee", language="zh")) == {corpus["mixed"]}
    assert found(None, "coffee", language="ja") == []
    assert set(found(None, "coffee", since="month")) == {corpus["coffee_en"], corpus["mixed"]}
    assert set(found(None, "coffee", since="year")) == {corpus["coffee_en"], corpus["mixed"], old.pk}


def test_cursor_pages_through_everything_once() -> None:
    notes = [NoteFactory(title=f"Bagel {i}", like_count=i) for i in range(23)]
    index_all()
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = selectors.search(None, "bagel", cursor=cursor, limit=5)
        seen += [h.id for h in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(n.pk for n in notes)
    assert len(seen) == len(set(seen))


def test_only_the_candidates_a_page_needs_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Visibility (and the objects) is asked for as many candidates as the page still needs: with none
    hidden, a page of 10 loads 10 notes, not every candidate the index returned (30)."""
    import dataclasses

    from haven.core import searchables

    notes = [NoteFactory(title=f"Bagel {i}", like_count=i) for i in range(40)]
    hidden = {n.pk for n in notes[::2]}
    index_all()
    asked: list[int] = []
    searchable = searchables.get("note")
    assert searchable is not None

    def visible(viewer: object, pks: list[int]) -> dict[int, object]:
        asked.append(len(pks))
        return {pk: obj for pk, obj in searchable.visible(viewer, pks).items() if pk not in hide}

    monkeypatch.setitem(searchables._registry, "note", dataclasses.replace(searchable, visible=visible))
    hide: set[int] = set()
    page = selectors.search(None, "bagel", limit=10)
    assert len(page.items) == 10 and asked == [10]
    # Half of them hidden: more are checked as needed, and the page is still full and in order.
    hide, asked = hidden, []
    page = selectors.search(None, "bagel", limit=10)
    assert len(page.items) == 10 and not {h.id for h in page.items} & hidden
    assert sum(asked) < 30 and len(asked) >= 2
    assert [h.score for h in page.items] == sorted((h.score for h in page.items), reverse=True)


def test_members_by_name_pinyin_and_bio() -> None:
    alice = UserFactory(username="alice_w", display_name="小红咖啡", bio="I roast beans")
    UserFactory(username="bob", display_name="Bob")
    index_all()
    assert found(None, "alice", kind="member") == [alice.pk]
    assert found(None, "小红", kind="member") == [alice.pk]
    assert found(None, "xiaohong", kind="member") == [alice.pk]
    assert found(None, "roasting", kind="member") == [alice.pk]


def test_topics_with_counts() -> None:
    tag(NoteFactory(title="a", body="#咖啡 #latte"), "咖啡", "latte")
    tag(NoteFactory(title="b", body="#咖啡"), "咖啡")
    index_all()
    page = selectors.search(None, "咖啡", kind="topic")
    assert [(h.card["name"], h.card["note_count"]) for h in page.items] == [("咖啡", 2)]
    assert [h.card["name"] for h in selectors.search(None, "kafei", kind="topic").items] == ["咖啡"]


def test_suggest_people_and_topics_by_prefix_and_pinyin_prefix() -> None:
    alice = UserFactory(username="kafeilover", display_name="Alice")
    tag(NoteFactory(title="x", body="#咖啡"), "咖啡")
    index_all()
    kinds = {k for k, _ in suggested(None, "kaf")}
    assert kinds == {"member", "topic"}
    assert ("member", alice.pk) in suggested(None, "Ali")
    assert [k for k, _ in suggested(None, "咖")] == ["topic"]


def test_products_are_an_empty_kind_until_commerce_registers() -> None:
    assert selectors.search(None, "coffee", kind="product").items == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"q": ""}, "query_empty"),
        ({"q": "   "}, "query_empty"),
        ({"q": "x" * 101}, "query_too_long"),
        ({"q": "x", "kind": "shop"}, "invalid_kind"),
        ({"q": "x", "limit": 51}, "invalid_page_size"),
        ({"q": "x", "limit": 0}, "invalid_page_size"),
        ({"q": "x", "cursor": "garbage"}, "invalid_cursor"),
        ({"q": "x", "language": "not a language"}, "invalid_language"),
        ({"q": "x", "since": "decade"}, "invalid_since"),
    ],
)
def test_bad_input_has_stable_codes(kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
    q = kwargs.pop("q")
    with pytest.raises(InvalidInput) as raised:
        selectors.search(None, q, **kwargs)
    assert raised.value.code == code


def test_a_cursor_of_another_query_is_refused() -> None:
    for i in range(3):
        NoteFactory(title=f"Waffle {i}")
    index_all()
    page = selectors.search(None, "waffle", limit=1)
    assert page.next_cursor
    with pytest.raises(InvalidInput) as raised:
        selectors.search(None, "pancake", cursor=page.next_cursor, limit=1)
    assert raised.value.code == "invalid_cursor"
