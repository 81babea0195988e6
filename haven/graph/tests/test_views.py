"""HTML views of graph: follow buttons (plain and htmx), block and mute, people lists, follow requests."""

from __future__ import annotations

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.graph import services
from haven.graph.models import Block, Follow, FollowRequest, Mute

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class TestFollow:
    def test_anonymous_is_sent_to_login(self, client: Client) -> None:
        target = UserFactory()
        response = client.post(f"/graph/{target.username}/follow/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_get_is_refused(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get(f"/graph/{UserFactory().username}/follow/").status_code == 405

    def test_plain_post_follows_and_returns_to_the_profile(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/follow/")
        assert response.status_code == 302
        assert response.url == f"/@{target.username}/"
        assert Follow.objects.filter(follower=viewer, followee=target).exists()

    def test_next_is_honoured_when_same_site(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/follow/", {"next": "/feeds/following/"})
        assert response.url == "/feeds/following/"
        response = client.post(f"/graph/{target.username}/unfollow/", {"next": "https://evil.example/"})
        assert response.url == f"/@{target.username}/"

    def test_htmx_gets_the_following_button(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/follow/", **HTMX)
        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body
        assert "Following" in body
        assert f"/graph/{target.username}/unfollow/" in body

    def test_private_account_gets_a_request(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory(is_private=True)
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/follow/", **HTMX)
        assert "Requested" in response.content.decode()
        assert FollowRequest.objects.filter(requester=viewer, target=target).exists()
        # the same button withdraws the request
        response = client.post(f"/graph/{target.username}/unfollow/", **HTMX)
        assert "Request to follow" in response.content.decode()
        assert not FollowRequest.objects.exists()

    def test_unfollow(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        services.follow_create(follower=viewer, followee=target)
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/unfollow/", **HTMX)
        assert response.status_code == 200
        assert not Follow.objects.exists()

    def test_following_oneself_is_refused(self, client: Client) -> None:
        viewer = UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{viewer.username}/follow/", **HTMX)
        assert response.status_code == 400
        assert response["HX-Reswap"] == "none"
        response = client.post(f"/graph/{viewer.username}/follow/")
        assert response.status_code == 302
        assert not Follow.objects.exists()

    @pytest.mark.parametrize("direction", ["viewer_blocks", "target_blocks"])
    def test_blocked_either_way_is_404(self, client: Client, direction: str) -> None:
        viewer, target = UserFactory(), UserFactory()
        if direction == "viewer_blocks":
            services.block_create(blocker=viewer, blocked=target)
        else:
            services.block_create(blocker=target, blocked=viewer)
        client.force_login(viewer)
        assert client.post(f"/graph/{target.username}/follow/").status_code == 404

    def test_unknown_member_is_404(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.post("/graph/nobody_here/follow/").status_code == 404


class TestMuteAndBlock:
    def test_mute_and_unmute(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/mute/")
        assert response.status_code == 302
        assert Mute.objects.filter(muter=viewer, muted=target).exists()
        profile = client.get(f"/@{target.username}/")
        assert "Unmute" in profile.content.decode()
        client.post(f"/graph/{target.username}/unmute/")
        assert not Mute.objects.exists()

    def test_block_asks_for_confirmation(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.get(f"/graph/{target.username}/block/")
        assert response.status_code == 200
        assert f'action="/graph/{target.username}/block/"' in response.content.decode()
        assert not Block.objects.exists()

    def test_block_hides_the_profile_both_ways_and_unblock_restores_it(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        services.follow_create(follower=viewer, followee=target)
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/block/")
        assert response.status_code == 302
        assert response.url == "/graph/blocked/"
        assert Block.objects.filter(blocker=viewer, blocked=target).exists()
        assert not Follow.objects.exists()
        assert client.get(f"/@{target.username}/").status_code == 404
        blocked_page = client.get("/graph/blocked/")
        assert target.username in blocked_page.content.decode()
        other = Client()
        other.force_login(target)
        assert other.get(f"/@{viewer.username}/").status_code == 404
        client.post(f"/graph/{target.username}/unblock/")
        assert not Block.objects.exists()
        assert client.get(f"/@{target.username}/").status_code == 200

    def test_htmx_block_redirects_with_a_header(self, client: Client) -> None:
        viewer, target = UserFactory(), UserFactory()
        client.force_login(viewer)
        response = client.post(f"/graph/{target.username}/block/", **HTMX)
        assert response.status_code == 204
        assert response["HX-Redirect"] == "/graph/blocked/"

    def test_blocking_oneself_is_404(self, client: Client) -> None:
        viewer = UserFactory()
        client.force_login(viewer)
        assert client.get(f"/graph/{viewer.username}/block/").status_code == 404

    def test_blocked_list_needs_login(self, client: Client) -> None:
        assert client.get("/graph/blocked/").status_code == 302

    def test_blocked_list_empty(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.get("/graph/blocked/")
        assert response.status_code == 200
        assert "You have not blocked anyone." in response.content.decode()


class TestConnections:
    def test_public_lists_for_anyone(self, client: Client) -> None:
        owner, fan = UserFactory(), UserFactory(display_name="Big Fan")
        services.follow_create(follower=fan, followee=owner)
        response = client.get(f"/graph/{owner.username}/followers/")
        assert response.status_code == 200
        assert "Big Fan" in response.content.decode()
        response = client.get(f"/graph/{fan.username}/following/")
        assert response.status_code == 200
        assert owner.username in response.content.decode()

    def test_follow_buttons_reflect_the_viewer(self, client: Client) -> None:
        owner, fan, viewer = UserFactory(), UserFactory(), UserFactory()
        services.follow_create(follower=fan, followee=owner)
        services.follow_create(follower=viewer, followee=fan)
        client.force_login(viewer)
        body = client.get(f"/graph/{owner.username}/followers/").content.decode()
        assert f"/graph/{fan.username}/unfollow/" in body

    def test_private_lists_hidden_from_strangers(self, client: Client) -> None:
        owner = UserFactory(is_private=True)
        stranger, follower = UserFactory(), UserFactory()
        services.follow_create(follower=follower, followee=owner)
        services.follow_request_approve(target=owner, requester=follower)
        assert client.get(f"/graph/{owner.username}/followers/").status_code == 404
        client.force_login(stranger)
        assert client.get(f"/graph/{owner.username}/following/").status_code == 404
        client.force_login(follower)
        assert client.get(f"/graph/{owner.username}/followers/").status_code == 200
        client.force_login(owner)
        assert client.get(f"/graph/{owner.username}/followers/").status_code == 200

    def test_blocked_viewer_gets_404(self, client: Client) -> None:
        owner, viewer = UserFactory(), UserFactory()
        services.block_create(blocker=owner, blocked=viewer)
        client.force_login(viewer)
        assert client.get(f"/graph/{owner.username}/followers/").status_code == 404

    def test_paging_with_htmx(self, client: Client) -> None:
        owner = UserFactory()
        for _ in range(32):
            services.follow_create(follower=UserFactory(), followee=owner)
        first = client.get(f"/graph/{owner.username}/followers/")
        body = first.content.decode()
        assert body.count('class="list-item person"') == 30
        next_url = body.split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")
        second = client.get(next_url, **HTMX)
        assert second.status_code == 200
        assert 'hx-swap-oob="beforeend:#people-list"' in second.content.decode()
        assert second.content.decode().count('class="list-item person"') == 2

    def test_bad_cursor_is_400(self, client: Client) -> None:
        owner = UserFactory()
        assert client.get(f"/graph/{owner.username}/followers/?cursor=nope").status_code == 400


class TestRequests:
    def test_needs_login(self, client: Client) -> None:
        assert client.get("/graph/requests/").status_code == 302

    def test_lists_and_approves(self, client: Client) -> None:
        owner, asker = UserFactory(is_private=True), UserFactory(display_name="Asker")
        services.follow_create(follower=asker, followee=owner)
        client.force_login(owner)
        page = client.get("/graph/requests/")
        assert page.status_code == 200
        assert "Asker" in page.content.decode()
        response = client.post(f"/graph/requests/{asker.username}/approve/")
        assert response.status_code == 302
        assert Follow.objects.filter(follower=asker, followee=owner).exists()

    def test_htmx_deny_returns_the_row(self, client: Client) -> None:
        owner, asker = UserFactory(is_private=True), UserFactory()
        services.follow_create(follower=asker, followee=owner)
        client.force_login(owner)
        response = client.post(f"/graph/requests/{asker.username}/deny/", **HTMX)
        assert response.status_code == 200
        assert "Declined" in response.content.decode()
        assert not FollowRequest.objects.exists()
        assert not Follow.objects.exists()

    def test_missing_request_is_404(self, client: Client) -> None:
        owner, other = UserFactory(is_private=True), UserFactory()
        client.force_login(owner)
        assert client.post(f"/graph/requests/{other.username}/approve/", **HTMX).status_code == 404
        response = client.post(f"/graph/requests/{other.username}/approve/")
        assert response.status_code == 302  # plain form: back to the list with a message

    def test_empty_state(self, client: Client) -> None:
        client.force_login(UserFactory(is_private=True))
        assert "No pending requests." in client.get("/graph/requests/").content.decode()
