"""Collections and saves: default collection, names, moving, deleting, privacy and counters."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.engagement import services
from haven.engagement.access import collection_notes, get_visible_collection, visible_collections
from haven.engagement.models import MAX_COLLECTIONS, Collection, Save
from haven.engagement.selectors import collection_cards, collections_of, saved_note_ids, viewer_state
from haven.engagement.tests.factories import CollectionFactory, NoteFactory, SaveFactory, UserFactory, block
from haven.notes.models import Note, Visibility

pytestmark = pytest.mark.django_db


def save_count(note: Note) -> int:
    note.refresh_from_db()
    return note.save_count


class TestDefaultCollection:
    def test_created_once_stored_in_english(self) -> None:
        user = UserFactory()
        first = services.default_collection(user=user)
        assert services.default_collection(user=user) == first
        assert first.is_default and first.name == "Saved" and not first.is_public
        with translation.override("en"):
            assert services.collection_display_name(first) == "Saved"
        assert services.collection_display_name(CollectionFactory(name="Trips")) == "Trips"

    def test_cannot_be_renamed_or_deleted(self) -> None:
        user = UserFactory()
        default = services.default_collection(user=user)
        with pytest.raises(InvalidInput) as err:
            services.collection_update(actor=user, collection_id=default.pk, name="Other")
        assert err.value.code == "default_collection"
        assert services.collection_update(actor=user, collection_id=default.pk, is_public=True).is_public
        with pytest.raises(InvalidInput) as err:
            services.collection_delete(actor=user, collection_id=default.pk)
        assert err.value.code == "default_collection"


class TestCollections:
    def test_create_and_name_rules(self) -> None:
        user = UserFactory()
        trips = services.collection_create(owner=user, name="  Trips ", is_public=True)
        assert trips.name == "Trips" and trips.is_public and not trips.is_default
        for name in ("trips", "TRIPS", "saved", "Saved"):
            with pytest.raises(Conflict) as err:
                services.collection_create(owner=user, name=name)
            assert err.value.code == "collection_exists"
        assert services.collection_create(owner=UserFactory(), name="Trips").name == "Trips"
        for name, code in (("   ", "name_required"), ("x" * 51, "name_too_long")):
            with pytest.raises(InvalidInput) as err:
                services.collection_create(owner=user, name=name)
            assert err.value.code == code

    def test_limit(self) -> None:
        user = UserFactory()
        Collection.objects.bulk_create([Collection(owner=user, name=f"c{i}") for i in range(MAX_COLLECTIONS)])
        with pytest.raises(InvalidInput) as err:
            services.collection_create(owner=user, name="one more")
        assert err.value.code == "too_many_collections"

    def test_update(self) -> None:
        user = UserFactory()
        a = services.collection_create(owner=user, name="A")
        services.collection_create(owner=user, name="B")
        renamed = services.collection_update(actor=user, collection_id=a.pk, name="Alpha", is_public=True)
        assert (renamed.name, renamed.is_public) == ("Alpha", True)
        assert services.collection_update(actor=user, collection_id=a.pk, name="alpha").name == "alpha"
        with pytest.raises(Conflict):
            services.collection_update(actor=user, collection_id=a.pk, name="b")
        with pytest.raises(NotFound):
            services.collection_update(actor=UserFactory(), collection_id=a.pk, name="mine")

    def test_delete_moves_saves_to_default(self) -> None:
        user = UserFactory()
        board = services.collection_create(owner=user, name="Board")
        notes = [NoteFactory() for _ in range(2)]
        for note in notes:
            services.note_save(user=user, note_id=note.pk, collection_id=board.pk)
        with pytest.raises(NotFound):
            services.collection_delete(actor=UserFactory(), collection_id=board.pk)
        assert services.collection_delete(actor=user, collection_id=board.pk) == 2
        default = services.default_collection(user=user)
        assert set(Save.objects.filter(user=user).values_list("collection_id", flat=True)) == {default.pk}
        assert [save_count(n) for n in notes] == [1, 1]
        assert not Collection.objects.filter(pk=board.pk).exists()


class TestSaves:
    def test_save_into_default_then_move(self) -> None:
        user, note = UserFactory(), NoteFactory()
        save = services.note_save(user=user, note_id=note.pk)
        assert save.collection.is_default
        board = services.collection_create(owner=user, name="Board")
        moved = services.note_save(user=user, note_id=note.pk, collection_id=board.pk)
        assert moved.pk == save.pk and moved.collection == board
        assert save_count(note) == 1
        assert saved_note_ids(user, [note.pk]) == {note.pk}
        assert viewer_state(user, note) == {"liked": False, "saved": True, "collection_id": board.pk}

    def test_unsave(self) -> None:
        user, note = UserFactory(), NoteFactory()
        services.note_save(user=user, note_id=note.pk)
        assert services.note_unsave(user=user, note_id=note.pk) is True
        assert services.note_unsave(user=user, note_id=note.pk) is False
        assert save_count(note) == 0
        assert viewer_state(user, note)["saved"] is False

    def test_refusals(self) -> None:
        user, note = UserFactory(), NoteFactory()
        with pytest.raises(NotFound):
            services.note_save(user=user, note_id=note.pk, collection_id=CollectionFactory().pk)
        with pytest.raises(NotFound):
            services.note_save(user=user, note_id=NoteFactory(visibility=Visibility.PRIVATE).pk)
        with pytest.raises(NotFound):
            services.note_unsave(user=user, note_id=NoteFactory(draft=True).pk)
        assert not Save.objects.exists()


class TestPrivacy:
    def test_private_collections_are_for_the_owner(self) -> None:
        owner, other = UserFactory(), UserFactory()
        public = CollectionFactory(owner=owner, is_public=True)
        private = CollectionFactory(owner=owner, is_public=False)
        assert set(visible_collections(owner, owner)) == {public, private}
        assert set(visible_collections(other, owner)) == {public}
        assert set(visible_collections(AnonymousUser(), owner)) == {public}
        with pytest.raises(NotFound):
            get_visible_collection(other, private.pk)
        with pytest.raises(NotFound):
            get_visible_collection(AnonymousUser(), private.pk)
        assert get_visible_collection(owner, private.pk) == private
        assert get_visible_collection(AnonymousUser(), public.pk) == public

    @pytest.mark.parametrize("direction", ["owner_blocks", "viewer_blocks"])
    def test_blocks_hide_public_collections(self, direction: str) -> None:
        owner, viewer = UserFactory(), UserFactory()
        public = CollectionFactory(owner=owner, is_public=True)
        block(owner, viewer) if direction == "owner_blocks" else block(viewer, owner)
        assert list(visible_collections(viewer, owner)) == []
        with pytest.raises(NotFound):
            get_visible_collection(viewer, public.pk)

    def test_notes_inside_follow_the_note_rule(self) -> None:
        owner, viewer = UserFactory(), UserFactory()
        board = CollectionFactory(owner=owner, is_public=True)
        shown = SaveFactory(collection=board).note
        hidden_author = UserFactory()
        hidden = SaveFactory(collection=board, note=NoteFactory(author=hidden_author)).note
        block(viewer, hidden_author)
        assert list(collection_notes(viewer, board)) == [shown] or set(collection_notes(viewer, board)) == {
            shown
        }
        assert set(collection_notes(owner, board)) == {shown, hidden}
        cards = collection_cards(viewer, owner)
        assert [(c["collection"], c["note_count"], c["cover_note_id"]) for c in cards] == [
            (board, 1, shown.pk)
        ]

    def test_cards_query_budget(self, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        owner = UserFactory()
        services.default_collection(user=owner)
        for i in range(6):
            board = CollectionFactory(owner=owner, name=f"b{i}")
            for _ in range(2):
                SaveFactory(collection=board)
        with django_assert_max_num_queries(5):
            cards = collection_cards(owner, owner)
            assert all(c["cover"] is not None for c in cards[1:])
            assert [c["collection"].owner.username for c in cards]
        assert cards[0]["collection"].is_default and len(cards) == 7
        assert collections_of(owner, owner)[0].is_default
