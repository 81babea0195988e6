"""Tests of feeds.selectors with real rows: Following, Discover, topics, profile notes and card data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from haven.core.errors import InvalidInput
from haven.engagement.models import NoteLike
from haven.feeds import selectors, services
from haven.feeds.models import SeenNote
from haven.feeds.tests.factories import NoteFactory, UserFactory, block, follow, mute, note_at, seen, tag
from haven.notes.models import Note, Visibility
from haven.notes.selectors import with_card_data

pytestmark = pytest.mark.django_db


def ids(page_or_list):
    items = page_or_list.items if hasattr(page_or_list, "items") else page_or_list
    return [n.pk for n in items]


def walk(fetch, limit, max_pages=50):
    """Follow next_cursor to the end; returns the ids of every page."""
    pages, cursor = [], None
    for _ in range(max_pages):
        page = fetch(cursor=cursor, limit=limit)
        pages.append(ids(page))
        cursor = page.next_cursor
        if cursor is None:
            return pages
    raise AssertionError("too many pages")


# --- Following ---------------------------------------------------------------------------------


def test_following_newest_first_and_paging_without_duplicates_or_gaps():
    viewer = UserFactory()
    authors = UserFactory.create_batch(3)
    for a in authors:
        follow(viewer, a)
    same_time = timezone.now() - dt.timedelta(hours=1)
    notes = [note_at(hours_ago=i, author=authors[i % 3]) for i in range(20)]
    notes += [NoteFactory(author=authors[i % 3], published_at=same_time, images=0) for i in range(5)]  # ties
    note_at(author=UserFactory())  # not followed
    note_at(author=viewer)  # own notes are not in Following
    expected = [n.pk for n in sorted(notes, key=lambda n: (n.published_at, n.pk), reverse=True)]
    pages = walk(lambda **kw: selectors.following_feed(viewer, **kw), limit=7)
    assert [len(p) for p in pages] == [7, 7, 7, 4]
    assert [pk for page in pages for pk in page] == expected


def test_following_excludes_muted_drafts_and_private_notes():
    viewer, a, b = UserFactory(), UserFactory(), UserFactory()
    follow(viewer, a)
    follow(viewer, b)
    mute(viewer, b)
    shown = note_at(author=a)
    note_at(author=b)
    NoteFactory(author=a, draft=True, images=0)
    note_at(author=a, visibility=Visibility.PRIVATE)
    assert ids(selectors.following_feed(viewer)) == [shown.pk]


def test_followers_only_notes_for_followers_only_and_blocked_never():
    follower, stranger, author = UserFactory(), UserFactory(), UserFactory()
    follow(follower, author)
    friends_only = note_at(author=author, visibility=Visibility.FOLLOWERS)
    assert ids(selectors.following_feed(follower)) == [friends_only.pk]
    assert ids(selectors.following_feed(stranger)) == []
    assert ids(selectors.discover_feed(follower)) == []  # Discover is public notes only
    assert ids(selectors.profile_notes(stranger, author)) == []
    assert ids(selectors.profile_notes(follower, author)) == [friends_only.pk]
    block(author, follower)  # even with a stale follow row, a block hides everything
    assert ids(selectors.following_feed(follower)) == []
    assert ids(selectors.profile_notes(follower, author)) == []


def test_private_account_notes_reach_followers_only():
    follower, stranger = UserFactory(), UserFactory()
    author = UserFactory(private=True)
    follow(follower, author)
    note = note_at(author=author)
    assert ids(selectors.following_feed(follower)) == [note.pk]
    assert ids(selectors.discover_feed(follower)) == [note.pk]
    assert ids(selectors.discover_feed(stranger)) == []
    assert ids(selectors.discover_feed(AnonymousUser())) == []


def test_following_for_anonymous_is_empty_and_bad_cursor_refused():
    assert selectors.following_feed(AnonymousUser()).items == []
    with pytest.raises(InvalidInput) as exc:
        selectors.following_feed(UserFactory(), cursor="abc")
    assert exc.value.code == "invalid_cursor"
    viewer = UserFactory()
    other = UserFactory()
    note_at(author=other, hours_ago=1)
    note_at(author=other, hours_ago=2)
    cursor = selectors.profile_notes(viewer, other, limit=1).next_cursor
    with pytest.raises(InvalidInput):  # a profile cursor is not a Following cursor
        selectors.following_feed(viewer, cursor=cursor)


# --- Discover ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("v0_ranking")
def test_discover_time_decay_beats_stale_popularity():
    viewer = UserFactory()
    stale = note_at(hours_ago=24 * 20, like_count=300, save_count=40)
    fresh = note_at(hours_ago=1, like_count=2)
    assert ids(selectors.discover_feed(viewer)) == [fresh.pk, stale.pk]


def test_discover_leaves_out_old_muted_and_non_public_notes():
    viewer, muted = UserFactory(), UserFactory()
    mute(viewer, muted)
    kept = note_at(hours_ago=5)
    note_at(hours_ago=24 * 31)  # older than the candidate window
    note_at(author=muted)
    note_at(visibility=Visibility.FOLLOWERS)
    NoteFactory(draft=True, images=0)
    assert ids(selectors.discover_feed(viewer)) == [kept.pk]


@pytest.mark.usefixtures("v0_ranking")
def test_discover_language_boost_from_languages_and_interface():
    english = note_at(hours_ago=1, like_count=10, language="en")
    chinese = note_at(hours_ago=1, like_count=8, language="zh")
    reader = UserFactory(languages=["zh"])
    assert ids(selectors.discover_feed(reader)) == [chinese.pk, english.pk]
    zh_interface = UserFactory(languages=[], interface_language="zh-hans")
    assert ids(selectors.discover_feed(zh_interface)) == [chinese.pk, english.pk]
    assert ids(selectors.discover_feed(reader, non_personalized=True)) == [english.pk, chinese.pk]
    assert ids(selectors.discover_feed(AnonymousUser())) == [english.pk, chinese.pk]


@pytest.mark.usefixtures("v0_ranking")
def test_discover_records_impressions_and_pushes_seen_notes_down():
    viewer = UserFactory(languages=[])
    top = note_at(hours_ago=1, like_count=10)
    second = note_at(hours_ago=1, like_count=6)
    assert ids(selectors.discover_feed(viewer, limit=1)) == [top.pk]
    assert set(SeenNote.objects.filter(user=viewer).values_list("note_id", flat=True)) == {top.pk}
    # A new first page re-ranks: the note already served drops below the unseen one.
    assert ids(selectors.discover_feed(viewer)) == [second.pk, top.pk]
    assert ids(selectors.discover_feed(viewer, non_personalized=True, record_seen=False)) == [
        top.pk,
        second.pk,
    ]


def test_discover_anonymous_records_nothing():
    note_at()
    assert len(selectors.discover_feed(AnonymousUser()).items) == 1
    assert len(selectors.discover_feed(None).items) == 1
    assert not SeenNote.objects.exists()


def test_discover_diversity_two_per_author_per_page():
    viewer = UserFactory(languages=[])
    star = UserFactory()
    for i in range(10):
        note_at(author=star, hours_ago=1, like_count=100 + i)
    for _ in range(40):  # enough other authors to fill two pages
        note_at(hours_ago=2, like_count=1)
    page = selectors.discover_feed(viewer, limit=20)
    assert sum(1 for n in page.items if n.author_id == star.pk) == 2
    second = selectors.discover_feed(viewer, cursor=page.next_cursor, limit=20)
    assert sum(1 for n in second.items if n.author_id == star.pk) == 2


def test_discover_paging_is_stable_across_pages():
    viewer = UserFactory()
    for i in range(30):
        note_at(hours_ago=i, like_count=i % 7)
    first = selectors.discover_feed(viewer, limit=10)
    # Activity between pages must not reshuffle the pages still to come.
    Note.objects.update(like_count=0)
    note_at(hours_ago=0, like_count=1000)
    second = selectors.discover_feed(viewer, cursor=first.next_cursor, limit=10)
    third = selectors.discover_feed(viewer, cursor=second.next_cursor, limit=10)
    served = ids(first) + ids(second) + ids(third)
    assert len(served) == 30 and len(set(served)) == 30
    assert third.next_cursor is None


def test_discover_rebuilds_an_expired_ranking():
    from django.core.cache import cache

    viewer = UserFactory()
    for i in range(4):
        note_at(hours_ago=i)
    first = selectors.discover_feed(viewer, limit=2)
    cache.clear()
    second = selectors.discover_feed(viewer, cursor=first.next_cursor, limit=2)
    assert len(second.items) == 2


def test_discover_drops_notes_hidden_after_ranking():
    viewer = UserFactory()
    notes = [note_at(hours_ago=i) for i in range(4)]
    first = selectors.discover_feed(viewer, limit=2)
    Note.objects.filter(pk=notes[2].pk).update(visibility=Visibility.PRIVATE)
    second = selectors.discover_feed(viewer, cursor=first.next_cursor, limit=2)
    assert ids(second) == [notes[3].pk]


def test_discover_cursor_of_another_list_is_refused():
    viewer = UserFactory()
    for hours in (1, 2):
        tag(note_at(hours_ago=hours), "x")
    topic_cursor = selectors.topic_feed(viewer, "x", limit=1, order="hot").next_cursor
    assert topic_cursor is not None
    with pytest.raises(InvalidInput) as exc:
        selectors.discover_feed(viewer, cursor=topic_cursor)
    assert exc.value.code == "invalid_cursor"


# --- Topics ------------------------------------------------------------------------------------


def test_topic_feed_new_and_hot_with_chinese_tag():
    viewer, muted = UserFactory(), UserFactory()
    mute(viewer, muted)
    old_hit = note_at(hours_ago=30, like_count=500)
    fresh = note_at(hours_ago=1)
    untagged = note_at(hours_ago=2)
    hidden = note_at(author=muted)
    for n in (old_hit, fresh, hidden):
        tag(n, "咖啡")
    assert ids(selectors.topic_feed(viewer, "咖啡")) == [fresh.pk, old_hit.pk]
    assert ids(selectors.topic_feed(viewer, "#咖啡#", order="hot")) == [old_hit.pk, fresh.pk]
    assert untagged.pk not in ids(selectors.topic_feed(AnonymousUser(), "咖啡"))
    info = selectors.topic_info("咖啡")
    assert info == {"tag": "咖啡", "exists": True, "note_count": 3}
    assert selectors.topic_info("nothing") == {"tag": "nothing", "exists": False, "note_count": 0}


def test_topic_tag_is_normalized_and_validated():
    note = note_at()
    tag(note, "coffee")
    assert ids(selectors.topic_feed(None, "#Coffee")) == [note.pk]
    assert ids(selectors.topic_feed(None, "ＣＯＦＦＥＥ")) == [note.pk]  # full-width folds (NFKC)
    for bad in ("", "#", "a b", "x" * 65, "semi;colon"):
        with pytest.raises(InvalidInput) as exc:
            selectors.topic_feed(None, bad)
        assert exc.value.code == "invalid_tag"
    with pytest.raises(InvalidInput) as exc:
        selectors.topic_feed(None, "coffee", order="top")
    assert exc.value.code == "invalid_order"


def test_topic_paging_new():
    notes = [note_at(hours_ago=i) for i in range(5)]
    for n in notes:
        tag(n, "walk")
    pages = walk(lambda **kw: selectors.topic_feed(None, "walk", **kw), limit=2)
    assert pages == [[notes[0].pk, notes[1].pk], [notes[2].pk, notes[3].pk], [notes[4].pk]]


# --- Profile -----------------------------------------------------------------------------------


def test_profile_notes_exclude_drafts_even_for_owner():
    owner, viewer = UserFactory(), UserFactory()
    public = note_at(author=owner, hours_ago=2)
    private = note_at(author=owner, hours_ago=1, visibility=Visibility.PRIVATE)
    NoteFactory(author=owner, draft=True, images=0)
    assert ids(selectors.profile_notes(owner, owner)) == [private.pk, public.pk]
    assert ids(selectors.profile_notes(viewer, owner)) == [public.pk]
    mute(viewer, owner)  # mutes only apply to feeds, not to a profile
    assert ids(selectors.profile_notes(viewer, owner)) == [public.pk]


# --- Card data ---------------------------------------------------------------------------------


def test_card_data_fields():
    viewer = UserFactory()
    author = UserFactory(display_name="阿明")
    liked = NoteFactory(author=author, images=3, title="Morning", language="en", like_count=4)
    note_at(author=author, hours_ago=1)
    NoteLike.objects.create(user=viewer, note=liked)
    page = selectors.following_feed(viewer)  # not following: empty
    assert page.items == []
    notes = selectors.profile_notes(viewer, author).items
    cards = selectors.card_data(viewer, notes)
    first, second = cards
    assert first["id"] == liked.pk and first["title"] == "Morning"
    assert first["liked"] is True and second["liked"] is False
    assert first["like_count"] == 4 and first["image_count"] == 3 and second["image_count"] == 0
    assert first["author"] == {"username": author.username, "display_name": "阿明", "avatar_url": ""}
    assert first["visibility"] == "public" and first["language"] == "en"
    assert first["published_at"] == liked.published_at
    cover = first["cover"]
    assert cover["width"] == 1080 and cover["height"] == 1440 and cover["blurhash"]
    assert cover["grid_url"].endswith("-grid.webp") and cover["alt_text"] == ""
    assert second["cover"] is None
    plain = list(with_card_data(Note.objects.filter(author=author)).order_by("-published_at"))
    assert [c["image_count"] for c in selectors.card_data(viewer, plain)] == [3, 0]  # counted in one query
    anonymous_cards = selectors.card_data(AnonymousUser(), notes)
    assert [c["liked"] for c in anonymous_cards] == [False, False]
    assert selectors.card_data(viewer, []) == []


# --- mark_seen ---------------------------------------------------------------------------------


def test_mark_seen_upserts_bounded_and_ignores_deleted_notes(django_assert_num_queries):
    user = UserFactory()
    notes = [note_at() for _ in range(3)]
    seen(user, notes[0])
    before = timezone.now() - dt.timedelta(hours=1)
    SeenNote.objects.filter(user=user).update(seen_at=before)
    gone = notes[2].pk
    notes[2].delete()
    with django_assert_num_queries(1):  # one statement: insert what exists, update what was there
        assert services.mark_seen(user=user, note_ids=[notes[0].pk, notes[1].pk, notes[1].pk, gone]) == 2
    rows = dict(SeenNote.objects.filter(user=user).values_list("note_id", "seen_at"))
    assert set(rows) == {notes[0].pk, notes[1].pk}
    assert rows[notes[0].pk] > before
    assert SeenNote.objects.filter(user=user).count() == 2
    assert services.mark_seen(user=AnonymousUser(), note_ids=[notes[0].pk]) == 0
    assert services.mark_seen(user=user, note_ids=[]) == 0
    many = [note_at() for _ in range(3)]
    assert services.mark_seen(user=user, note_ids=[n.pk for n in many] * 50) == 3


def test_seen_prune_removes_old_impressions_only():
    user = UserFactory()
    old, recent = note_at(), note_at()
    seen(user, old, recent)
    SeenNote.objects.filter(note=old).update(seen_at=timezone.now() - dt.timedelta(days=31))
    assert services.seen_prune() == 1
    assert list(SeenNote.objects.values_list("note_id", flat=True)) == [recent.pk]
    assert services.seen_prune() == 0


def test_discover_leaves_out_the_viewers_own_notes():
    viewer = UserFactory(languages=[])
    mine = note_at(author=viewer, hours_ago=1, like_count=500)
    other = note_at(hours_ago=3)
    assert ids(selectors.discover_feed(viewer)) == [other.pk]
    assert mine.pk in ids(selectors.discover_feed(AnonymousUser()))


@pytest.mark.usefixtures("v0_ranking")
def test_discover_never_puts_one_author_back_to_back_while_others_remain():
    viewer = UserFactory(languages=[])
    star = UserFactory()
    first = note_at(author=star, hours_ago=1, like_count=100)
    second = note_at(author=star, hours_ago=1, like_count=90)
    others = [note_at(hours_ago=2, like_count=1) for _ in range(3)]
    order = ids(selectors.discover_feed(viewer))
    assert order[0] == first.pk
    assert order[1] != second.pk and order[1] in {o.pk for o in others}
    assert second.pk in order
