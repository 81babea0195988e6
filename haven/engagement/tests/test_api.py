"""The engagement JSON API over HTTP: every endpoint, its error codes and query budgets."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from haven.core import ratelimit
from haven.engagement import api as engagement_api
from haven.engagement import services
from haven.engagement.models import Collection, Comment, NoteLike, Save
from haven.engagement.tests.factories import (
    CollectionFactory,
    CommentFactory,
    NoteFactory,
    SaveFactory,
    UserFactory,
    block,
)
from haven.notes.models import Visibility

pytestmark = pytest.mark.django_db

BASE = "/api/v1/engagement"


def send(client: Client, method: str, url: str, data: Any = None) -> Any:
    body = json.dumps(data) if data is not None else ""
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def member(client: Client):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    return user


class TestNoteLikes:
    def test_like_and_unlike(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/like"
        assert send(client, "put", url).json() == {"liked": True, "like_count": 1}
        assert send(client, "put", url).json() == {"liked": True, "like_count": 1}
        assert send(client, "delete", url).json() == {"liked": False, "like_count": 0}
        assert send(client, "delete", url).json() == {"liked": False, "like_count": 0}

    def test_errors(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        hidden = NoteFactory(visibility=Visibility.PRIVATE)
        for method in ("put", "delete"):
            response = send(client, method, f"{BASE}/notes/{hidden.pk}/like")
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert send(client, "put", f"{BASE}/notes/0/like").status_code == 422
        client.logout()
        response = send(client, "put", f"{BASE}/notes/{NoteFactory().pk}/like")
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
        assert not NoteLike.objects.exists()


class TestSaves:
    def test_save_move_unsave(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/save"
        data = send(client, "put", url, {}).json()
        default = Collection.objects.get(owner=member, is_default=True)
        assert data == {"saved": True, "collection_id": default.pk, "save_count": 1}
        board = services.collection_create(owner=member, name="Board")
        data = send(client, "put", url, {"collection_id": board.pk}).json()
        assert data == {"saved": True, "collection_id": board.pk, "save_count": 1}
        assert send(client, "delete", url).json() == {"saved": False, "collection_id": None, "save_count": 0}

    def test_errors(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/save"
        response = send(client, "put", url, {"collection_id": CollectionFactory().pk})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert send(client, "put", url, {"collection_id": 0}).status_code == 422
        hidden = NoteFactory(draft=True)
        assert send(client, "put", f"{BASE}/notes/{hidden.pk}/save", {}).status_code == 404
        assert not Save.objects.exists()

    def test_viewer_state(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/viewer-state"
        assert client.get(url).json() == {"liked": False, "saved": False, "collection_id": None}
        services.note_like(user=member, note_id=note.pk)
        save = services.note_save(user=member, note_id=note.pk)
        assert client.get(url).json() == {"liked": True, "saved": True, "collection_id": save.collection_id}
        client.logout()
        assert client.get(url).json() == {"liked": False, "saved": False, "collection_id": None}
        hidden = NoteFactory(visibility=Visibility.FOLLOWERS)
        assert client.get(f"{BASE}/notes/{hidden.pk}/viewer-state").status_code == 404


class TestComments:
    def test_create_and_list(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/comments"
        response = send(client, "post", url, {"body": "Love it"})
        assert response.status_code == 201, response.content
        top = response.json()
        assert top["body"] == "Love it" and top["author"]["username"] == member.username
        assert top["parent_id"] is None and top["replies"] == [] and top["liked"] is False
        reply = send(client, "post", url, {"body": "me again", "parent_id": top["id"]}).json()
        nested = send(client, "post", url, {"body": "third", "parent_id": reply["id"]}).json()
        assert nested["parent_id"] == top["id"] and nested["reply_to"]["username"] == member.username
        services.comment_like(user=member, comment_id=reply["id"])
        listing = client.get(url).json()
        assert listing["next_cursor"] is None
        assert [c["id"] for c in listing["items"]] == [top["id"]]
        first = listing["items"][0]
        assert first["reply_count"] == 2
        assert [(r["id"], r["liked"]) for r in first["replies"]] == [
            (reply["id"], True),
            (nested["id"], False),
        ]

    def test_anonymous_read_and_order(self, client: Client) -> None:
        note = NoteFactory()
        low, high = CommentFactory(note=note), CommentFactory(note=note, like_count=3)
        url = f"{BASE}/notes/{note.pk}/comments"
        assert [c["id"] for c in client.get(url).json()["items"]] == [high.pk, low.pk]
        assert [c["id"] for c in client.get(url, {"order": "top"}).json()["items"]] == [high.pk, low.pk]
        Comment.objects.filter(pk=high.pk).update(like_count=0)
        Comment.objects.filter(pk=low.pk).update(like_count=9)
        assert [c["id"] for c in client.get(url, {"order": "top"}).json()["items"]] == [low.pk, high.pk]
        page = client.get(url, {"limit": 1}).json()
        assert len(page["items"]) == 1 and page["next_cursor"]
        rest = client.get(url, {"limit": 1, "cursor": page["next_cursor"]}).json()
        assert rest["items"][0]["id"] == low.pk and rest["next_cursor"] is None

    def test_list_errors(self, client: Client) -> None:
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/comments"
        assert client.get(url, {"order": "random"}).status_code == 422
        assert client.get(url, {"limit": 51}).status_code == 422
        response = client.get(url, {"cursor": "nope"})
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
        hidden = NoteFactory(visibility=Visibility.PRIVATE)
        assert client.get(f"{BASE}/notes/{hidden.pk}/comments").status_code == 404

    def test_create_errors(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        url = f"{BASE}/notes/{note.pk}/comments"
        assert send(client, "post", url, {"body": ""}).status_code == 422
        assert send(client, "post", url, {"body": "x" * 1001}).status_code == 422
        response = send(client, "post", url, {"body": "  \n "})
        assert response.status_code == 400 and response.json()["code"] == "comment_empty"
        response = send(client, "post", url, {"body": "hi", "parent_id": 10**9})
        assert response.status_code == 404 and response.json()["code"] == "parent_not_found"
        hidden = NoteFactory(visibility=Visibility.FOLLOWERS)
        assert send(client, "post", f"{BASE}/notes/{hidden.pk}/comments", {"body": "hi"}).status_code == 404
        client.logout()
        assert send(client, "post", url, {"body": "hi"}).status_code == 401
        assert not Comment.objects.exists()

    def test_rate_limited(self, client: Client, member, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        # A fixed clock keeps all attempts in one window, however slow the machine is.
        monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_000.0))
        monkeypatch.setattr(engagement_api, "COMMENTS_PER_MINUTE", 3)
        url = f"{BASE}/notes/{NoteFactory().pk}/comments"
        statuses = [send(client, "post", url, {"body": f"c{i}"}).status_code for i in range(4)]
        assert statuses == [201, 201, 201, 429]
        assert Comment.objects.count() == 3

    def test_blocked_commenter_hidden(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        shown, hidden = CommentFactory(note=note), CommentFactory(note=note)
        block(hidden.author, member)
        items = client.get(f"{BASE}/notes/{note.pk}/comments").json()["items"]
        assert [c["id"] for c in items] == [shown.pk]
        assert client.get(f"{BASE}/comments/{hidden.pk}/replies").status_code == 404

    def test_replies(self, client: Client) -> None:
        note = NoteFactory()
        top = CommentFactory(note=note)
        replies = [CommentFactory(note=note, parent=top) for _ in range(4)]
        url = f"{BASE}/comments/{top.pk}/replies"
        page = client.get(url, {"limit": 3}).json()
        assert [r["id"] for r in page["items"]] == [r.pk for r in replies[:3]]
        rest = client.get(url, {"cursor": page["next_cursor"]}).json()
        assert [r["id"] for r in rest["items"]] == [replies[3].pk]
        assert client.get(f"{BASE}/comments/999999999/replies").json()["code"] == "not_found"

    def test_delete(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        mine = services.comment_create(author=member, note_id=note.pk, body="mine")
        theirs = services.comment_create(author=UserFactory(), note_id=note.pk, body="theirs")
        response = client.delete(f"{BASE}/comments/{theirs.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert client.delete(f"{BASE}/comments/{mine.pk}").status_code == 204
        assert client.delete(f"{BASE}/comments/{mine.pk}").status_code == 404
        note.refresh_from_db()
        assert note.comment_count == 1

    def test_note_author_deletes_any(self, client: Client) -> None:
        note = NoteFactory()
        comment = services.comment_create(author=UserFactory(), note_id=note.pk, body="spam")
        client.force_login(note.author)
        assert client.delete(f"{BASE}/comments/{comment.pk}").status_code == 204

    def test_comment_likes(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        comment = CommentFactory()
        url = f"{BASE}/comments/{comment.pk}/like"
        assert send(client, "put", url).json() == {"liked": True, "like_count": 1}
        assert send(client, "delete", url).json() == {"liked": False, "like_count": 0}
        hidden = CommentFactory(note=NoteFactory(visibility=Visibility.PRIVATE))
        assert send(client, "put", f"{BASE}/comments/{hidden.pk}/like").status_code == 404
        client.logout()
        assert send(client, "put", url).status_code == 401

    @pytest.mark.parametrize("size", [3, 20])
    def test_query_budget(self, client: Client, member, size: int, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory()
        for _ in range(size):
            top = CommentFactory(note=note)
            for _ in range(4):
                CommentFactory(note=note, parent=top)
        with django_assert_max_num_queries(6):
            response = client.get(f"{BASE}/notes/{note.pk}/comments", {"limit": size})
        assert len(response.json()["items"]) == size


class TestCollections:
    def test_create_patch_delete(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        response = send(client, "post", f"{BASE}/collections", {"name": "Trips", "is_public": True})
        assert response.status_code == 201
        data = response.json()
        assert data["name"] == "Trips" and data["is_public"] and data["note_count"] == 0
        assert data["owner"] == member.username and data["cover_url"] is None
        url = f"{BASE}/collections/{data['id']}"
        patched = send(client, "patch", url, {"name": "Travel", "is_public": False}).json()
        assert (patched["name"], patched["is_public"]) == ("Travel", False)
        assert client.delete(url).status_code == 204
        assert client.delete(url).status_code == 404

    def test_errors(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        url = f"{BASE}/collections"
        assert send(client, "post", url, {"name": "A"}).status_code == 201
        response = send(client, "post", url, {"name": "a"})
        assert response.status_code == 409 and response.json()["code"] == "collection_exists"
        assert send(client, "post", url, {"name": "x" * 51}).status_code == 422
        assert send(client, "post", url, {"name": ""}).status_code == 422
        others = CollectionFactory()
        assert send(client, "patch", f"{url}/{others.pk}", {"name": "mine"}).status_code == 404
        assert client.delete(f"{url}/{others.pk}").status_code == 404
        default = services.default_collection(user=member)
        response = client.delete(f"{url}/{default.pk}")
        assert response.status_code == 400 and response.json()["code"] == "default_collection"
        client.logout()
        assert send(client, "post", url, {"name": "B"}).status_code == 401

    def test_list_for_owner_and_others(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        default = services.default_collection(user=member)
        public = services.collection_create(owner=member, name="Public", is_public=True)
        services.collection_create(owner=member, name="Secret")
        note = NoteFactory()
        services.note_save(user=member, note_id=note.pk, collection_id=public.pk)
        url = f"{BASE}/users/{member.username}/collections"
        mine = client.get(url).json()
        assert mine["items"][0]["name"] == "Saved" and len(mine["items"]) == 3
        assert mine["items"][0]["id"] == default.pk and mine["next_cursor"] is None
        client.logout()
        theirs = client.get(url).json()["items"]
        assert [(c["name"], c["note_count"]) for c in theirs] == [("Public", 1)]
        assert theirs[0]["cover_url"]
        assert client.get(f"{BASE}/users/nobody_at_all/collections").status_code == 404
        blocked = UserFactory()
        block(member, blocked)
        client.force_login(blocked)
        assert client.get(url).status_code == 404

    def test_collection_notes(self, client: Client, member) -> None:  # type: ignore[no-untyped-def]
        owner = UserFactory()
        board = CollectionFactory(owner=owner, is_public=True)
        saves = [SaveFactory(collection=board) for _ in range(3)]
        hidden_author = UserFactory()
        SaveFactory(collection=board, note=NoteFactory(author=hidden_author))
        block(member, hidden_author)
        services.note_like(user=member, note_id=saves[0].note_id)
        url = f"{BASE}/collections/{board.pk}/notes"
        page = client.get(url, {"limit": 2}).json()
        assert [n["id"] for n in page["items"]] == [saves[2].note_id, saves[1].note_id]
        rest = client.get(url, {"limit": 2, "cursor": page["next_cursor"]}).json()
        assert [(n["id"], n["liked"]) for n in rest["items"]] == [(saves[0].note_id, True)]
        assert rest["next_cursor"] is None
        assert rest["items"][0]["cover"]["url"]
        private = CollectionFactory(owner=owner, is_public=False)
        response = client.get(f"{BASE}/collections/{private.pk}/notes")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        client.force_login(owner)
        assert client.get(f"{BASE}/collections/{private.pk}/notes").status_code == 200

    def test_collection_notes_query_budget(self, client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        board = CollectionFactory(is_public=True)
        for _ in range(15):
            SaveFactory(collection=board)
        client.force_login(UserFactory())
        with django_assert_max_num_queries(7):
            assert len(client.get(f"{BASE}/collections/{board.pk}/notes").json()["items"]) == 15
