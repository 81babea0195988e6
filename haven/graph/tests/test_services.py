"""Graph services with real rows: follows, requests, privacy switch, blocks, mutes and notifications."""

from __future__ import annotations

import pytest

from haven.accounts.services import profile_update
from haven.accounts.tests.factories import UserFactory
from haven.core.errors import Conflict, InvalidInput, NotFound
from haven.graph import selectors, services
from haven.graph.models import Block, Follow, FollowRequest, Mute
from haven.graph.tests.factories import BlockFactory, FollowFactory
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db

Verb = Notification.Verb


def _verbs(recipient) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return sorted(Notification.objects.filter(recipient=recipient).values_list("actor_id", "verb"))


class TestFollow:
    def test_public_account_is_followed_and_notified(self) -> None:
        a, b = UserFactory(), UserFactory()
        assert services.follow_create(follower=a, followee=b) == "followed"
        assert selectors.is_following(a, b)
        assert _verbs(b) == [(a.pk, Verb.FOLLOW)]

    def test_idempotent(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.follow_create(follower=a, followee=b)
        assert services.follow_create(follower=a, followee=b) == "followed"
        assert Follow.objects.count() == 1
        assert Notification.objects.count() == 1

    def test_private_account_gets_a_request(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        assert services.follow_create(follower=a, followee=b) == "requested"
        assert services.follow_create(follower=a, followee=b) == "requested"
        assert not selectors.is_following(a, b)
        assert selectors.has_pending_request(a, b)
        assert _verbs(b) == [(a.pk, Verb.FOLLOW_REQUEST)]

    def test_already_following_a_private_account_stays_followed(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        FollowFactory(follower=a, followee=b)
        assert services.follow_create(follower=a, followee=b) == "followed"
        assert not FollowRequest.objects.exists()

    def test_self(self) -> None:
        a = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.follow_create(follower=a, followee=a)
        assert exc.value.code == "cannot_follow_self"

    @pytest.mark.parametrize("direction", ["by_follower", "by_followee"])
    def test_blocked_either_way_is_not_found(self, direction: str) -> None:
        a, b = UserFactory(), UserFactory()
        if direction == "by_follower":
            BlockFactory(blocker=a, blocked=b)
        else:
            BlockFactory(blocker=b, blocked=a)
        with pytest.raises(NotFound):
            services.follow_create(follower=a, followee=b)
        assert not Follow.objects.exists() and not Notification.objects.exists()

    def test_inactive_member_is_not_found(self) -> None:
        with pytest.raises(NotFound):
            services.follow_create(follower=UserFactory(), followee=UserFactory(is_active=False))

    def test_following_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(services, "MAX_FOLLOWING", 2)
        a = UserFactory()
        for _i in range(2):
            services.follow_create(follower=a, followee=UserFactory())
        with pytest.raises(Conflict) as exc:
            services.follow_create(follower=a, followee=UserFactory())
        assert exc.value.code == "too_many_following"

    def test_unfollow_retracts_notification(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.follow_create(follower=a, followee=b)
        services.follow_delete(follower=a, followee=b)
        services.follow_delete(follower=a, followee=b)
        assert not Follow.objects.exists()
        assert _verbs(b) == []

    def test_unfollow_withdraws_request(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        services.follow_create(follower=a, followee=b)
        services.follow_delete(follower=a, followee=b)
        assert not FollowRequest.objects.exists()
        assert _verbs(b) == []

    def test_follower_remove(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.follow_create(follower=a, followee=b)
        services.follower_remove(owner=b, follower=a)
        services.follower_remove(owner=b, follower=a)
        assert not selectors.is_following(a, b)


class TestRequests:
    def test_approve_makes_a_follow_and_notifies(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        services.follow_create(follower=a, followee=b)
        services.follow_request_approve(target=b, requester=a)
        assert selectors.is_following(a, b)
        assert not selectors.has_pending_request(a, b)
        assert _verbs(a) == [(b.pk, Verb.FOLLOW_ACCEPTED)]
        assert _verbs(b) == []  # the request entry is resolved

    def test_approve_without_request(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        with pytest.raises(NotFound) as exc:
            services.follow_request_approve(target=b, requester=a)
        assert exc.value.code == "follow_request_not_found"

    def test_deny(self) -> None:
        a, b = UserFactory(), UserFactory(private=True)
        services.follow_create(follower=a, followee=b)
        services.follow_request_deny(target=b, requester=a)
        assert not selectors.is_following(a, b)
        assert not FollowRequest.objects.exists()
        assert Notification.objects.count() == 0
        with pytest.raises(NotFound):
            services.follow_request_deny(target=b, requester=a)

    def test_approve_all(self) -> None:
        target = UserFactory(private=True)
        requesters = UserFactory.create_batch(3)
        for r in requesters:
            services.follow_create(follower=r, followee=target)
        assert services.follow_requests_approve_all(target=target) == 3
        assert selectors.follower_count(target) == 3
        assert not FollowRequest.objects.exists()
        for r in requesters:
            assert _verbs(r) == [(target.pk, Verb.FOLLOW_ACCEPTED)]
        assert services.follow_requests_approve_all(target=target) == 0

    def test_going_public_approves_pending_requests(self) -> None:
        """accounts.profile_update runs graph's hook (registered in GraphConfig.ready)."""
        target = UserFactory(private=True)
        requester = UserFactory()
        services.follow_create(follower=requester, followee=target)
        profile_update(user=target, is_private=False)
        assert selectors.is_following(requester, target)
        assert not FollowRequest.objects.exists()


class TestBlocks:
    def test_block_removes_everything_between_both(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.follow_create(follower=a, followee=b)
        services.follow_create(follower=b, followee=a)
        c = UserFactory()
        services.follow_create(follower=a, followee=c)
        services.block_create(blocker=a, blocked=b)
        assert not Follow.objects.filter(follower__in=[a, b], followee__in=[a, b]).exists()
        assert selectors.is_following(a, c)  # others untouched
        assert selectors.blocked_ids(a) == {b.pk}
        assert selectors.blocked_ids(b) == {a.pk}
        assert _verbs(a) == [] and _verbs(b) == []

    def test_block_removes_requests_both_ways(self) -> None:
        a, b = UserFactory(private=True), UserFactory(private=True)
        services.follow_create(follower=a, followee=b)
        services.follow_create(follower=b, followee=a)
        services.block_create(blocker=b, blocked=a)
        assert not FollowRequest.objects.exists()

    def test_block_idempotent_and_delete(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.block_create(blocker=a, blocked=b)
        services.block_create(blocker=a, blocked=b)
        assert Block.objects.count() == 1
        services.block_delete(blocker=a, blocked=b)
        services.block_delete(blocker=a, blocked=b)
        assert selectors.blocked_ids(a) == set()
        assert services.follow_create(follower=a, followee=b) == "followed"

    def test_block_self(self) -> None:
        a = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.block_create(blocker=a, blocked=a)
        assert exc.value.code == "cannot_block_self"

    def test_blocks_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(services, "MAX_BLOCKS", 1)
        a = UserFactory()
        services.block_create(blocker=a, blocked=UserFactory())
        with pytest.raises(Conflict) as exc:
            services.block_create(blocker=a, blocked=UserFactory())
        assert exc.value.code == "too_many_blocks"


class TestMutes:
    def test_mute_and_unmute(self) -> None:
        a, b = UserFactory(), UserFactory()
        services.follow_create(follower=a, followee=b)
        services.mute_create(muter=a, muted=b)
        services.mute_create(muter=a, muted=b)
        assert Mute.objects.count() == 1
        assert selectors.muted_ids(a) == {b.pk}
        assert selectors.muted_ids(b) == set()
        assert selectors.is_following(a, b)  # muting changes nothing else
        services.mute_delete(muter=a, muted=b)
        assert selectors.muted_ids(a) == set()

    def test_mute_self(self) -> None:
        a = UserFactory()
        with pytest.raises(InvalidInput) as exc:
            services.mute_create(muter=a, muted=a)
        assert exc.value.code == "cannot_mute_self"
