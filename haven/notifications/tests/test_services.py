"""Tests of notifications.services: grouping keys, dedupe, no self-notify, retract, purge, mark read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.core.errors import InvalidInput
from haven.notifications import services
from haven.notifications.models import Notification
from haven.notifications.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Verb = Notification.Verb


def test_notify_creates_one_unread_row_with_group_key():
    owner, fan = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.LIKE_NOTE, note_id=42)
    row = Notification.objects.get()
    assert (row.recipient_id, row.actor_id, row.verb, row.note_id) == (owner.pk, fan.pk, "like_note", 42)
    assert row.group_key == "like_note:42"
    assert row.read_at is None


def test_no_self_notification():
    me = UserFactory()
    services.notify(recipient_id=me.pk, actor_id=me.pk, verb=Verb.LIKE_NOTE, note_id=1)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("verb", "kwargs", "key"),
    [
        (Verb.LIKE_NOTE, {"note_id": 7}, "like_note:7"),
        (Verb.LIKE_COMMENT, {"note_id": 7, "comment_id": 9}, "like_comment:9"),
        (Verb.COMMENT, {"note_id": 7, "comment_id": 9}, "comment:c9"),
        (Verb.REPLY, {"note_id": 7, "comment_id": 9}, "reply:c9"),
        (Verb.MENTION, {"note_id": 7}, "mention:n7"),
        (Verb.MENTION, {"note_id": 7, "comment_id": 9}, "mention:c9"),
    ],
)
def test_group_keys(verb, kwargs, key):
    owner, actor = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=verb, **kwargs)
    assert Notification.objects.get().group_key == key


def test_group_keys_per_actor_and_per_day():
    owner, actor = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.FOLLOW)
    services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.FOLLOW_REQUEST)
    services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.FOLLOW_ACCEPTED)
    keys = set(Notification.objects.values_list("group_key", flat=True))
    today = timezone.now().date().isoformat()
    assert keys == {f"follow:{today}", f"follow_request:{actor.pk}", f"follow_accepted:{actor.pk}"}


def test_unlike_relike_does_not_duplicate_or_bump():
    owner, fan = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.LIKE_NOTE, note_id=1)
    first = Notification.objects.get()
    services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.LIKE_NOTE, note_id=1)
    again = Notification.objects.get()
    assert again.pk == first.pk and again.created_at == first.created_at


def test_renotify_after_read_rearms_the_row():
    owner, fan = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.FOLLOW_REQUEST)
    old = timezone.now() - dt.timedelta(hours=3)
    Notification.objects.update(read_at=old, created_at=old)
    services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.FOLLOW_REQUEST)
    row = Notification.objects.get()
    assert row.read_at is None
    assert row.created_at > old


def test_invalid_verb_and_missing_target_are_refused():
    owner, fan = UserFactory(), UserFactory()
    with pytest.raises(InvalidInput) as exc:
        services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb="poke")
    assert exc.value.code == "invalid_notification_verb"
    with pytest.raises(InvalidInput) as exc:
        services.notify(recipient_id=owner.pk, actor_id=fan.pk, verb=Verb.LIKE_NOTE)
    assert exc.value.code == "invalid_notification_target"


def test_retract_removes_only_that_actors_row():
    owner, a, b = UserFactory(), UserFactory(), UserFactory()
    for actor in (a, b):
        services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.LIKE_NOTE, note_id=5)
        services.notify(recipient_id=owner.pk, actor_id=actor.pk, verb=Verb.FOLLOW)
    Notification.objects.filter(verb=Verb.FOLLOW, actor=a).update(group_key="follow:2020-01-01")
    assert (
        services.notification_retract(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=5)
        == 1
    )
    assert services.notification_retract(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.FOLLOW) == 1
    assert set(Notification.objects.values_list("actor_id", flat=True)) == {b.pk}


def test_purge_between_and_targets():
    owner, a, b = UserFactory(), UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=5)
    services.notify(recipient_id=a.pk, actor_id=owner.pk, verb=Verb.FOLLOW)
    services.notify(recipient_id=owner.pk, actor_id=b.pk, verb=Verb.LIKE_NOTE, note_id=5)
    services.notify(recipient_id=owner.pk, actor_id=b.pk, verb=Verb.LIKE_COMMENT, note_id=6, comment_id=8)
    services.notify(recipient_id=owner.pk, actor_id=b.pk, verb=Verb.FOLLOW)
    assert services.notification_purge_between(user_a_id=a.pk, user_b_id=owner.pk) == 2
    assert services.notification_purge_targets(note_ids=[5], comment_ids=[8]) == 2
    assert list(Notification.objects.values_list("verb", flat=True)) == ["follow"]
    assert services.notification_purge_targets() == 0


def test_mark_read_all_or_some_and_bounded():
    owner, a = UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=1)
    services.notify(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=2)
    services.notify(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=3)
    assert services.mark_read(user=owner, group_keys=["like_note:1", "like_note:1"]) == 1
    assert services.mark_read(user=owner, group_keys=[]) == 0
    assert services.mark_read(user=owner) == 2
    assert services.mark_read(user=owner) == 0
    with pytest.raises(InvalidInput) as exc:
        services.mark_read(user=owner, group_keys=[f"like_note:{i}" for i in range(201)])
    assert exc.value.code == "too_many_group_keys"


def test_mark_read_touches_only_the_members_rows():
    owner, other, a = UserFactory(), UserFactory(), UserFactory()
    services.notify(recipient_id=owner.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=1)
    services.notify(recipient_id=other.pk, actor_id=a.pk, verb=Verb.LIKE_NOTE, note_id=1)
    services.mark_read(user=owner)
    assert Notification.objects.get(recipient=other).read_at is None
