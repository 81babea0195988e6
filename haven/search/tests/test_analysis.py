"""The text analysis shared by indexing and queries (no database)."""

from __future__ import annotations

import pytest

from haven.search import analysis


def test_full_width_is_folded_and_casefolded() -> None:
    assert analysis.analyse("ＣＯＦＦＥＥ") == analysis.analyse("coffee") == ["coffe"]


def test_traditional_is_folded_to_simplified() -> None:
    assert "咖啡厅" in analysis.analyse("咖啡廳")
    assert analysis.normalize("臺灣") == "台湾"


def test_chinese_is_segmented_in_search_mode_for_documents() -> None:
    tokens = analysis.analyse("在咖啡厅喝咖啡")
    assert {"咖啡", "咖啡厅"} <= set(tokens)


def test_english_is_stemmed_and_stopwords_left_out() -> None:
    assert analysis.analyse("The running dogs") == ["run", "dog"]
    assert analysis.analyse("runs") == ["run"]


def test_head_fields_get_pinyin_and_surface_words() -> None:
    tokens = analysis.analyse("咖啡 Running", head=True)
    assert {"kafei", "ka", "fei", "run", "running"} <= set(tokens)


def test_accents_are_stripped() -> None:
    assert analysis.analyse("Café") == analysis.analyse("cafe")


def test_tokens_are_letters_and_digits_only() -> None:
    for token in analysis.analyse("#咖啡# @alice_b e-mail 100% rock'n'roll 🙂 x_y", head=True):
        assert token.isalnum(), token


def test_query_groups() -> None:
    query = analysis.parse_query("running 咖啡厅")
    assert query.groups[0].terms == ("run", "running")
    assert query.groups[1].terms == ("咖啡厅",)
    assert query.groups[1].conjunctions == (("咖啡", "啡厅"),)


def test_prefix_query_keeps_the_last_word_as_typed() -> None:
    query = analysis.parse_query("coffee lov", prefix=True)
    assert query.groups[-1].terms == ("lov",) and query.groups[-1].prefix
    assert not query.groups[0].prefix


def test_stopword_only_query_is_kept() -> None:
    assert not analysis.parse_query("the").empty
    assert analysis.parse_query("!!! ???").empty


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("cofee", "coffee", 1), ("coffee", "coffee", 0), ("teh", "the", 1), ("kitten", "sitting", 3)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert analysis.edit_distance(a, b, limit=3) == distance


def test_trigram_similarity() -> None:
    assert analysis.similarity("cofee", "coffee") == pytest.approx(0.625)


def test_long_input_is_bounded() -> None:
    assert len(analysis.analyse("word " * 20000)) <= analysis.MAX_TOKENS
    assert (
        len(analysis.parse_query("a b c d e f g h i j k l m n o p q r s t u v").groups)
        <= analysis.MAX_QUERY_GROUPS
    )
