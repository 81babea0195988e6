"""Graph selectors and access rules: anonymous-safe answers, pages, relationships."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from haven.accounts.tests.factories import UserFactory
from haven.core.errors import InvalidInput, NotFound
from haven.graph import access, selectors
from haven.graph.tests.factories import BlockFactory, FollowFactory, FollowRequestFactory, MuteFactory

pytestmark = pytest.mark.django_db

ANON = AnonymousUser()


def test_anonymous_is_safe_everywhere() -> None:
    u = UserFactory()
    assert selectors.following_ids(ANON) == set()
    assert selectors.follower_ids(None) == set()
    assert selectors.blocked_ids(ANON) == set()
    assert selectors.muted_ids(ANON) == set()
    assert selectors.follower_count(ANON) == 0
    assert selectors.following_count(ANON) == 0
    assert selectors.follow_counts(ANON) == (0, 0)
    assert selectors.is_following(ANON, u) is False
    assert selectors.is_following(u, ANON) is False
    assert selectors.has_pending_request(ANON, u) is False
    assert selectors.following_among(ANON, [u.pk]) == set()
    assert selectors.blocked_among(ANON, [u.pk]) == set()
    assert list(selectors.pending_requests(ANON)) == []
    assert not any(selectors.relationship(ANON, u).values())


def test_ids_and_counts() -> None:
    a, b, c = UserFactory.create_batch(3)
    FollowFactory(follower=a, followee=b)
    FollowFactory(follower=a, followee=c)
    FollowFactory(follower=c, followee=a)
    assert selectors.following_ids(a) == {b.pk, c.pk}
    assert selectors.follower_ids(a) == {c.pk}
    assert selectors.follower_count(a) == 1
    assert selectors.following_count(a) == 2
    assert selectors.follow_counts(a) == (1, 2)
    assert selectors.following_among(a, [b.pk, c.pk, a.pk]) == {b.pk, c.pk}


def test_blocked_ids_both_directions() -> None:
    a, b, c, d = UserFactory.create_batch(4)
    BlockFactory(blocker=a, blocked=b)
    BlockFactory(blocker=c, blocked=a)
    assert selectors.blocked_ids(a) == {b.pk, c.pk}
    assert selectors.blocked_among(a, [b.pk, c.pk, d.pk]) == {b.pk, c.pk}
    assert selectors.is_blocked_between(b, a) and selectors.is_blocked_between(a, c)
    assert not selectors.is_blocked_between(a, d)


def test_relationship() -> None:
    a, b = UserFactory(), UserFactory(private=True)
    FollowRequestFactory(requester=a, target=b)
    FollowFactory(follower=b, followee=a)
    MuteFactory(muter=a, muted=b)
    assert selectors.relationship(a, b) == {
        "following": False,
        "requested": True,
        "followed_by": True,
        "blocking": False,
        "muting": True,
    }
    assert not any(selectors.relationship(a, a).values())


def test_relationship_is_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    a, b = UserFactory(), UserFactory()
    with django_assert_num_queries(1):
        selectors.relationship(a, b)


def test_profile_facts_are_the_counts_and_relationship_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    a, b, c = UserFactory(), UserFactory(private=True), UserFactory()
    FollowRequestFactory(requester=a, target=b)
    FollowFactory(follower=b, followee=a)
    FollowFactory(follower=c, followee=b)
    FollowFactory(follower=b, followee=c)
    BlockFactory(blocker=a, blocked=c)
    MuteFactory(muter=a, muted=b)
    for viewer in (a, b, c, ANON, None):
        for owner in (a, b, c):
            with django_assert_num_queries(1):
                facts = selectors.profile_facts(viewer, owner)
            assert facts == (*selectors.follow_counts(owner), selectors.relationship(viewer, owner))
    assert selectors.profile_facts(a, b)[:2] == (1, 2)


def test_pages_walk_every_edge_once() -> None:
    owner = UserFactory()
    followers = UserFactory.create_batch(7)
    for f in followers:
        FollowFactory(follower=f, followee=owner)
    seen: list[int] = []
    cursor = None
    while True:
        page = selectors.followers_page(owner, cursor, 3)
        seen += [edge.user.pk for edge in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f.pk for f in reversed(followers)]


def test_pages_leave_out_blocked_and_inactive() -> None:
    owner, viewer = UserFactory(), UserFactory()
    hidden, gone, shown = UserFactory(), UserFactory(is_active=False), UserFactory()
    for f in (hidden, gone, shown):
        FollowFactory(follower=f, followee=owner)
    BlockFactory(blocker=hidden, blocked=viewer)
    page = selectors.followers_page(owner, None, 10, viewer=viewer)
    assert [e.user for e in page.items] == [shown]
    assert len(selectors.followers_page(owner, None, 10).items) == 2


def test_bad_cursor_and_limit() -> None:
    owner = UserFactory()
    with pytest.raises(InvalidInput) as exc:
        selectors.following_page(owner, "garbage", 10)
    assert exc.value.code == "invalid_cursor"
    with pytest.raises(InvalidInput):
        selectors.following_page(owner, None, 51)


class TestAccess:
    def test_profile(self) -> None:
        owner, viewer, stranger = UserFactory(), UserFactory(), UserFactory()
        BlockFactory(blocker=owner, blocked=viewer)
        assert access.can_view_profile(ANON, owner)
        assert access.can_view_profile(owner, owner)
        assert access.can_view_profile(stranger, owner)
        assert not access.can_view_profile(viewer, owner)
        assert not access.can_view_profile(ANON, UserFactory(is_active=False))

    def test_blocker_cannot_see_blocked_either(self) -> None:
        owner, viewer = UserFactory(), UserFactory()
        BlockFactory(blocker=viewer, blocked=owner)
        assert not access.can_view_profile(viewer, owner)

    def test_connections_of_private_account(self) -> None:
        owner = UserFactory(private=True)
        follower, stranger = UserFactory(), UserFactory()
        FollowFactory(follower=follower, followee=owner)
        assert access.can_view_connections(owner, owner)
        assert access.can_view_connections(follower, owner)
        assert not access.can_view_connections(stranger, owner)
        assert not access.can_view_connections(ANON, owner)
        public = UserFactory()
        assert access.can_view_connections(ANON, public)

    def test_visible_user_or_404(self) -> None:
        owner, viewer = UserFactory(username="olga"), UserFactory()
        assert access.visible_user_or_404(ANON, "OLGA") == owner
        BlockFactory(blocker=owner, blocked=viewer)
        for name in ("olga", "nobody"):
            with pytest.raises(NotFound):
                access.visible_user_or_404(viewer, name)
