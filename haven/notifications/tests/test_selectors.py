"""Tests of notifications.selectors: grouping, paging, registered filters, unread counts and texts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from haven.notifications import access, selectors, services
from haven.notifications.models import Notification
from haven.notifications.selectors import ActorSummary, NotificationGroup
from haven.notifications.tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db
Verb = Notification.Verb


def _like(owner, actor, note_id, *, minutes_ago=0):
    services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.LIKE_NOTE, note_id=note_id)
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    Notification.objects.filter(recipient=owner, actor=actor, note_id=note_id).update(created_at=at)


@pytest.fixture(autouse=True)
def _own_filters(monkeypatch):
    """Run against an empty filter registry: higher apps' filters (notes, graph) need their own rows."""
    monkeypatch.setattr(access, "_filters", [])


@pytest.fixture
def filter_registry():
    """Register filters for one test only."""
    added = []

    def register(fn):
        added.append(access.register_filter(fn))
        return fn

    yield register
    for fn in added:
        access.unregister_filter(fn)


def test_twelve_likes_show_as_one_group_with_count_12():
    owner = UserFactory()
    fans = UserFactory.create_batch(12)
    for i, fan in enumerate(fans):
        _like(owner, fan, 99, minutes_ago=100 - i)
    page = selectors.inbox(owner)
    assert len(page.items) == 1
    group = page.items[0]
    assert group.group_key == "like_note:99"
    assert group.actor_count == 12
    assert [a.username for a in group.actors] == [fans[11].username, fans[10].username, fans[9].username]
    assert group.unread and group.note_id == 99
    assert page.next_cursor is None
    assert selectors.group_text(group) == f"{fans[11].display_name} and 11 others liked your note"


def test_groups_ordered_by_latest_activity():
    owner, a, b = UserFactory(), UserFactory(), UserFactory()
    _like(owner, a, 1, minutes_ago=50)
    _like(owner, a, 2, minutes_ago=40)
    _like(owner, b, 1, minutes_ago=30)  # note 1 has the newest activity now
    page = selectors.inbox(owner)
    assert [g.group_key for g in page.items] == ["like_note:1", "like_note:2"]
    assert page.items[0].actor_count == 2


def test_paging_groups_has_no_duplicates_or_gaps():
    owner = UserFactory()
    fans = UserFactory.create_batch(3)
    minute = 1000
    for note_id in range(1, 26):
        for fan in fans:
            minute -= 1
            _like(owner, fan, note_id, minutes_ago=minute)
    keys, cursor, pages = [], None, 0
    while True:
        page = selectors.inbox(owner, cursor=cursor, limit=7)
        keys += [g.group_key for g in page.items]
        assert all(g.actor_count == 3 for g in page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert keys == [f"like_note:{n}" for n in range(25, 0, -1)]
    assert pages == 4


def test_a_group_larger_than_the_window_is_shown_once(monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_WINDOW", 10)
    owner = UserFactory()
    _like(owner, UserFactory(), 2, minutes_ago=500)
    for i in range(15):
        _like(owner, UserFactory(), 1, minutes_ago=100 - i)
    keys, cursor = [], None
    while True:
        page = selectors.inbox(owner, cursor=cursor, limit=1)
        keys += [(g.group_key, g.actor_count) for g in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert keys == [("like_note:1", 15), ("like_note:2", 1)]


def test_registered_filter_hides_rows_and_fixes_counts(filter_registry):
    owner, good, bad = UserFactory(), UserFactory(), UserFactory()
    _like(owner, good, 1, minutes_ago=3)
    _like(owner, bad, 1, minutes_ago=2)
    _like(owner, good, 2, minutes_ago=1)

    @filter_registry
    def hide_bad_and_note_2(recipient, rows):
        return [r for r in rows if r.actor_id != bad.pk and r.note_id != 2]

    page = selectors.inbox(owner)
    assert [(g.group_key, g.actor_count) for g in page.items] == [("like_note:1", 1)]
    assert [a.username for a in page.items[0].actors] == [good.username]
    assert selectors.unread_count(owner) == 1


def test_filters_run_in_order_and_see_only_the_recipients_rows(filter_registry):
    owner, a = UserFactory(), UserFactory()
    _like(owner, a, 1)
    seen = []

    @filter_registry
    def record(recipient, rows):
        seen.append((recipient.pk, [r.recipient_id for r in rows]))
        return rows

    filter_registry(record)  # registering twice is a no-op
    selectors.inbox(owner)
    assert seen == [(owner.pk, [owner.pk])]


def test_unread_count_counts_groups_and_read_state():
    owner = UserFactory()
    for fan in UserFactory.create_batch(3):
        _like(owner, fan, 1)
    _like(owner, fan, 2)
    assert selectors.unread_count(owner) == 2
    services.mark_read(user=owner, group_keys=["like_note:1"])
    assert selectors.unread_count(owner) == 1
    page = selectors.inbox(owner)
    assert {g.group_key: g.unread for g in page.items} == {"like_note:1": False, "like_note:2": True}
    services.mark_read(user=owner)
    assert selectors.unread_count(owner) == 0


def test_unread_count_is_bounded(monkeypatch):
    monkeypatch.setattr(selectors, "UNREAD_SCAN", 20)
    owner, fan = UserFactory(), UserFactory()
    NotificationFactory.create_batch(120, recipient=owner, actor=fan)
    assert selectors.unread_count(owner) == selectors.UNREAD_LIMIT == 100


def test_inbox_rejects_bad_input():
    owner = UserFactory()
    with pytest.raises(Exception) as exc:
        selectors.inbox(owner, cursor="nonsense")
    assert exc.value.code == "invalid_cursor"
    with pytest.raises(Exception) as exc:
        selectors.inbox(owner, limit=51)
    assert exc.value.code == "invalid_page_size"


def _group(verb, count, names=("Ann",)):
    actors = [
        ActorSummary(id=i, username=n.lower(), display_name=n, avatar_url="") for i, n in enumerate(names)
    ]
    return NotificationGroup(
        group_key="k",
        verb=verb,
        note_id=1,
        comment_id=None,
        created_at=timezone.now(),
        unread=True,
        actor_count=count,
        actors=actors,
    )


@pytest.mark.parametrize(
    ("verb", "count", "text"),
    [
        (Verb.LIKE_NOTE, 1, "Ann liked your note"),
        (Verb.LIKE_NOTE, 2, "Ann and 1 other liked your note"),
        (Verb.LIKE_COMMENT, 5, "Ann and 4 others liked your comment"),
        (Verb.FOLLOW, 3, "Ann and 2 others started following you"),
        (Verb.FOLLOW, 1, "Ann started following you"),
        (Verb.COMMENT, 1, "Ann commented on your note"),
        (Verb.REPLY, 1, "Ann replied to your comment"),
        (Verb.MENTION, 1, "Ann mentioned you"),
        (Verb.FOLLOW_REQUEST, 1, "Ann asked to follow you"),
        (Verb.FOLLOW_ACCEPTED, 1, "Ann accepted your follow request"),
    ],
)
def test_group_text(verb, count, text):
    with translation.override("en"):
        assert selectors.group_text(_group(verb, count)) == text


def test_group_text_uses_username_without_display_name():
    group = _group(Verb.LIKE_NOTE, 1, names=("",))
    group.actors = [ActorSummary(id=1, username="ann_1", display_name="", avatar_url="")]
    assert selectors.group_text(group) == "ann_1 liked your note"
