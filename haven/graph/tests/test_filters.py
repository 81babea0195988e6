"""The notifications filter graph registers: blocked actors' notifications are not shown."""

from __future__ import annotations

import pytest

from haven.accounts.tests.factories import UserFactory
from haven.graph.filters import drop_blocked_actors
from haven.graph.tests.factories import BlockFactory
from haven.notifications import access as notification_access
from haven.notifications.models import Notification
from haven.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_filter_is_registered() -> None:
    assert drop_blocked_actors in notification_access._filters


def test_blocked_actor_is_dropped_either_way(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    me, friend, blocked, blocker = UserFactory.create_batch(4)
    for actor in (friend, blocked, blocker):
        notify(recipient_id=me.pk, actor_id=actor.pk, verb=Notification.Verb.FOLLOW)
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=me)
    rows = list(Notification.objects.filter(recipient=me))
    with django_assert_num_queries(1):
        kept = drop_blocked_actors(me, rows)
    assert [n.actor_id for n in kept] == [friend.pk]
    assert [n.actor_id for n in notification_access.visible(me, rows)] == [friend.pk]
