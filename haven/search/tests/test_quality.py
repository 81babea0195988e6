"""Search quality fixes found by the relevance bench (docs/search-bench.md, "Quality fixes"): correct words
are not "corrected", a query that matches nothing lists its closest matches (and says so), bilingual
synonyms. Runs on the profile's backend (SQLite here, PostgreSQL in the scaled CI run)."""

from __future__ import annotations

import pytest

from haven.core.errors import InvalidInput
from haven.core.pagination import encode_cursor
from haven.notes.tests.factories import NoteFactory
from haven.search import analysis, index, selectors
from haven.search.tests.helpers import found, index_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def hikes() -> dict[str, int]:
    notes = {
        "hike": NoteFactory(
            title="First hike in Hong Kong", body="Easy trail, stunning sea views", language="en"
        ),
        "hiked": NoteFactory(title="We hiked the ridge", body="Six hours up and down", language="en"),
        "hikes": NoteFactory(title="Three easy hikes", body="Near the city, with kids", language="en"),
        "baking": NoteFactory(title="Sourdough starter, week 3", body="Finally baked a loaf #baking"),
        "making": NoteFactory(title="Dumpling making class", body="Folding is hard", language="en"),
    }
    index_all()
    return {k: v.pk for k, v in notes.items()}


# ----------------------------------------------------------------------------------------------
# 1. Correct words are not "corrected"


def test_a_word_known_by_its_stem_is_not_corrected(hikes: dict[str, int]) -> None:
    page = selectors.search(None, "hiking")
    assert page.corrections == {}
    assert {h.id for h in page.items} == {hikes["hike"], hikes["hiked"], hikes["hikes"]}
    assert not page.relaxed


def test_known_words_by_surface_stem_or_match(hikes: dict[str, int]) -> None:
    assert index.known_words(["hike", "hiking", "zzzzqq"], kind="note") == {"hike", "hiking"}
    assert "hiking" in index.stem_siblings("hiked") and "hiked" in index.stem_siblings("hiking")


def test_a_word_that_matches_by_pinyin_is_not_corrected() -> None:
    NoteFactory(title="上海的咖啡", body="很好喝", language="zh-Hans")
    NoteFactory(title="Coffee map", body="Every cafe we liked", language="en")
    index_all()
    page = selectors.search(None, "kafei")
    assert page.corrections == {}
    assert len(page.items) == 1


def test_a_misspelt_word_is_still_corrected_and_stems_count(hikes: dict[str, int]) -> None:
    page = selectors.search(None, "hikking")
    assert page.corrections and all(analysis.stem(w) == "hike" for w in page.corrections["hikking"])
    assert {h.id for h in page.items} == {hikes["hike"], hikes["hiked"], hikes["hikes"]}
    page = selectors.search(None, "sourdogh")
    assert page.corrections == {"sourdogh": ["sourdough"]}
    assert [h.id for h in page.items] == [hikes["baking"]]


def test_corrections_never_outrank_a_real_match() -> None:
    exact = NoteFactory(title="Notes on a hikking trip", body="we spelt it that way", like_count=0)
    NoteFactory(title="Picking apples", body="an orchard", like_count=900)
    index_all()
    page = selectors.search(None, "hikking")
    assert page.corrections == {}
    assert [h.id for h in page.items] == [exact.pk]


# ----------------------------------------------------------------------------------------------
# 2. Closest matches when nothing matched as written


@pytest.fixture
def drinks() -> dict[str, int]:
    notes = {
        "zh": NoteFactory(title="周末的咖啡", body="豆子很香", language="zh-Hans"),
        "latte": NoteFactory(title="Oat latte art", body="practising every morning", language="en"),
        "three": NoteFactory(title="Matcha latte in Kyoto", body="green and sweet", language="en"),
        "kyoto": NoteFactory(title="Kyoto temples", body="quiet morning walk", language="en"),
        "other": NoteFactory(title="Desk setup", body="a lamp and a plant", language="en"),
    }
    index_all()
    return {k: v.pk for k, v in notes.items()}


