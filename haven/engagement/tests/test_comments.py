"""Comments: threading, flattening, counters, notifications, visibility and query budgets."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from haven.core.errors import InvalidInput, NotFound
from haven.engagement import services
from haven.engagement.access import get_visible_comment, visible_comments
from haven.engagement.models import Comment
from haven.engagement.selectors import comment_replies_preview, comments_page, liked_comment_ids, replies_page
from haven.engagement.tests.factories import CommentFactory, NoteFactory, UserFactory, block, follow
from haven.notes.models import Note, Visibility
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db


def verbs_for(user) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def counts(note: Note) -> int:
    note.refresh_from_db()
    return note.comment_count


class TestCreate:
    def test_top_level_comment(self) -> None:
        note, commenter = NoteFactory(), UserFactory()
        comment = services.comment_create(author=commenter, note_id=note.pk, body="  Looks great!  ")
        assert comment.body == "Looks great!" and comment.parent_id is None and comment.reply_to_id is None
        assert comment.body_html == "<p>Looks great!</p>"
        assert comment.language == "en"
        assert counts(note) == 1
        assert verbs_for(note.author) == ["comment"]

    def test_reply_and_reply_to_reply_flatten(self) -> None:
        note = NoteFactory()
        alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
        top = services.comment_create(author=alice, note_id=note.pk, body="first")
        reply = services.comment_create(author=bob, note_id=note.pk, body="agree", parent_id=top.pk)
        assert reply.parent_id == top.pk and reply.reply_to_id is None
        nested = services.comment_create(author=carol, note_id=note.pk, body="me too", parent_id=reply.pk)
        assert nested.parent_id == top.pk
        assert nested.reply_to_id == bob.pk
        top.refresh_from_db()
        assert top.reply_count == 2
        assert counts(note) == 3
        assert verbs_for(alice) == ["reply"]
        assert verbs_for(bob) == ["reply"]
        assert verbs_for(note.author) == ["comment", "comment", "comment"]

    def test_note_author_replying_is_not_told_about_it(self) -> None:
        note, fan = NoteFactory(), UserFactory()
        top = services.comment_create(author=fan, note_id=note.pk, body="hi")
        services.comment_create(author=note.author, note_id=note.pk, body="hello", parent_id=top.pk)
        assert verbs_for(note.author) == ["comment"]
        assert verbs_for(fan) == ["reply"]

    def test_reply_to_the_note_author_is_one_notification(self) -> None:
        note, fan = NoteFactory(), UserFactory()
        top = services.comment_create(author=note.author, note_id=note.pk, body="ask me")
        services.comment_create(author=fan, note_id=note.pk, body="ok", parent_id=top.pk)
        assert verbs_for(note.author) == ["reply"]

    def test_mentions_link_and_notify_only_those_who_see_the_note(self) -> None:
        author = UserFactory()
        note = NoteFactory(author=author, visibility=Visibility.FOLLOWERS)
        fan, stranger = UserFactory(username="fan"), UserFactory(username="stranger")
        follow(fan, author)
        commenter = UserFactory()
        follow(commenter, author)
        comment = services.comment_create(
            author=commenter, note_id=note.pk, body="@fan @stranger @ghost look"
        )
        assert "@fan</a>" in comment.body_html and "@stranger</a>" in comment.body_html
        assert "@ghost</a>" not in comment.body_html
        assert verbs_for(fan) == ["mention"]
        assert verbs_for(stranger) == []

    def test_chinese_comment(self) -> None:
        note = NoteFactory()
        comment = services.comment_create(author=UserFactory(), note_id=note.pk, body="太好看了，求链接")
        assert comment.language == "zh-Hans"

    @pytest.mark.parametrize(("body", "code"), [("   ", "comment_empty"), ("x" * 1001, "comment_too_long")])
    def test_bounds(self, body: str, code: str) -> None:
        with pytest.raises(InvalidInput) as err:
            services.comment_create(author=UserFactory(), note_id=NoteFactory().pk, body=body)
        assert err.value.code == code

    def test_hidden_note_or_parent(self) -> None:
        commenter = UserFactory()
        with pytest.raises(NotFound):
            services.comment_create(author=commenter, note_id=NoteFactory(visibility="private").pk, body="hi")
        note, other_note = NoteFactory(), NoteFactory()
        elsewhere = CommentFactory(note=other_note)
        with pytest.raises(NotFound) as err:
            services.comment_create(author=commenter, note_id=note.pk, body="hi", parent_id=elsewhere.pk)
        assert err.value.code == "parent_not_found"
        blocker = UserFactory()
        blocked_top = CommentFactory(note=note, author=blocker)
        block(blocker, commenter)
        with pytest.raises(NotFound):
            services.comment_create(author=commenter, note_id=note.pk, body="hi", parent_id=blocked_top.pk)
        assert counts(note) == 0


class TestDelete:
    def test_top_level_with_replies(self) -> None:
        note = NoteFactory()
        top = services.comment_create(author=UserFactory(), note_id=note.pk, body="top")
        for _ in range(2):
            services.comment_create(author=UserFactory(), note_id=note.pk, body="r", parent_id=top.pk)
        other = services.comment_create(author=UserFactory(), note_id=note.pk, body="other")
        assert counts(note) == 4
        assert services.comment_delete(actor=top.author, comment_id=top.pk) == 3
        assert counts(note) == 1
        assert list(Comment.objects.values_list("pk", flat=True)) == [other.pk]
        assert not Notification.objects.filter(comment_id=top.pk).exists()

    def test_reply_by_the_note_author(self) -> None:
        note = NoteFactory()
        top = services.comment_create(author=UserFactory(), note_id=note.pk, body="top")
        reply = services.comment_create(author=UserFactory(), note_id=note.pk, body="r", parent_id=top.pk)
        assert services.comment_delete(actor=note.author, comment_id=reply.pk) == 1
        top.refresh_from_db()
        assert top.reply_count == 0 and counts(note) == 1

    def test_others_cannot_delete(self) -> None:
        comment = services.comment_create(author=UserFactory(), note_id=NoteFactory().pk, body="mine")
        with pytest.raises(NotFound):
            services.comment_delete(actor=UserFactory(), comment_id=comment.pk)
        with pytest.raises(NotFound):
            services.comment_delete(actor=AnonymousUser(), comment_id=comment.pk)
        with pytest.raises(NotFound):
            services.comment_delete(actor=comment.author, comment_id=10**9)


class TestCommentLikes:
    def test_like_unlike(self) -> None:
        comment = services.comment_create(author=UserFactory(), note_id=NoteFactory().pk, body="nice")
        fan = UserFactory()
        assert services.comment_like(user=fan, comment_id=comment.pk) is True
        assert services.comment_like(user=fan, comment_id=comment.pk) is False
        comment.refresh_from_db()
        assert comment.like_count == 1
        assert "like_comment" in verbs_for(comment.author)
        assert liked_comment_ids(fan, [comment.pk]) == {comment.pk}
        assert services.comment_unlike(user=fan, comment_id=comment.pk) is True
        assert services.comment_unlike(user=fan, comment_id=comment.pk) is False
        comment.refresh_from_db()
        assert comment.like_count == 0
        assert "like_comment" not in verbs_for(comment.author)

    def test_hidden_comment(self) -> None:
        fan = UserFactory()
        comment = CommentFactory()
        block(comment.author, fan)
        with pytest.raises(NotFound):
            services.comment_like(user=fan, comment_id=comment.pk)
        with pytest.raises(NotFound):
            services.comment_unlike(user=fan, comment_id=comment.pk)


class TestVisibility:
    def test_blocked_commenters_are_hidden_both_ways(self) -> None:
        note, viewer = NoteFactory(), UserFactory()
        shown = CommentFactory(note=note)
        blocked_by_viewer, blocker = CommentFactory(note=note), CommentFactory(note=note)
        block(viewer, blocked_by_viewer.author)
        block(blocker.author, viewer)
        assert set(visible_comments(viewer, note)) == {shown}
        assert set(visible_comments(AnonymousUser(), note)) == {shown, blocked_by_viewer, blocker}
        with pytest.raises(NotFound):
            get_visible_comment(viewer, blocker.pk)
        assert get_visible_comment(viewer, shown.pk) == shown

    def test_comment_on_a_hidden_note_is_hidden(self) -> None:
        comment = CommentFactory(note=NoteFactory(visibility=Visibility.FOLLOWERS))
        with pytest.raises(NotFound):
            get_visible_comment(UserFactory(), comment.pk)
        with pytest.raises(NotFound):
            get_visible_comment(AnonymousUser(), comment.pk)
        with pytest.raises(NotFound):
            get_visible_comment(AnonymousUser(), "nope")


class TestPages:
    def test_newest_and_top(self) -> None:
        note = NoteFactory()
        first, second, third = (CommentFactory(note=note) for _ in range(3))
        Comment.objects.filter(pk=first.pk).update(like_count=5)
        Comment.objects.filter(pk=third.pk).update(like_count=1)
        newest = comments_page(None, note, "newest", None, 10)
        assert [c.pk for c in newest.items] == [third.pk, second.pk, first.pk]
        top = comments_page(None, note, "top", None, 10)
        assert [c.pk for c in top.items] == [first.pk, third.pk, second.pk]
        with pytest.raises(InvalidInput) as err:
            comments_page(None, note, "random", None, 10)
        assert err.value.code == "invalid_order"

    def test_cursor_walks_everything_once(self) -> None:
        note = NoteFactory()
        made = {CommentFactory(note=note).pk for _ in range(7)}
        for order in ("newest", "top"):
            seen: list[int] = []
            cursor = None
            while True:
                page = comments_page(None, note, order, cursor, 3)
                seen.extend(c.pk for c in page.items)
                cursor = page.next_cursor
                if cursor is None:
                    break
            assert sorted(seen) == sorted(made)
        other = comments_page(None, NoteFactory(), "newest", None, 3)
        with pytest.raises(InvalidInput):
            comments_page(None, note, "top", comments_page(None, note, "newest", None, 3).next_cursor, 3)
        assert other.items == []

    def test_first_replies_are_prefetched_and_filtered(self) -> None:
        note, viewer = NoteFactory(), UserFactory()
        top = CommentFactory(note=note)
        replies = [CommentFactory(note=note, parent=top) for _ in range(5)]
        block(viewer, replies[0].author)
        page = comments_page(viewer, note, "newest", None, 10)
        assert [r.pk for r in comment_replies_preview(page.items[0])] == [r.pk for r in replies[1:4]]
        assert [c.pk for c in page.items] == [top.pk]
        all_replies = replies_page(viewer, top, None, 2)
        assert [r.pk for r in all_replies.items] == [replies[1].pk, replies[2].pk]
        rest = replies_page(viewer, top, all_replies.next_cursor, 10)
        assert [r.pk for r in rest.items] == [replies[3].pk, replies[4].pk] and rest.next_cursor is None

    @pytest.mark.parametrize("size", [2, 12])
    def test_query_count_does_not_grow(self, size: int, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
        note, viewer = NoteFactory(), UserFactory()
        for _ in range(size):
            top = CommentFactory(note=note)
            for _ in range(4):
                CommentFactory(note=note, parent=top)
        with django_assert_num_queries(2):
            page = comments_page(viewer, note, "top", None, size)
            previews = [comment_replies_preview(c) for c in page.items]
            names = [
                (c.author.username, [r.author.username for r in p])
                for c, p in zip(page.items, previews, strict=True)
            ]
        assert len(names) == size and all(len(p) == 3 for p in previews)
