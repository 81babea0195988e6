"""HTTP contract tests of /api/v1/graph: profiles, connections, follows, requests, blocks, mutes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory, bearer, token_for
from haven.graph import selectors
from haven.graph.models import Block, Follow, FollowRequest, Mute
from haven.graph.tests.factories import BlockFactory, FollowFactory, FollowRequestFactory, MuteFactory
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1/graph"


def _logged_in(client: Client, **kwargs: Any):  # type: ignore[no-untyped-def]
    user = UserFactory(**kwargs)
    client.force_login(user)
    return user


class TestProfile:
    def test_anonymous_card(self, client: Client) -> None:
        owner = UserFactory(
            username="pia", display_name="Pia", bio="hello", languages=["zh", "en"], region="CN"
        )
        FollowFactory(followee=owner)
        FollowFactory(follower=owner)
        FollowFactory(follower=owner)
        r = client.get(f"{BASE}/users/PIA")
        assert r.status_code == 200, r.content
        body = r.json()
        assert body == {
            "username": "pia",
            "display_name": "Pia",
            "bio": "hello",
            "avatar_url": "",
            "avatar_blurhash": "",
            "languages": ["zh", "en"],
            "region": "CN",
            "is_private": False,
            "follower_count": 1,
            "following_count": 2,
            "relationship": {
                "following": False,
                "requested": False,
                "followed_by": False,
                "blocking": False,
                "muting": False,
            },
        }

    def test_relationship_for_member(self, client: Client) -> None:
        me = _logged_in(client)
        owner = UserFactory(private=True)
        FollowRequestFactory(requester=me, target=owner)
        FollowFactory(follower=owner, followee=me)
        rel = client.get(f"{BASE}/users/{owner.username}").json()["relationship"]
        assert rel["requested"] and rel["followed_by"] and not rel["following"]

    def test_missing_is_404(self, client: Client) -> None:
        r = client.get(f"{BASE}/users/nobody")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert client.get(f"{BASE}/users/{'x' * 65}").status_code == 422

    @pytest.mark.parametrize("direction", ["blocked_by_owner", "blocking_owner"])
    def test_block_hides_profile(self, client: Client, direction: str) -> None:
        me = _logged_in(client)
        owner = UserFactory()
        if direction == "blocked_by_owner":
            BlockFactory(blocker=owner, blocked=me)
        else:
            BlockFactory(blocker=me, blocked=owner)
        r = client.get(f"{BASE}/users/{owner.username}")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert client.get(f"{BASE}/users/{owner.username}/followers").status_code == 404

    def test_bad_token_is_401_even_on_public_endpoints(self, client: Client) -> None:
        owner = UserFactory()
        r = client.get(f"{BASE}/users/{owner.username}", **bearer("hv_nope_nope"))
        assert r.status_code == 401

    def test_bearer_viewer(self) -> None:
        me, owner = UserFactory(), UserFactory()
        FollowFactory(follower=me, followee=owner)
        _token, raw = token_for(me)
        r = Client().get(f"{BASE}/users/{owner.username}", **bearer(raw))
        assert r.json()["relationship"]["following"] is True

    def test_query_budget(self, client: Client, django_assert_max_num_queries: Any) -> None:
        me = _logged_in(client)
        owner = UserFactory()
        for _i in range(5):
            FollowFactory(followee=owner)
        FollowFactory(follower=me, followee=owner)
        # session + member, owner, block check, both counts and the relationship in one
        with django_assert_max_num_queries(5):
            r = client.get(f"{BASE}/users/{owner.username}")
        assert r.json()["follower_count"] == 6
        with django_assert_max_num_queries(2):
            assert Client().get(f"{BASE}/users/{owner.username}").status_code == 200


class TestConnections:
    def test_followers_and_following_pages(self, client: Client) -> None:
        owner = UserFactory()
        followers = UserFactory.create_batch(5)
        for f in followers:
            FollowFactory(follower=f, followee=owner)
        FollowFactory(follower=owner, followee=followers[0])
        r = client.get(f"{BASE}/users/{owner.username}/followers", {"limit": 2})
        assert r.status_code == 200
        body = r.json()
        assert [i["username"] for i in body["items"]] == [followers[4].username, followers[3].username]
        assert set(body["items"][0]) == {
            "username",
            "display_name",
            "avatar_url",
            "avatar_blurhash",
            "is_private",
            "following",
            "since",
        }
        names = [i["username"] for i in body["items"]]
        cursor = body["next_cursor"]
        while cursor:
            body = client.get(
                f"{BASE}/users/{owner.username}/followers", {"limit": 2, "cursor": cursor}
            ).json()
            names += [i["username"] for i in body["items"]]
            cursor = body["next_cursor"]
        assert names == [f.username for f in reversed(followers)]
        following = client.get(f"{BASE}/users/{owner.username}/following").json()
        assert [i["username"] for i in following["items"]] == [followers[0].username]
        assert following["next_cursor"] is None

    def test_following_flag_is_from_the_viewer(self, client: Client) -> None:
        me = _logged_in(client)
        owner, a, b = UserFactory(), UserFactory(), UserFactory()
        FollowFactory(follower=a, followee=owner)
        FollowFactory(follower=b, followee=owner)
        FollowFactory(follower=me, followee=a)
        items = client.get(f"{BASE}/users/{owner.username}/followers").json()["items"]
        assert {i["username"]: i["following"] for i in items} == {a.username: True, b.username: False}

    def test_private_connections(self, client: Client) -> None:
        owner = UserFactory(private=True)
        FollowFactory(followee=owner)
        assert client.get(f"{BASE}/users/{owner.username}/followers").status_code == 404
        stranger = _logged_in(client)
        assert client.get(f"{BASE}/users/{owner.username}/following").status_code == 404
        FollowFactory(follower=stranger, followee=owner)
        r = client.get(f"{BASE}/users/{owner.username}/followers")
        assert r.status_code == 200 and len(r.json()["items"]) == 2
        client.force_login(owner)
        assert client.get(f"{BASE}/users/{owner.username}/following").status_code == 200

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"limit": 0}, 422),
            ({"limit": 51}, 422),
            ({"cursor": "bogus"}, 400),
            ({"cursor": "x" * 2001}, 422),
        ],
    )
    def test_bad_paging(self, client: Client, params: dict[str, Any], code: int) -> None:
        owner = UserFactory()
        r = client.get(f"{BASE}/users/{owner.username}/followers", params)
        assert r.status_code == code
        if code == 400:
            assert r.json()["code"] == "invalid_cursor"

    def test_query_budget_does_not_grow_with_page_size(
        self, client: Client, django_assert_max_num_queries: Any
    ) -> None:
        _logged_in(client)
        owner = UserFactory()
        for f in UserFactory.create_batch(30):
            FollowFactory(follower=f, followee=owner)
        for limit in (1, 30):
            # session + member, owner, block check, the page, the viewer's follow flags
            with django_assert_max_num_queries(6):
                r = client.get(f"{BASE}/users/{owner.username}/followers", {"limit": limit})
            assert len(r.json()["items"]) == limit


class TestFollowEndpoints:
    def test_follow_public(self, client: Client) -> None:
        me = _logged_in(client)
        target = UserFactory()
        r = client.put(f"{BASE}/follows/{target.username}")
        assert r.status_code == 200
        assert r.json() == {"state": "followed"}
        assert selectors.is_following(me, target)
        assert Notification.objects.filter(recipient=target, verb="follow").exists()

    def test_follow_private_becomes_request_then_approval(self, client: Client) -> None:
        me = _logged_in(client)
        target = UserFactory(private=True)
        assert client.put(f"{BASE}/follows/{target.username}").json() == {"state": "requested"}
        assert not selectors.is_following(me, target)
        assert Notification.objects.filter(recipient=target, actor=me, verb="follow_request").exists()

        owner_client = Client()
        owner_client.force_login(target)
        pending = owner_client.get(f"{BASE}/requests").json()
        assert [i["username"] for i in pending["items"]] == [me.username]
        assert owner_client.post(f"{BASE}/requests/{me.username}/approve").status_code == 204
        assert selectors.is_following(me, target)
        assert Notification.objects.filter(recipient=me, actor=target, verb="follow_accepted").exists()
        assert owner_client.get(f"{BASE}/requests").json()["items"] == []
        r = owner_client.post(f"{BASE}/requests/{me.username}/approve")
        assert (r.status_code, r.json()["code"]) == (404, "follow_request_not_found")

    def test_deny(self, client: Client) -> None:
        owner = _logged_in(client, is_private=True)
        requester = UserFactory()
        FollowRequestFactory(requester=requester, target=owner)
        assert client.post(f"{BASE}/requests/{requester.username}/deny").status_code == 204
        assert not FollowRequest.objects.exists()
        assert not Follow.objects.exists()
        assert client.post(f"{BASE}/requests/{requester.username}/deny").status_code == 404

    def test_going_public_over_the_api_approves_requests(self, client: Client) -> None:
        owner = _logged_in(client, is_private=True)
        requester = UserFactory()
        FollowRequestFactory(requester=requester, target=owner)
        r = client.patch("/api/v1/accounts/me", {"is_private": False}, content_type="application/json")
        assert r.status_code == 200
        assert selectors.is_following(requester, owner)

    def test_unfollow_and_withdraw(self, client: Client) -> None:
        me = _logged_in(client)
        public, private = UserFactory(), UserFactory(private=True)
        client.put(f"{BASE}/follows/{public.username}")
        client.put(f"{BASE}/follows/{private.username}")
        assert client.delete(f"{BASE}/follows/{public.username}").status_code == 204
        assert client.delete(f"{BASE}/follows/{private.username}").status_code == 204
        assert client.delete(f"{BASE}/follows/{private.username}").status_code == 204
        assert not Follow.objects.filter(follower=me).exists()
        assert not FollowRequest.objects.exists()

    def test_remove_follower(self, client: Client) -> None:
        me = _logged_in(client)
        fan = UserFactory()
        FollowFactory(follower=fan, followee=me)
        assert client.delete(f"{BASE}/followers/{fan.username}").status_code == 204
        assert not selectors.is_following(fan, me)

    def test_follow_errors(self, client: Client) -> None:
        me = _logged_in(client)
        r = client.put(f"{BASE}/follows/{me.username}")
        assert (r.status_code, r.json()["code"]) == (400, "cannot_follow_self")
        r = client.put(f"{BASE}/follows/nobody")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        blocker = UserFactory()
        BlockFactory(blocker=blocker, blocked=me)
        r = client.put(f"{BASE}/follows/{blocker.username}")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")

    def test_anonymous_writes_are_401(self, client: Client) -> None:
        target = UserFactory()
        for method, path in [
            ("put", f"/follows/{target.username}"),
            ("delete", f"/follows/{target.username}"),
            ("get", "/requests"),
            ("put", f"/blocks/{target.username}"),
            ("get", "/blocks"),
            ("put", f"/mutes/{target.username}"),
            ("get", "/mutes"),
        ]:
            r = getattr(client, method)(f"{BASE}{path}")
            assert (r.status_code, r.json()["code"]) == (401, "not_authenticated"), path

    def test_session_writes_need_csrf(self) -> None:
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(UserFactory())
        target = UserFactory()
        r = csrf_client.put(f"{BASE}/follows/{target.username}")
        assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")

    def test_bearer_follow(self) -> None:
        me, target = UserFactory(), UserFactory()
        _token, raw = token_for(me)
        r = Client(enforce_csrf_checks=True).put(f"{BASE}/follows/{target.username}", **bearer(raw))
        assert r.json() == {"state": "followed"}


class TestBlocksAndMutes:
    def test_block_removes_follows_both_ways_and_hides_profile(self, client: Client) -> None:
        me = _logged_in(client)
        other = UserFactory()
        FollowFactory(follower=me, followee=other)
        FollowFactory(follower=other, followee=me)
        assert client.put(f"{BASE}/blocks/{other.username}").status_code == 204
        assert not Follow.objects.exists()
        assert client.get(f"{BASE}/users/{other.username}").status_code == 404
        other_client = Client()
        other_client.force_login(other)
        assert other_client.get(f"{BASE}/users/{me.username}").status_code == 404
        assert other_client.put(f"{BASE}/follows/{me.username}").status_code == 404

        listed = client.get(f"{BASE}/blocks").json()
        assert [i["username"] for i in listed["items"]] == [other.username]
        assert client.put(f"{BASE}/blocks/{other.username}").status_code == 204  # idempotent
        assert client.delete(f"{BASE}/blocks/{other.username}").status_code == 204
        assert not Block.objects.exists()
        assert client.get(f"{BASE}/users/{other.username}").status_code == 200

    def test_can_block_someone_who_blocked_you(self, client: Client) -> None:
        me = _logged_in(client)
        other = UserFactory()
        BlockFactory(blocker=other, blocked=me)
        assert client.put(f"{BASE}/blocks/{other.username}").status_code == 204
        assert Block.objects.count() == 2

    def test_block_errors(self, client: Client) -> None:
        me = _logged_in(client)
        r = client.put(f"{BASE}/blocks/{me.username}")
        assert (r.status_code, r.json()["code"]) == (400, "cannot_block_self")
        assert client.put(f"{BASE}/blocks/nobody").status_code == 404

    def test_mutes(self, client: Client) -> None:
        me = _logged_in(client)
        other = UserFactory()
        assert client.put(f"{BASE}/mutes/{other.username}").status_code == 204
        assert Mute.objects.filter(muter=me, muted=other).exists()
        assert client.get(f"{BASE}/users/{other.username}").json()["relationship"]["muting"] is True
        assert [i["username"] for i in client.get(f"{BASE}/mutes").json()["items"]] == [other.username]
        assert client.delete(f"{BASE}/mutes/{other.username}").status_code == 204
        assert client.get(f"{BASE}/mutes").json() == {"items": [], "next_cursor": None}
        r = client.put(f"{BASE}/mutes/{me.username}")
        assert (r.status_code, r.json()["code"]) == (400, "cannot_mute_self")

    def test_lists_paginate(self, client: Client) -> None:
        me = _logged_in(client)
        for _i in range(3):
            MuteFactory(muter=me)
        first = client.get(f"{BASE}/mutes", {"limit": 2}).json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        second = client.get(f"{BASE}/mutes", {"limit": 2, "cursor": first["next_cursor"]}).json()
        assert len(second["items"]) == 1 and second["next_cursor"] is None
