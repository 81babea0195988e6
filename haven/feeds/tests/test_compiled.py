"""core.compiled: a queryset compiled once per thread and list length gives the rows the ORM gives, in
one query, for any values; a builder whose SQL depends on a value is refused."""

from __future__ import annotations

from typing import Any

import pytest

from haven.core.compiled import CompiledQuery, ViewerRef
from haven.feeds import selectors
from haven.feeds.models import SeenNote
from haven.feeds.tests.factories import note_at
from haven.notes.models import Note, Visibility
from haven.notes.tests.factories import UserFactory, block, follow, mute

pytestmark = pytest.mark.django_db


def _page(viewer: int, ids: list[int]) -> Any:
    return selectors._ranked_notes(ViewerRef(viewer), ids)


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["id"])


def test_rows_are_the_orms_for_every_viewer_and_list():
    author, private_author, blocker, muted = (
        UserFactory(),
        UserFactory(is_private=True),
        UserFactory(),
        UserFactory(),
    )
    notes = [
        note_at(author=author, hours_ago=1),
        note_at(author=author, hours_ago=2, visibility=Visibility.FOLLOWERS),
        note_at(author=private_author, hours_ago=3),
        note_at(author=blocker, hours_ago=4),
        note_at(author=muted, hours_ago=5),
    ]
    stranger, follower, blocked = UserFactory(), UserFactory(), UserFactory()
    follow(follower, author)
    follow(follower, private_author)
    block(blocker, blocked)
    mute(blocked, muted)
    query = CompiledQuery("test.page", _page, scalars=("viewer",), lists=("ids",))
    ids = [n.pk for n in notes]
    for viewer in (stranger, follower, blocked, author):
        for chosen in (ids, ids[:2], ids[2:], [ids[0], 10**9]):
            expected = list(_page(viewer.pk, chosen))
            assert _sorted(query.rows(viewer=viewer.pk, ids=chosen)) == _sorted(expected)
    seen = {row["id"] for row in query.rows(viewer=follower.pk, ids=ids)}
    assert seen == {n.pk for n in notes}  # what the follower may see: every kind of note above
    # Blocked by one author, muting another, following nobody: only the public note of a public account.
    assert {row["id"] for row in query.rows(viewer=blocked.pk, ids=ids)} == {notes[0].pk}


def test_compiled_once_per_length_then_one_query(django_assert_num_queries):
    viewer = UserFactory()
    notes = [note_at(hours_ago=h) for h in range(4)]
    built: list[int] = []

    def build(viewer: int, ids: list[int]) -> Any:
        built.append(len(ids))
        return _page(viewer, ids)

    query = CompiledQuery("test.counted", build, scalars=("viewer",), lists=("ids",))
    ids = [n.pk for n in notes]
    with django_assert_num_queries(1):
        first = query.rows(viewer=viewer.pk, ids=ids)
    with django_assert_num_queries(1):
        again = query.rows(viewer=viewer.pk, ids=list(reversed(ids)))
    assert _sorted(first) == _sorted(again) and len(first) == 4
    query.rows(viewer=viewer.pk, ids=ids[:3])
    assert built == [4, 3]  # one compile per list length
    # Converted like the ORM's rows: datetimes are datetimes in both profiles.
    assert first[0]["published_at"] == Note.objects.get(pk=first[0]["id"]).published_at


def test_flat_and_tuple_rows_and_an_empty_list(django_assert_num_queries):
    viewer = UserFactory()
    notes = [note_at(hours_ago=h) for h in range(3)]
    for note in notes[:2]:
        SeenNote.objects.create(user=viewer, note=note)
    flat = CompiledQuery(
        "test.flat",
        lambda user, ids: SeenNote.objects.filter(user_id=user, note_id__in=ids).values_list(
            "note_id", flat=True
        ),
        scalars=("user",),
        lists=("ids",),
    )
    tuples = CompiledQuery(
        "test.tuples",
        lambda user: SeenNote.objects.filter(user_id=user).values_list("note_id", "seen_at"),
        scalars=("user",),
    )
    assert set(flat.rows(user=viewer.pk, ids=[n.pk for n in notes])) == {notes[0].pk, notes[1].pk}
    assert {row[0] for row in tuples.rows(user=viewer.pk)} == {notes[0].pk, notes[1].pk}
    assert all(isinstance(row, tuple) and row[1] is not None for row in tuples.rows(user=viewer.pk))
    with django_assert_num_queries(0):  # as the ORM: an empty IN list asks nothing
        assert flat.rows(user=viewer.pk, ids=[]) == []


def test_a_builder_whose_sql_depends_on_a_value_is_refused():
    branching = CompiledQuery(
        "test.branching",
        lambda user: (Note.objects.filter(author_id=user) if user > 0 else Note.objects.all()).values("id"),
        scalars=("user",),
    )
    with pytest.raises(RuntimeError, match="not among the SQL parameters"):
        branching.rows(user=1)
    models = CompiledQuery("test.models", lambda user: Note.objects.filter(author_id=user), scalars=("user",))
    with pytest.raises(RuntimeError, match="values"):
        models.rows(user=1)


def test_padded_lists_share_a_few_shapes():
    viewer = UserFactory()
    notes = [note_at(hours_ago=h) for h in range(11)]
    built: list[int] = []

    def build(viewer: int, ids: list[int]) -> Any:
        built.append(len(ids))
        return _page(viewer, ids)

    query = CompiledQuery("test.padded", build, scalars=("viewer",), lists=("ids",), pad_lists=True)
    ids = [n.pk for n in notes]
    for length in range(1, 12):
        rows = query.rows(viewer=viewer.pk, ids=ids[:length])
        assert sorted(row["id"] for row in rows) == sorted(ids[:length])  # each note once, padding or not
    assert built == [8, 16]  # lengths 1-8 share one shape, 9-11 the next
