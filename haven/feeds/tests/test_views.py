"""HTML views of feeds: the Following feed (with its empty state) and hashtag topic pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.feeds.tests.factories import NoteFactory, UserFactory, follow, mute, note_at, tag

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _next_url(body: str) -> str:
    return body.split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")


class TestFollowing:
    def test_login_required(self, client: Client) -> None:
        response = client.get("/feeds/following/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_shows_notes_of_followed_authors(self, client: Client) -> None:
        viewer, author, stranger = UserFactory(), UserFactory(), UserFactory()
        follow(viewer, author)
        NoteFactory(author=author, title="From a friend")
        NoteFactory(author=stranger, title="From a stranger")
        client.force_login(viewer)
        body = client.get("/feeds/following/").content.decode()
        assert "From a friend" in body
        assert "From a stranger" not in body

    def test_empty_state_suggests_people_from_discover(self, client: Client) -> None:
        viewer, author = UserFactory(), UserFactory(display_name="Popular Person")
        NoteFactory(author=author, title="Trending")
        client.force_login(viewer)
        response = client.get("/feeds/following/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Your Following feed is quiet" in body
        assert "Popular Person" in body
        assert f"/graph/{author.username}/follow/" in body

    def test_suggestions_leave_out_followed_and_muted_people(self, client: Client) -> None:
        viewer, followed_quiet, muted = UserFactory(), UserFactory(), UserFactory(display_name="Muted One")
        follow(viewer, followed_quiet)
        mute(viewer, muted)
        NoteFactory(author=muted)
        client.force_login(viewer)
        assert "Muted One" not in client.get("/feeds/following/").content.decode()

    def test_htmx_next_page_appends_cards(self, client: Client) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(viewer, author)
        for hours in range(25):
            note_at(hours_ago=hours, author=author, images=1)
        client.force_login(viewer)
        first = client.get("/feeds/following/").content.decode()
        second = client.get(_next_url(first), **HTMX)
        assert second.status_code == 200
        body = second.content.decode()
        assert 'hx-swap-oob="beforeend:#following .feed-source"' in body
        assert body.count('<article class="card"') == 5
        assert "<html" not in body

    def test_bad_cursor_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/feeds/following/?cursor=garbage").status_code == 400

    def test_query_budget_does_not_grow_with_the_page(
        self, client: Client, django_assert_max_num_queries: Any
    ) -> None:
        viewer, author = UserFactory(), UserFactory()
        follow(viewer, author)
        for _ in range(20):
            NoteFactory(author=author)
        client.force_login(viewer)
        # 9 in the scaled profile (its Redis timeline checks the follow set's version first),
        # including the Messages badge's one aggregate query.
        with django_assert_max_num_queries(9):
            assert client.get("/feeds/following/").status_code == 200


class TestTopic:
    def test_topic_page(self, client: Client) -> None:
        note = NoteFactory(title="Latte art")
        tag(note, "coffee")
        response = client.get("/feeds/topic/coffee/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "#coffee" in body
        assert "Latte art" in body
        assert "1 note" in body

    def test_chinese_tag_and_hot_order(self, client: Client) -> None:
        note = NoteFactory(title="手冲")
        tag(note, "咖啡")
        response = client.get("/feeds/topic/咖啡/?order=hot")
        assert response.status_code == 200
        assert "手冲" in response.content.decode()
        assert 'aria-current="page">Hot' in response.content.decode()

    def test_unknown_tag_is_an_empty_topic(self, client: Client) -> None:
        response = client.get("/feeds/topic/nothingyet/")
        assert response.status_code == 200
        assert "No notes with this tag yet" in response.content.decode()

    def test_invalid_tag_is_404(self, client: Client) -> None:
        assert client.get("/feeds/topic/%20%23%23/").status_code == 404

    def test_invisible_notes_are_left_out(self, client: Client) -> None:
        private_author = UserFactory(is_private=True)
        hidden = NoteFactory(author=private_author, title="Secret latte")
        tag(hidden, "coffee")
        assert "Secret latte" not in client.get("/feeds/topic/coffee/").content.decode()

    def test_htmx_next_page(self, client: Client) -> None:
        for hours in range(22):
            tag(note_at(hours_ago=hours, images=1), "daily")
        first = client.get("/feeds/topic/daily/").content.decode()
        second = client.get(_next_url(first), **HTMX)
        assert second.status_code == 200
        assert second.content.decode().count('<article class="card"') == 2
