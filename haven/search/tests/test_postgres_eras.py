"""PostgreSQL's era path (haven/search/backends/postgres.py): a query of middling frequency searches the
newest eras first and must give exactly what the ordinary path gives. Scaled profile only.

ERA_BITS is patched small before indexing (4 entry ids per era) and CANDIDATES small, so a handful of
notes spans many eras; the lexeme statistics are patched to say how common a word is.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.notes.tests.factories import NoteFactory
from haven.search import analysis, index
from haven.search.backends import base, postgres
from haven.search.tests.helpers import index_all

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="eras are the PostgreSQL backend's"),
]


@pytest.fixture
def small_eras(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(postgres, "ERA_BITS", 2)
    monkeypatch.setattr(postgres, "ERA_SHARE", 0.0)
    monkeypatch.setattr(postgres, "WALK_SHARE", 1.01)
    monkeypatch.setattr(base, "CANDIDATES", 5)
    postgres._stats.clear()
    yield
    postgres._stats.clear()


def searched(q: str, **kwargs: object) -> tuple[list[index.Hit], str]:
    """(hits, the path taken: "eras", "walk" or "index")."""
    with CaptureQueriesContext(connection) as queries:
        found = index.search_hits("note", analysis.parse_query(q), now=int(time.time()), limit=50, **kwargs)  # type: ignore[arg-type]
    sql = queries.captured_queries[-1]["sql"]
    return found, "eras" if "~e" in sql else "walk" if "ts_match_vq" in sql else "index"


def hits(q: str, **kwargs: object) -> tuple[list[index.Hit], bool]:
    """(hits, whether the era path was taken)."""
    found, path = searched(q, **kwargs)
    return found, path == "eras"


def plain_hits(q: str, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> list[index.Hit]:
    with monkeypatch.context() as m:
        m.setattr(postgres.PostgresBackend, "_plan", lambda self, query, low, high: ("index", None))
        found, eras = hits(q, **kwargs)
    assert not eras
    return found


def make_notes(count: int, every: int, **kwargs: object) -> list[int]:
    """`count` notes, every `every`-th about bagels (the others about tea), oldest first."""
    made = [
        NoteFactory(
            title="Bagel" if i % every == 0 else "Tea", body=f"note {i}", like_count=i % 7, **kwargs
        ).pk
        for i in range(count)
    ]
    index_all()
    return made


@pytest.mark.django_db
def test_every_document_carries_its_era(small_eras: None) -> None:
    note = NoteFactory(title="Bagel")
    index_all()
    entry = index.entry_id("note", note.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM search_searchentry WHERE id = %s", [entry])
        document = cursor.fetchone()[0]
    assert f"'~e{entry >> 2}'" in document
    # Never reachable from a query: the analysis drops the "~".
    assert all(
        "~" not in term for group in analysis.parse_query(f"~e{entry >> 2}").groups for term in group.terms
    )


@pytest.mark.django_db
def test_the_era_path_gives_what_the_plain_path_gives(
    small_eras: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_notes(60, 3)
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 1 / 3})
    found, eras = hits("bagel")
    assert eras
    assert found == plain_hits("bagel", monkeypatch)
    # The newest 5 bagel notes, as bounded ranking promises.
    assert sorted(index.object_id(h.id) for h in found) == sorted(made[::3][-5:])
    # Paging goes on the same way.
    after = (found[1].score, found[1].id)
    assert hits("bagel", after=after)[0] == plain_hits("bagel", monkeypatch, after=after)


@pytest.mark.django_db
def test_too_few_matches_in_the_eras_go_on_below_them(
    small_eras: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_notes(60, 10)  # 6 bagel notes, spread out
    # The statistics say "bagel" is in 90 % of entries: the eras searched first hold about 8 ids.
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 0.9})
    found, eras = hits("bagel")
    assert eras
    assert found == plain_hits("bagel", monkeypatch)
    assert sorted(index.object_id(h.id) for h in found) == sorted(made[::10][-5:])


@pytest.mark.django_db
def test_filters_apply_in_both_parts(small_eras: None, monkeypatch: pytest.MonkeyPatch) -> None:
    make_notes(30, 2, language="en")
    make_notes(30, 2, language="zh")
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 0.5})
    for language in ("en", "zh"):
        found, eras = hits("bagel", language=language)
        assert eras
        assert found == plain_hits("bagel", monkeypatch, language=language)
        assert len(found) == 5


@pytest.mark.django_db
def test_common_rare_and_unknown_queries_take_the_ordinary_path(
    small_eras: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_notes(60, 3)
    monkeypatch.setattr(postgres, "ERA_SHARE", 0.004)
    monkeypatch.setattr(postgres, "WALK_SHARE", 0.05)
    expected = plain_hits("bagel", monkeypatch)
    for shares, path in (
        ({"bagel": 0.5}, "walk"),
        ({"bagel": 0.001}, "index"),
        ({}, "index"),
        (None, "index"),
    ):
        monkeypatch.setattr(postgres, "lexeme_shares", lambda shares=shares: shares)
        assert searched("bagel") == (expected, path)
    monkeypatch.setattr(postgres, "ERA_MARGIN", 0.01)  # eras needed for ~5 ids at a share of 1 %
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 0.01})
    assert hits("bagel")[1]
    assert not hits("bagel", head_only=True)[1]  # autocomplete: names and tags, small kinds
    # Groups taken as independent: two common words can be rare together (1 %: eras) ...
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 0.2, "note": 0.05})
    assert postgres.estimated_share(analysis.parse_query("bagel note"), {"bagel": 0.2, "note": 0.05}) == (
        pytest.approx(0.01)
    )
    assert hits("bagel note")[1]
    # ... or common (10 %: the walk).
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: {"bagel": 0.2, "note": 0.5})
    assert searched("bagel note")[1] == "walk"


@pytest.mark.django_db
def test_the_characters_of_an_unknown_word_count_as_one(
    small_eras: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """极简 is not in the segmenter's dictionary: 极 and 简 come as two groups that always come together;
    taken as independent they would look rare and send a common word to the index."""
    query = analysis.parse_query("极简")
    assert [g.terms for g in query.groups] == [("极",), ("简",)]
    shares = {"极": 0.08, "简": 0.07, "咖啡": 0.1}
    assert postgres.estimated_share(query, shares) == pytest.approx(0.07)
    assert postgres.estimated_share(analysis.parse_query("咖啡 极简"), shares) == pytest.approx(0.007)
    notes = [NoteFactory(title="极简 " + ("咖啡" if i % 2 else "茶")).pk for i in range(12)]
    index_all()
    monkeypatch.setattr(postgres, "lexeme_shares", lambda: shares)
    monkeypatch.setattr(postgres, "WALK_SHARE", 0.05)
    found, path = searched("极简")
    assert path == "walk"
    assert found == plain_hits("极简", monkeypatch)
    assert sorted(index.object_id(h.id) for h in found) == sorted(notes[-5:])


@pytest.mark.django_db
def test_lexeme_shares_come_from_postgresql_statistics() -> None:
    for i in range(40):
        NoteFactory(title="Bagel" if i % 2 else "Tea", body="morning")
    postgres._stats.clear()
    index_all()  # a re-index refreshes the statistics (ANALYZE) and what this process kept of them
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_searchentry")
        entries = cursor.fetchone()[0]  # notes, and their authors as members
    try:
        shares = postgres.lexeme_shares()
    finally:
        postgres._stats.clear()
    assert shares is not None
    assert shares["bagel"] == pytest.approx(20 / entries)
    assert all(0 < share <= 1 for share in shares.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_documents_the_eras_the_backend_writes() -> None:
    import importlib

    migration = importlib.import_module("haven.search.migrations.0004_entry_eras")
    notes = [NoteFactory(title="Bagel") for _ in range(3)]
    index_all()
    entries = [index.entry_id("note", n.pk) for n in notes]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, document::text FROM search_searchentry WHERE id = ANY(%s)", [entries])
        written = dict(cursor.fetchall())
        # As an entry indexed before eras existed.
        cursor.execute(
            "UPDATE search_searchentry SET document = ts_delete(document, ARRAY['~e' || (id >> 16)::text])"
        )
        cursor.execute("SELECT count(*) FROM search_searchentry WHERE document::text LIKE '%%~e%%'")
        assert cursor.fetchone()[0] == 0

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.add(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, document::text FROM search_searchentry WHERE id = ANY(%s)", [entries])
        assert dict(cursor.fetchall()) == written
    assert all(f"'{postgres.era_lexeme(e >> 16)}'" in written[e] for e in entries)
