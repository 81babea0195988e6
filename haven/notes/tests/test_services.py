"""Note services: create, validate, hashtags, mentions, edit, publish, delete, counters."""

from __future__ import annotations

import pytest

from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.media.models import MediaImage
from haven.notes import services
from haven.notes.models import Hashtag, Mention, Note, NoteHashtag, NoteImage, Visibility
from haven.notes.selectors import cover_image, drafts_of, hashtag_by_name, note_hashtags, note_images
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory, block, follow
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db


def images_of(user, n: int = 1) -> list[int]:  # type: ignore[no-untyped-def]
    return [MediaImageFactory(owner=user).pk for _ in range(n)]


def mentions_for(user) -> int:  # type: ignore[no-untyped-def]
    return Notification.objects.filter(recipient=user, verb=Notification.Verb.MENTION).count()


class TestCreate:
    def test_published_note_with_images(self) -> None:
        author = UserFactory()
        ids = images_of(author, 3)
        note = services.note_create(
            author=author,
            title="  Weekend  ",
            body="Coffee in the park.\r\nSo good.",
            image_ids=ids,
            alt_texts=["a cup"],
            cover_index=1,
            location_name="Shanghai",
        )
        assert note.status == Note.Status.PUBLISHED and note.published_at is not None
        assert note.title == "Weekend"
        assert note.body == "Coffee in the park.\nSo good."
        assert note.body_html == "<p>Coffee in the park.<br>So good.</p>"
        assert [ni.image_id for ni in note_images(note)] == ids
        assert [ni.alt_text for ni in note_images(note)] == ["a cup", "", ""]
        cover = cover_image(note)
        assert cover is not None and cover.image_id == ids[1]
        assert note.language == "en" and note.language_confidence > 0

    def test_draft_may_have_no_images(self) -> None:
        note = services.note_create(author=UserFactory(), title="idea", publish=False)
        assert note.status == Note.Status.DRAFT and note.published_at is None
        assert cover_image(note) is None

    def test_images_that_are_still_processing_are_usable(self) -> None:
        author = UserFactory()
        image = MediaImageFactory(owner=author, state=MediaImage.State.PROCESSING)
        note = services.note_create(author=author, image_ids=[image.pk])
        assert note_images(note)[0].image == image

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"image_ids": []}, "images_required"),
            ({"title": "x" * 101}, "title_too_long"),
            ({"body": "x" * 5001}, "body_too_long"),
            ({"location_name": "x" * 101}, "location_too_long"),
            ({"cover_index": 1}, "invalid_cover_index"),
            ({"cover_index": -1}, "invalid_cover_index"),
            ({"alt_texts": ["a", "b"]}, "too_many_alt_texts"),
            ({"alt_texts": ["x" * 501]}, "alt_text_too_long"),
            ({"visibility": "everyone"}, "invalid_visibility"),
            ({"image_ids": [10**9]}, "invalid_images"),
            ({"image_ids": ["nope"]}, "invalid_images"),
        ],
    )
    def test_validation(self, kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
        author = UserFactory()
        params = {"image_ids": images_of(author), **kwargs}
        with pytest.raises(InvalidInput) as err:
            services.note_create(author=author, **params)
        assert err.value.code == code
        assert not Note.objects.exists()

    def test_image_limits_and_ownership(self) -> None:
        author = UserFactory()
        with pytest.raises(InvalidInput) as err:
            services.note_create(author=author, image_ids=images_of(author, 19))
        assert err.value.code == "too_many_images"
        assert services.note_create(author=author, image_ids=images_of(author, 18)).images.count() == 18
        one = images_of(author)[0]
        with pytest.raises(InvalidInput) as err:
            services.note_create(author=author, image_ids=[one, one])
        assert err.value.code == "duplicate_images"
        for foreign in (MediaImageFactory(), MediaImageFactory(owner=author, state=MediaImage.State.FAILED)):
            with pytest.raises(InvalidInput) as err:
                services.note_create(author=author, image_ids=[foreign.pk])
            assert err.value.code == "invalid_images"

    def test_control_characters_are_removed(self) -> None:
        author = UserFactory()
        note = services.note_create(
            author=author, title="a\x00b\nc", body="x\x07y", image_ids=images_of(author)
        )
        assert note.title == "ab c" and note.body == "xy"

    def test_chinese_language_detected(self) -> None:
        author = UserFactory()
        note = services.note_create(
            author=author, title="周末咖啡", body="今天的拿铁很好喝", image_ids=images_of(author)
        )
        assert note.language == "zh-Hans"


class TestHashtags:
    def test_latin_chinese_and_closing_hash_styles(self) -> None:
        author = UserFactory()
        note = services.note_create(
            author=author,
            title="#Weekend vibes",
            body="#咖啡# #下午茶#和 #Coffee, #coffee again; a#b no",
            image_ids=images_of(author),
        )
        assert note_hashtags(note) == ["weekend", "咖啡", "下午茶", "coffee"]
        assert 'href="' in note.body_html and "#咖啡" in note.body_html

    def test_tags_are_shared_between_notes_and_found_by_name(self) -> None:
        author = UserFactory()
        a = services.note_create(author=author, body="#咖啡", image_ids=images_of(author))
        b = services.note_create(author=author, body="#咖啡#", image_ids=images_of(author))
        assert Hashtag.objects.filter(name="咖啡").count() == 1
        tag = hashtag_by_name("#咖啡")
        assert tag is not None
        assert set(NoteHashtag.objects.filter(hashtag=tag).values_list("note_id", flat=True)) == {a.pk, b.pk}
        assert hashtag_by_name("ＣＯＦＦＥＥ") is None
        services.note_create(author=author, body="#coffee", image_ids=images_of(author))
        assert hashtag_by_name("ＣＯＦＦＥＥ") == Hashtag.objects.get(name="coffee")
        assert hashtag_by_name("") is None


class TestMentions:
    def test_existing_members_are_linked_and_notified(self) -> None:
        author, friend = UserFactory(), UserFactory(username="friend")
        note = services.note_create(
            author=author, body="with @Friend and @nobody_here", image_ids=images_of(author)
        )
        assert list(Mention.objects.filter(note=note).values_list("user_id", flat=True)) == [friend.pk]
        assert 'href="' in note.body_html and "@Friend</a>" in note.body_html
        assert "@nobody_here</a>" not in note.body_html
        assert mentions_for(friend) == 1

    def test_only_members_who_can_see_the_note_are_notified(self) -> None:
        author = UserFactory()
        fan, stranger, blocked = (
            UserFactory(username="fan"),
            UserFactory(username="stranger"),
            UserFactory(username="blocked"),
        )
        follow(fan, author)
        follow(blocked, author)
        block(author, blocked)
        services.note_create(
            author=author,
            body="@fan @stranger @blocked",
            visibility=Visibility.FOLLOWERS,
            image_ids=images_of(author),
        )
        assert (mentions_for(fan), mentions_for(stranger), mentions_for(blocked)) == (1, 0, 0)

    def test_drafts_notify_on_publish_and_self_mentions_never(self) -> None:
        author, friend = UserFactory(username="me"), UserFactory(username="pal")
        note = services.note_create(
            author=author, body="@pal @me", image_ids=images_of(author), publish=False
        )
        assert mentions_for(friend) == 0
        services.note_publish(actor=author, note_id=note.pk)
        assert mentions_for(friend) == 1
        assert mentions_for(author) == 0

    def test_edits_notify_only_new_mentions(self) -> None:
        author = UserFactory()
        first, second = UserFactory(username="first"), UserFactory(username="second")
        note = services.note_create(author=author, body="@first", image_ids=images_of(author))
        Notification.objects.update(read_at="2020-01-01T00:00:00Z")
        services.note_update(actor=author, note_id=note.pk, body="@first @second")
        assert Notification.objects.filter(recipient=first, read_at__isnull=True).count() == 0
        assert mentions_for(second) == 1
        services.note_update(actor=author, note_id=note.pk, body="just me")
        assert not Mention.objects.filter(note=note).exists()


class TestUpdate:
    def test_edit_text_reparses_and_marks_edited(self) -> None:
        author = UserFactory()
        note = services.note_create(author=author, body="#old", image_ids=images_of(author))
        updated = services.note_update(actor=author, note_id=note.pk, title="新标题", body="今天 #新#")
        assert note_hashtags(updated) == ["新"]
        assert updated.language == "zh-Hans"
        assert updated.edited_at is not None
        assert updated.title == "新标题"

    def test_images_reorder_keeps_descriptions_and_cover(self) -> None:
        author = UserFactory()
        ids = images_of(author, 3)
        note = services.note_create(author=author, image_ids=ids, alt_texts=["a", "b", "c"], cover_index=2)
        note = services.note_update(actor=author, note_id=note.pk, image_ids=[ids[2], ids[0]])
        assert [(ni.image_id, ni.alt_text) for ni in note_images(note)] == [(ids[2], "c"), (ids[0], "a")]
        assert note.cover_index == 0
        note = services.note_update(actor=author, note_id=note.pk, alt_texts=["C", "a"], cover_index=1)
        assert [ni.alt_text for ni in note_images(note)] == ["C", "a"]
        assert note.cover_index == 1
        new = images_of(author)[0]
        note = services.note_update(actor=author, note_id=note.pk, image_ids=[new], alt_texts=["n"])
        assert [(ni.image_id, ni.alt_text) for ni in note_images(note)] == [(new, "n")]
        assert note.cover_index == 0
        assert MediaImage.objects.filter(pk__in=ids).count() == 3  # media rows stay

    def test_published_note_keeps_at_least_one_image(self) -> None:
        author = UserFactory()
        note = services.note_create(author=author, image_ids=images_of(author))
        with pytest.raises(InvalidInput) as err:
            services.note_update(actor=author, note_id=note.pk, image_ids=[])
        assert err.value.code == "images_required"
        with pytest.raises(InvalidInput) as err:
            services.note_update(actor=author, note_id=note.pk, cover_index=3)
        assert err.value.code == "invalid_cover_index"
        with pytest.raises(InvalidInput) as err:
            services.note_update(actor=author, note_id=note.pk, visibility="world")
        assert err.value.code == "invalid_visibility"

    def test_counters_survive_edits(self) -> None:
        note = NoteFactory(like_count=5)
        services.note_update(actor=note.author, note_id=note.pk, title="new")
        note.refresh_from_db()
        assert note.like_count == 5 and note.title == "new"

    def test_only_the_author_edits(self) -> None:
        note = NoteFactory()
        with pytest.raises(NotFound):
            services.note_update(actor=UserFactory(), note_id=note.pk, title="mine now")


class TestPublishDelete:
    def test_publish_a_draft(self) -> None:
        author = UserFactory()
        draft = services.note_create(author=author, image_ids=images_of(author), publish=False)
        note = services.note_publish(actor=author, note_id=draft.pk)
        assert note.status == Note.Status.PUBLISHED and note.published_at is not None
        with pytest.raises(Conflict) as err:
            services.note_publish(actor=author, note_id=draft.pk)
        assert err.value.code == "already_published"

    def test_publish_needs_an_image(self) -> None:
        author = UserFactory()
        draft = services.note_create(author=author, publish=False)
        with pytest.raises(InvalidInput) as err:
            services.note_publish(actor=author, note_id=draft.pk)
        assert err.value.code == "images_required"
        with pytest.raises(NotFound):
            services.note_publish(actor=UserFactory(), note_id=draft.pk)

    def test_delete_is_hard_and_keeps_media(self) -> None:
        author, friend = UserFactory(), UserFactory(username="buddy")
        ids = images_of(author, 2)
        note = services.note_create(author=author, body="@buddy", image_ids=ids)
        assert mentions_for(friend) == 1
        with pytest.raises(NotFound):
            services.note_delete(actor=friend, note_id=note.pk)
        services.note_delete(actor=author, note_id=note.pk)
        assert not Note.objects.filter(pk=note.pk).exists()
        assert not NoteImage.objects.exists()
        assert MediaImage.objects.filter(pk__in=ids).count() == 2
        assert mentions_for(friend) == 0


class TestCounters:
    def test_add_and_never_below_zero(self) -> None:
        note = NoteFactory()
        services.note_counter_add(note_id=note.pk, field="like_count", delta=2)
        services.note_counter_add(note_id=note.pk, field="like_count", delta=-1)
        services.note_counter_add(note_id=note.pk, field="save_count", delta=-3)
        note.refresh_from_db()
        assert (note.like_count, note.save_count) == (1, 0)

    def test_unknown_field(self) -> None:
        with pytest.raises(ValueError, match="unknown note counter"):
            services.note_counter_add(note_id=1, field="title", delta=1)


def test_drafts_of_pages_own_drafts() -> None:
    author = UserFactory()
    drafts = [NoteFactory(author=author, draft=True) for _ in range(5)]
    NoteFactory(author=author)
    NoteFactory(draft=True)
    first = drafts_of(author, None, 3)
    assert len(first.items) == 3 and first.next_cursor
    second = drafts_of(author, first.next_cursor, 3)
    assert second.next_cursor is None
    assert {n.pk for n in first.items + second.items} == {d.pk for d in drafts}
