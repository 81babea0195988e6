"""The note visibility rule: every case, an exhaustive oracle, and the notifications filter."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from haven.core.errors import NotFound
from haven.notes import access
from haven.notes.models import Note, Visibility
from haven.notes.tests.factories import NoteFactory, UserFactory, block, follow, mute
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db

VISIBILITIES = (Visibility.PUBLIC, Visibility.FOLLOWERS, Visibility.PRIVATE)


def visible_ids(viewer) -> set[int]:  # type: ignore[no-untyped-def]
    return set(access.visible_notes(viewer).values_list("pk", flat=True))


def oracle(
    *,
    is_author: bool,
    anonymous: bool,
    published: bool,
    visibility: str,
    author_private: bool,
    follows: bool,
    blocked: bool,
) -> bool:
    """The rule of docs/development.md, written independently of the queryset."""
    if is_author:
        return True
    if not published or blocked:
        return False
    if anonymous:
        return visibility == Visibility.PUBLIC and not author_private
    if visibility == Visibility.PUBLIC:
        return not author_private or follows
    if visibility == Visibility.FOLLOWERS:
        return follows
    return False


class TestRuleCases:
    def test_anonymous_sees_only_published_public_notes_of_public_accounts(self) -> None:
        public = NoteFactory()
        NoteFactory(visibility=Visibility.FOLLOWERS)
        NoteFactory(visibility=Visibility.PRIVATE)
        NoteFactory(draft=True)
        NoteFactory(author=UserFactory(private=True))
        assert visible_ids(AnonymousUser()) == {public.pk}
        assert visible_ids(None) == {public.pk}

    def test_author_sees_all_own_notes(self) -> None:
        author = UserFactory(private=True)
        mine = {NoteFactory(author=author, visibility=v).pk for v in VISIBILITIES}
        mine.add(NoteFactory(author=author, draft=True).pk)
        assert visible_ids(author) == mine

    def test_drafts_are_for_the_author_alone(self) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(viewer, author)
        NoteFactory(author=author, draft=True)
        assert visible_ids(viewer) == set()

    def test_followers_only_needs_a_follow(self) -> None:
        viewer, author = UserFactory(), UserFactory()
        note = NoteFactory(author=author, visibility=Visibility.FOLLOWERS)
        assert note.pk not in visible_ids(viewer)
        follow(viewer, author)
        assert note.pk in visible_ids(viewer)

    def test_follow_in_the_other_direction_does_not_count(self) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(author, viewer)
        note = NoteFactory(author=author, visibility=Visibility.FOLLOWERS)
        assert note.pk not in visible_ids(viewer)

    def test_private_notes_are_only_me_even_for_followers(self) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(viewer, author)
        note = NoteFactory(author=author, visibility=Visibility.PRIVATE)
        assert note.pk not in visible_ids(viewer)

    def test_public_note_of_a_private_account_needs_an_approved_follow(self) -> None:
        viewer, author = UserFactory(), UserFactory(private=True)
        note = NoteFactory(author=author)
        assert note.pk not in visible_ids(viewer)
        follow(viewer, author)
        assert note.pk in visible_ids(viewer)

    @pytest.mark.parametrize("direction", ["viewer_blocks", "author_blocks"])
    def test_blocks_hide_notes_both_ways(self, direction: str) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(viewer, author)
        notes = {
            NoteFactory(author=author, visibility=v).pk for v in (Visibility.PUBLIC, Visibility.FOLLOWERS)
        }
        assert notes <= visible_ids(viewer)
        if direction == "viewer_blocks":
            block(viewer, author)
        else:
            block(author, viewer)
        assert not notes & visible_ids(viewer)

    def test_block_with_a_third_member_changes_nothing(self) -> None:
        viewer, author, other = UserFactory(), UserFactory(), UserFactory()
        block(viewer, other)
        block(other, author)
        note = NoteFactory(author=author)
        assert note.pk in visible_ids(viewer)

    def test_mutes_do_not_hide_notes_outside_feeds(self) -> None:
        viewer, author = UserFactory(), UserFactory()
        mute(viewer, author)
        note = NoteFactory(author=author)
        assert note.pk in visible_ids(viewer)


def test_oracle_over_every_combination() -> None:
    """Every combination of author privacy, follow, block direction, visibility and status."""
    viewer = UserFactory()
    expected_for_viewer: dict[int, bool] = {}
    expected_for_anonymous: dict[int, bool] = {}
    for author_private, follows, blocks_author, blocked_by_author in itertools.product(
        [False, True], repeat=4
    ):
        author = UserFactory(is_private=author_private)
        if follows:
            follow(viewer, author)
        if blocks_author:
            block(viewer, author)
        if blocked_by_author:
            block(author, viewer)
        for visibility, published in itertools.product(VISIBILITIES, [True, False]):
            note = NoteFactory(author=author, visibility=visibility, draft=not published)
            facts = {
                "is_author": False,
                "published": published,
                "visibility": visibility,
                "author_private": author_private,
                "follows": follows,
            }
            expected_for_viewer[note.pk] = oracle(
                anonymous=False, blocked=blocks_author or blocked_by_author, **facts
            )
            expected_for_anonymous[note.pk] = oracle(anonymous=True, blocked=False, **facts)
    own = NoteFactory(author=viewer, visibility=Visibility.PRIVATE, draft=True)
    expected_for_viewer[own.pk] = True
    expected_for_anonymous[own.pk] = False

    assert visible_ids(viewer) == {pk for pk, ok in expected_for_viewer.items() if ok}
    assert visible_ids(AnonymousUser()) == {pk for pk, ok in expected_for_anonymous.items() if ok}
    for note in Note.objects.all():
        assert access.can_view_note(viewer, note) is expected_for_viewer[note.pk]
        assert access.viewers_among(note, [viewer.pk]) == (
            {viewer.pk} if expected_for_viewer[note.pk] else set()
        )


def test_visible_notes_is_one_query_that_composes(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    viewer = UserFactory()
    for _ in range(3):
        author = UserFactory()
        follow(viewer, author)
        NoteFactory(author=author, visibility=Visibility.FOLLOWERS)
    with django_assert_num_queries(1):
        rows = list(
            access.visible_notes(viewer).filter(visibility=Visibility.FOLLOWERS).order_by("-published_at")[:2]
        )
    assert len(rows) == 2


def test_get_visible_note_hides_missing_and_forbidden_alike() -> None:
    viewer = UserFactory()
    hidden = NoteFactory(visibility=Visibility.PRIVATE)
    with pytest.raises(NotFound) as forbidden:
        access.get_visible_note(viewer, hidden.pk)
    with pytest.raises(NotFound) as missing:
        access.get_visible_note(viewer, 10**9)
    assert forbidden.value.code == missing.value.code == "not_found"
    for bad in (None, "x", 0, -1, 2**70):
        with pytest.raises(NotFound):
            access.get_visible_note(viewer, bad)
    note = NoteFactory()
    assert access.get_visible_note(viewer, note.pk) == note


def test_editable_note_is_for_the_author_only() -> None:
    note = NoteFactory()
    assert access.editable_note_or_404(note.author, note.pk) == note
    with pytest.raises(NotFound):
        access.editable_note_or_404(UserFactory(), note.pk)
    with pytest.raises(NotFound):
        access.editable_note_or_404(AnonymousUser(), note.pk)


def test_viewers_among_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    author = UserFactory(private=True)
    fan, stranger, blocker = UserFactory(), UserFactory(), UserFactory()
    follow(fan, author)
    follow(blocker, author)
    block(blocker, author)
    note = NoteFactory(author=author)
    with django_assert_num_queries(1):
        seen = access.viewers_among(note, [fan.pk, stranger.pk, blocker.pk, author.pk])
    assert seen == {fan.pk, author.pk}
    draft = NoteFactory(author=author, draft=True)
    assert access.viewers_among(draft, [fan.pk, author.pk]) == {author.pk}


def test_notification_filter_drops_invisible_and_deleted_notes(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    recipient, actor = UserFactory(), UserFactory()
    shown = NoteFactory(author=recipient)
    hidden = NoteFactory(author=actor, visibility=Visibility.PRIVATE)
    rows = [
        Notification(recipient=recipient, actor=actor, verb="like_note", note_id=shown.pk, group_key="a"),
        Notification(recipient=recipient, actor=actor, verb="mention", note_id=hidden.pk, group_key="b"),
        Notification(recipient=recipient, actor=actor, verb="mention", note_id=10**9, group_key="c"),
        Notification(recipient=recipient, actor=actor, verb="follow", group_key="d"),
    ]
    with django_assert_num_queries(1):
        kept = access.filter_visible_notifications(recipient, rows)
    assert [n.group_key for n in kept] == ["a", "d"]
    with django_assert_num_queries(0):
        assert access.filter_visible_notifications(recipient, rows[3:]) == rows[3:]


def test_filter_is_registered_with_notifications() -> None:
    from haven.notifications.access import _filters

    assert access.filter_visible_notifications in _filters
