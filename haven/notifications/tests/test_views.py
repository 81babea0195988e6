"""HTML view of notifications: the grouped inbox, thumbnails, read marking and paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.engagement import services as engagement
from haven.graph import services as graph
from haven.notes.tests.factories import NoteFactory
from haven.notifications import selectors
from haven.notifications.models import Notification

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _like(note: Any, *users: Any) -> None:
    for user in users:
        engagement.note_like(user=user, note_id=note.pk)


class TestInbox:
    def test_login_required(self, client: Client) -> None:
        response = client.get("/notifications/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")

    def test_empty_state(self, client: Client) -> None:
        client.force_login(UserFactory())
        response = client.get("/notifications/")
        assert response.status_code == 200
        assert "No notifications yet." in response.content.decode()

    def test_groups_likes_with_a_thumbnail_and_marks_read(self, client: Client) -> None:
        author = UserFactory()
        note = NoteFactory(author=author, title="Sunset")
        first = UserFactory(display_name="Ana")
        _like(note, *[UserFactory() for _ in range(11)], first)
        client.force_login(author)
        assert selectors.unread_count(author) == 1
        response = client.get("/notifications/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "<strong>Ana</strong> and 11 others liked your note" in body
        assert "list-item notif unread" in body  # highlighted on this visit
        assert f'href="/notes/{note.pk}/"' in body
        assert 'class="list-thumb" src="/media/r/' in body
        assert selectors.unread_count(author) == 0  # ... and read afterwards
        assert "list-item notif unread" not in client.get("/notifications/").content.decode()

    def test_names_are_escaped(self, client: Client) -> None:
        author = UserFactory()
        note = NoteFactory(author=author)
        _like(note, UserFactory(display_name="<b>evil</b>"))
        client.force_login(author)
        body = client.get("/notifications/").content.decode()
        assert "<strong>&lt;b&gt;evil&lt;/b&gt;</strong>" in body

    def test_follow_request_links_to_the_requests_page(self, client: Client) -> None:
        owner, asker = UserFactory(is_private=True), UserFactory(display_name="Asker")
        graph.follow_create(follower=asker, followee=owner)
        client.force_login(owner)
        body = client.get("/notifications/").content.decode()
        assert "<strong>Asker</strong> asked to follow you" in body
        assert 'href="/graph/requests/"' in body

    def test_follow_links_to_the_profile(self, client: Client) -> None:
        owner, fan = UserFactory(), UserFactory(display_name="Fan")
        graph.follow_create(follower=fan, followee=owner)
        client.force_login(owner)
        body = client.get("/notifications/").content.decode()
        assert f'href="/@{fan.username}/"' in body
        assert "started following you" in body

    def test_blocked_actors_are_hidden(self, client: Client) -> None:
        author = UserFactory()
        note = NoteFactory(author=author)
        troll = UserFactory(display_name="Troll")
        _like(note, troll)
        Notification.objects.update(read_at=None)
        graph.block_create(blocker=author, blocked=troll)
        client.force_login(author)
        assert "Troll" not in client.get("/notifications/").content.decode()

    def test_paging_with_htmx_marks_each_page_read(self, client: Client) -> None:
        author = UserFactory()
        notes = [NoteFactory(author=author) for _ in range(23)]
        liker = UserFactory()
        for note in notes:
            _like(note, liker)
        client.force_login(author)
        first = client.get("/notifications/").content.decode()
        assert first.count('class="list-item notif') == 20
        assert selectors.unread_count(author) == 3
        next_url = first.split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")
        second = client.get(next_url, **HTMX)
        assert second.status_code == 200
        body = second.content.decode()
        assert 'hx-swap-oob="beforeend:#inbox-list"' in body
        assert body.count('class="list-item notif') == 3
        assert selectors.unread_count(author) == 0

    def test_bad_cursor_is_400(self, client: Client) -> None:
        client.force_login(UserFactory())
        assert client.get("/notifications/?cursor=zzz").status_code == 400

    def test_query_budget_does_not_grow_with_the_page(
        self, client: Client, django_assert_max_num_queries: Any
    ) -> None:
        author = UserFactory()
        for _ in range(20):
            _like(NoteFactory(author=author), UserFactory())
        client.force_login(author)
        with django_assert_max_num_queries(16):
            assert client.get("/notifications/").status_code == 200
