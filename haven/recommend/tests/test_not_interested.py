"""'Not interested' in a note, an author or a topic: services and selectors with real rows."""

from __future__ import annotations

import pytest

from haven.core.errors import InvalidInput, NotFound
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory, block
from haven.recommend import selectors, services
from haven.recommend.models import EventKind, InteractionEvent, NotInterested

pytestmark = pytest.mark.django_db


def test_each_kind_is_added_once_and_filtered(embedded, django_assert_num_queries):
    me, note, author = UserFactory(), NoteFactory(), UserFactory()
    a = services.not_interested_add(user=me, kind="note", note_id=note.pk)
    assert services.not_interested_add(user=me, kind="note", note_id=note.pk).pk == a.pk  # idempotent
    services.not_interested_add(user=me, kind="author", author_id=author.pk, source_note_id=note.pk)
    services.not_interested_add(user=me, kind="topic", topic="#Coffee")
    services.not_interested_add(user=me, kind="topic", topic="coffee")
    assert NotInterested.objects.filter(user=me).count() == 3
    with django_assert_num_queries(1):
        assert selectors.not_interested_filters(me.pk) == ({note.pk}, {author.pk}, {"coffee"})
    with django_assert_num_queries(0):
        assert selectors.not_interested_filters(None) == (set(), set(), set())
    # one NOT_INTERESTED event for the note, one for the card the author was hidden from
    kinds = InteractionEvent.objects.filter(user=me).values_list("kind", "note_id", "source")
    assert sorted(kinds) == [
        (EventKind.NOT_INTERESTED, note.pk, "author"),
        (EventKind.NOT_INTERESTED, note.pk, "note"),
    ]


def test_explicit_choices_are_recorded_even_without_personalisation_consent(embedded):
    from haven.recommend.tests.conftest import refuse_personalisation

    me, note = UserFactory(), NoteFactory()
    refuse_personalisation(me)
    services.not_interested_add(user=me, kind="note", note_id=note.pk)
    assert InteractionEvent.objects.filter(user=me, kind=EventKind.NOT_INTERESTED).count() == 1


def test_a_note_the_member_cannot_see_is_not_found():
    me = UserFactory()
    private = NoteFactory(visibility=Visibility.PRIVATE)
    for note_id in (private.pk, 999_999, "abc"):
        with pytest.raises(NotFound):
            services.not_interested_add(user=me, kind="note", note_id=note_id)
    assert not NotInterested.objects.exists()


def test_authors_must_exist_be_visible_and_not_oneself():
    me, blocker, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    block(blocker, me)
    for author_id in (blocker.pk, gone.pk, 999_999):
        with pytest.raises(NotFound):
            services.not_interested_add(user=me, kind="author", author_id=author_id)
    with pytest.raises(InvalidInput) as info:
        services.not_interested_add(user=me, kind="author", author_id=me.pk)
    assert info.value.code == "cannot_target_self"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": "topic", "topic": "#"}, "invalid_tag"),
        ({"kind": "topic", "topic": "x" * 71}, "invalid_tag"),
        ({"kind": "topic"}, "invalid_input"),
        ({"kind": "note"}, "invalid_input"),
        ({"kind": "author"}, "invalid_input"),
        ({"kind": "place", "topic": "x"}, "invalid_input"),
    ],
)
def test_bad_choices_are_refused(kwargs, code):
    with pytest.raises(InvalidInput) as info:
        services.not_interested_add(user=UserFactory(), **kwargs)
    assert info.value.code == code


def test_the_list_is_bounded_the_oldest_choice_goes(embedded, monkeypatch):
    monkeypatch.setattr(services, "MAX_NOT_INTERESTED", 3)
    me = UserFactory()
    rows = [services.not_interested_add(user=me, kind="topic", topic=f"t{i}") for i in range(5)]
    kept = set(NotInterested.objects.filter(user=me).values_list("pk", flat=True))
    assert kept == {r.pk for r in rows[2:]}


def test_remove_takes_back_only_ones_own_choice():
    me, other = UserFactory(), UserFactory()
    mine = services.not_interested_add(user=me, kind="topic", topic="tea")
    with pytest.raises(NotFound):
        services.not_interested_remove(user=other, item_id=mine.pk)
    services.not_interested_remove(user=me, item_id=mine.pk)
    assert not NotInterested.objects.exists()
    with pytest.raises(NotFound):
        services.not_interested_remove(user=me, item_id=mine.pk)


def test_the_list_pages_newest_first_and_hides_titles_of_notes_gone_private(django_assert_max_num_queries):
    me = UserFactory()
    notes = [NoteFactory(title=f"Note {i}") for i in range(3)]
    for note in notes:
        services.not_interested_add(user=me, kind="note", note_id=note.pk)
    services.not_interested_add(user=me, kind="author", author_id=notes[0].author_id)
    notes[1].visibility = Visibility.PRIVATE
    notes[1].save(update_fields=["visibility"])
    with django_assert_max_num_queries(2):
        first = selectors.not_interested_list(me, None, 3)
    assert [i.kind for i in first.items] == ["author", "note", "note"]
    assert first.items[0].author_username == notes[0].author.username
    assert (first.items[1].note_title, first.items[1].note_visible) == ("Note 2", True)
    assert (first.items[2].note_title, first.items[2].note_visible) == (None, False)
    second = selectors.not_interested_list(me, first.next_cursor, 3)
    assert [i.note_title for i in second.items] == ["Note 0"]
    assert second.next_cursor is None
