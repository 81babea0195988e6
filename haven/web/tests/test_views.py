"""HTML views of the web shell: Discover, profiles, the manifest and the error pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.engagement import services as engagement
from haven.graph import services as graph
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _next_url(body: str) -> str:
    return body.split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")


class TestDiscover:
    def test_anonymous_sees_the_feed_and_a_welcome(self, client: Client) -> None:
        NoteFactory(title="Morning light")
        response = client.get("/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Morning light" in body
        assert 'class="welcome"' in body
        assert 'href="/accounts/signup/"' in body

    def test_member_sees_no_welcome_and_like_buttons(self, client: Client) -> None:
        NoteFactory(title="Morning light")
        client.force_login(UserFactory())
        body = client.get("/").content.decode()
        assert 'class="welcome"' not in body
        assert 'class="card-like"' in body
        assert "hx-post=" in body

    def test_latest_mode(self, client: Client) -> None:
        NoteFactory(title="Fresh")
        client.force_login(UserFactory())
        response = client.get("/?feed=latest")
        assert response.status_code == 200
        assert 'href="/?feed=latest" aria-current="page"' in response.content.decode()

    def test_unknown_mode_falls_back(self, client: Client) -> None:
        assert client.get("/?feed=bogus").status_code == 200

    def test_empty_state(self, client: Client) -> None:
        assert "No notes yet." in client.get("/").content.decode()

    def test_hidden_notes_are_left_out(self, client: Client) -> None:
        NoteFactory(title="Followers only", visibility=Visibility.FOLLOWERS)
        NoteFactory(title="A draft", draft=True)
        body = client.get("/").content.decode()
        assert "Followers only" not in body
        assert "A draft" not in body

    def test_infinite_scroll_with_htmx(self, client: Client) -> None:
        for _ in range(23):
            NoteFactory()
        client.force_login(UserFactory())
        first = client.get("/").content.decode()
        assert first.count('<article class="card"') == 20
        second = client.get(_next_url(first), **HTMX)
        assert second.status_code == 200
        body = second.content.decode()
        assert "<html" not in body
        assert 'hx-swap-oob="beforeend:#discover .feed-source"' in body
        assert body.count('<article class="card"') == 3
        plain = client.get(_next_url(first))  # without JS the link opens a full page
        assert "<html" in plain.content.decode()

    def test_bad_cursor_is_400(self, client: Client) -> None:
        response = client.get("/?cursor=not-a-cursor")
        assert response.status_code == 400
        assert "This page link is no longer valid." in response.content.decode()

    def test_query_budget_does_not_grow_with_the_page(
        self, client: Client, django_assert_max_num_queries: Any
    ) -> None:
        for _ in range(20):
            NoteFactory()
        client.force_login(UserFactory())
        # 12 + the Messages badge of the navigation + what the personal ranking reads of the member
        # (recommend.serving: their history, their choices in one UNION, the candidates' topics).
        with django_assert_max_num_queries(16):
            assert client.get("/").status_code == 200


class TestProfile:
    def test_anonymous_sees_a_public_profile(self, client: Client) -> None:
        owner = UserFactory(display_name="Lin", bio="Coffee & film", languages=["zh", "en"], region="CN")
        NoteFactory(author=owner, title="Pour-over")
        response = client.get(f"/@{owner.username}/")
        assert response.status_code == 200
        body = response.content.decode()
        for text in ("Lin", f"@{owner.username}", "Coffee &amp; film", "中文", "CN", "Pour-over"):
            assert text in body
        assert f"/accounts/login/?next=/@{owner.username}/" in body  # follow asks to log in

    def test_counts(self, client: Client) -> None:
        owner = UserFactory()
        note = NoteFactory(author=owner)
        fans = [UserFactory() for _ in range(3)]
        for fan in fans:
            graph.follow_create(follower=fan, followee=owner)
            engagement.note_like(user=fan, note_id=note.pk)
        graph.follow_create(follower=owner, followee=fans[0])
        body = client.get(f"/@{owner.username}/").content.decode()
        assert "<b>3</b>Followers" in body
        assert "<b>1</b>Following" in body
        assert "<b>3</b>Likes & saves" in body

    def test_owner_sees_edit_and_drafts(self, client: Client) -> None:
        owner = UserFactory()
        NoteFactory(author=owner, title="Secret draft", draft=True)
        NoteFactory(author=owner, title="Only me", visibility=Visibility.PRIVATE)
        client.force_login(owner)
        body = client.get(f"/@{owner.username}/").content.decode()
        assert "Edit profile" in body
        assert 'href="/notes/drafts/"' in body
        assert "Only me" in body
        assert "Secret draft" not in body
        assert 'aria-current="page"><svg class="icon"><use href="#i-user"/>' in body  # "Me" is current

    def test_member_sees_follow_button_and_menu(self, client: Client) -> None:
        owner, viewer = UserFactory(), UserFactory()
        client.force_login(viewer)
        body = client.get(f"/@{owner.username}/").content.decode()
        assert f'hx-post="/graph/{owner.username}/follow/"' in body
        assert f"/graph/{owner.username}/block/" in body
        assert f"/graph/{owner.username}/mute/" in body
        graph.follow_create(follower=viewer, followee=owner)
        assert (
            f'hx-post="/graph/{owner.username}/unfollow/"'
            in client.get(f"/@{owner.username}/").content.decode()
        )

    def test_private_account_is_locked_for_strangers(self, client: Client) -> None:
        owner = UserFactory(is_private=True)
        NoteFactory(author=owner, title="Friends only")
        response = client.get(f"/@{owner.username}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "This account is private" in body
        assert "Friends only" not in body
        viewer = UserFactory()
        client.force_login(viewer)
        graph.follow_create(follower=viewer, followee=owner)
        body = client.get(f"/@{owner.username}/").content.decode()
        assert "Requested" in body
        graph.follow_request_approve(target=owner, requester=viewer)
        body = client.get(f"/@{owner.username}/").content.decode()
        assert "Friends only" in body
        assert "This account is private" not in body

    def test_pending_requests_link_for_the_owner(self, client: Client) -> None:
        owner = UserFactory(is_private=True)
        graph.follow_create(follower=UserFactory(), followee=owner)
        client.force_login(owner)
        body = client.get(f"/@{owner.username}/").content.decode()
        assert "1 person wants to follow you" in body
        assert 'href="/graph/requests/"' in body

    @pytest.mark.parametrize("direction", ["viewer_blocks", "owner_blocks"])
    def test_blocked_either_way_is_404(self, client: Client, direction: str) -> None:
        owner, viewer = UserFactory(), UserFactory()
        if direction == "viewer_blocks":
            graph.block_create(blocker=viewer, blocked=owner)
        else:
            graph.block_create(blocker=owner, blocked=viewer)
        client.force_login(viewer)
        assert client.get(f"/@{owner.username}/").status_code == 404
        assert client.get(f"/@{owner.username}/collections/").status_code == 404

    def test_unknown_or_inactive_member_is_404(self, client: Client) -> None:
        assert client.get("/@nobody_at_all/").status_code == 404
        gone = UserFactory(is_active=False)
        assert client.get(f"/@{gone.username}/").status_code == 404

    def test_username_is_case_insensitive(self, client: Client) -> None:
        owner = UserFactory(username="lin_wei")
        assert client.get("/@Lin_Wei/").status_code == 200
        assert owner.username == "lin_wei"

    def test_htmx_next_page_of_notes(self, client: Client) -> None:
        owner = UserFactory()
        for _ in range(21):
            NoteFactory(author=owner)
        first = client.get(f"/@{owner.username}/").content.decode()
        second = client.get(_next_url(first), **HTMX)
        assert second.status_code == 200
        assert 'hx-swap-oob="beforeend:#profile-notes .feed-source"' in second.content.decode()
        assert second.content.decode().count('<article class="card"') == 1

    def test_collections_tab(self, client: Client) -> None:
        owner = UserFactory()
        note = NoteFactory(title="Saved one")
        public = engagement.collection_create(owner=owner, name="Trips", is_public=True)
        engagement.collection_create(owner=owner, name="Secret board", is_public=False)
        engagement.note_save(user=owner, note_id=note.pk, collection_id=public.pk)
        response = client.get(f"/@{owner.username}/collections/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Trips" in body
        assert "1 note" in body
        assert f'href="/engagement/collections/{public.pk}/"' in body
        assert "Secret board" not in body
        assert 'class="collection-cover"><img src="/media/r/' in body
        client.force_login(owner)
        assert "Secret board" in client.get(f"/@{owner.username}/collections/").content.decode()

    def test_collections_of_a_private_account_are_locked(self, client: Client) -> None:
        owner = UserFactory(is_private=True)
        engagement.collection_create(owner=owner, name="Trips", is_public=True)
        body = client.get(f"/@{owner.username}/collections/").content.decode()
        assert "This account is private" in body
        assert "Trips" not in body


class TestShell:
    def test_manifest(self, client: Client) -> None:
        response = client.get("/manifest.webmanifest")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/manifest+json"
        data = json.loads(response.content)
        assert data["start_url"] == "/"
        assert data["icons"][0]["src"].endswith("icon.svg")

    def test_custom_404(self, client: Client) -> None:
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "This page is not here" in body
        assert 'class="sidebar"' in body  # extends the shell

    def test_500_renders_without_a_request_or_database(self, django_assert_num_queries: Any) -> None:
        with django_assert_num_queries(0):
            html = render_to_string("500.html")
        assert "Something went wrong on our side" in html
        assert "csrf" not in html.lower()

    def test_base_links_the_manifest(self, client: Client) -> None:
        assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").content.decode()