def test_a_mixed_query_that_matches_nothing_lists_partial_matches(drinks: dict[str, int]) -> None:
    page = selectors.search(None, "咖啡 latte")
    assert page.relaxed
    ids = [h.id for h in page.items]
    assert drinks["zh"] in ids and drinks["latte"] in ids and drinks["other"] not in ids


def test_documents_matching_more_words_come_first(drinks: dict[str, int]) -> None:
    page = selectors.search(None, "matcha latte kyoto tokyo")
    assert page.relaxed
    ids = [h.id for h in page.items]
    assert ids[0] == drinks["three"]  # three of the four words
    assert set(ids[1:]) == {drinks["latte"], drinks["kyoto"]}


def test_exact_matches_are_not_relaxed(drinks: dict[str, int]) -> None:
    page = selectors.search(None, "matcha latte")
    assert not page.relaxed and [h.id for h in page.items] == [drinks["three"]]
    nothing = selectors.search(None, "zebra")
    assert nothing.items == [] and not nothing.relaxed


def test_relaxed_paging_goes_through_everything_once() -> None:
    notes = [NoteFactory(title=f"Bagel {i}", like_count=i) for i in range(7)]
    notes += [NoteFactory(title=f"Pretzel {i}", like_count=i) for i in range(6)]
    index_all()
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        page = selectors.search(None, "bagel pretzel", cursor=cursor, limit=4)
        assert page.relaxed
        seen += [h.id for h in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(n.pk for n in notes)
    assert len(seen) == len(set(seen))


def test_relaxed_pages_hide_what_the_viewer_may_not_see() -> None:
    shown = NoteFactory(title="Bagel shop", body="round")
    NoteFactory(title="Pretzel secret", body="twisted", visibility="followers")
    index_all()
    page = selectors.search(None, "bagel pretzel")
    assert page.relaxed and [h.id for h in page.items] == [shown.pk]


def test_a_tampered_relaxed_cursor_is_refused(drinks: dict[str, int]) -> None:
    scope = selectors._scope("note", "咖啡 latte", None, None)
    for data in (
        {"n": 1, "m": "r", "t": "x", "s": 1.0, "i": 1},
        {"n": 1, "m": "r", "t": 1, "s": "x", "i": 1},
        {"n": 1, "m": "z", "s": 1.0, "i": 1},
        {"n": True, "m": "r", "t": 1, "s": 1.0, "i": 1},
    ):
        with pytest.raises(InvalidInput) as raised:
            selectors.search(None, "咖啡 latte", cursor=encode_cursor(data, scope=scope))
        assert raised.value.code == "invalid_cursor"


def test_people_and_topics_are_not_relaxed() -> None:
    NoteFactory(title="Bagel", body="#bagels")
    index_all()
    assert found(None, "bagels pretzels", kind="topic") == []


def test_the_relaxed_notice_is_translatable() -> None:
    assert selectors.relaxed_notice() == "Nothing matched every word. Showing partial matches."


# ----------------------------------------------------------------------------------------------
# 3. Bilingual synonyms, below the words themselves


def test_synonyms_are_data_and_go_both_ways() -> None:
    table = analysis.synonym_table()
    assert "咖啡" in table["coffe"][0] and "coffe" in table["咖啡"][0]
    assert "火锅" in table["hotpot"][0]


def test_synonyms_find_the_other_language_only_when_nothing_matched() -> None:
    zh = NoteFactory(title="成都火锅", body="很辣", language="zh-Hans")
    index_all()
    page = selectors.search(None, "hotpot")
    assert page.relaxed and [h.id for h in page.items] == [zh.pk]
    en = NoteFactory(title="Hotpot night", body="spicy broth", language="en")
    index_all()
    page = selectors.search(None, "hotpot")
    assert not page.relaxed and [h.id for h in page.items] == [en.pk]
