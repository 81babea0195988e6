"""The notes JSON API over HTTP: contracts, error codes, idempotency, query budgets."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import bearer, token_for
from haven.core import ratelimit
from haven.core.models import IdempotencyRecord
from haven.notes import api as notes_api
from haven.notes.models import Note, Visibility
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory, follow

pytestmark = pytest.mark.django_db

URL = "/api/v1/notes"


def post(client: Client, url: str, data: Any = None, **headers: Any) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)


def patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def author(client: Client):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    return user


def new_note_body(user, **extra: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "title": "Sunday",
        "body": "Brunch #food",
        "image_ids": [MediaImageFactory(owner=user).pk],
        **extra,
    }


class TestCreate:
    def test_create_returns_the_note(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        image = MediaImageFactory(owner=author)
        response = post(
            client,
            URL,
            {
                "title": "Sunday",
                "body": "Brunch #food",
                "image_ids": [image.pk],
                "alt_texts": ["eggs"],
                "visibility": "followers",
            },
        )
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["author"] == {
            "username": author.username,
            "display_name": author.display_name,
            "avatar_url": None,
        }
        assert (
            data["title"] == "Sunday" and data["status"] == "published" and data["visibility"] == "followers"
        )
        assert data["hashtags"] == ["food"]
        assert data["counts"] == {"likes": 0, "saves": 0, "comments": 0}
        assert data["images"][0]["id"] == image.pk and data["images"][0]["alt_text"] == "eggs"
        assert data["images"][0]["state"] == "ready" and "-grid.webp?" in data["images"][0]["grid_url"]
        assert data["published_at"] and data["edited_at"] is None
        assert Note.objects.get(pk=data["id"]).author == author

    def test_draft(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        response = post(client, URL, {"title": "later", "publish": False})
        assert response.status_code == 201
        assert response.json()["status"] == "draft" and response.json()["published_at"] is None

    def test_needs_authentication(self, client: Client) -> None:
        response = post(client, URL, {"title": "x"})
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_bearer_token(self, client: Client) -> None:
        user = UserFactory()
        _, raw = token_for(user)
        response = post(client, URL, new_note_body(user), **bearer(raw))
        assert response.status_code == 201
        assert response.json()["author"]["username"] == user.username

    @pytest.mark.parametrize(
        "body",
        [
            {"title": "x" * 101},
            {"body": "x" * 5001},
            {"image_ids": list(range(1, 20))},
            {"image_ids": [0]},
            {"alt_texts": ["x" * 501]},
            {"cover_index": 18},
            {"visibility": "world"},
            {"location_name": "x" * 101},
            {"image_ids": [2**64]},
        ],
    )
    def test_schema_bounds(self, client: Client, author, body: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
        response = post(client, URL, body)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_input"

    def test_domain_errors(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        response = post(client, URL, {"title": "no images"})
        assert response.status_code == 400 and response.json()["code"] == "images_required"
        foreign = MediaImageFactory()
        response = post(client, URL, {"image_ids": [foreign.pk]})
        assert response.status_code == 400 and response.json()["code"] == "invalid_images"
        assert not Note.objects.exists()

    def test_rate_limited(self, client: Client, author, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_000.0))
        monkeypatch.setattr(notes_api, "CREATE_LIMIT_PER_HOUR", 2)
        statuses = [post(client, URL, new_note_body(author)).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
        assert Note.objects.count() == 2


class TestIdempotency:
    def test_same_key_and_body_replays(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        body = new_note_body(author)
        first = post(client, URL, body, HTTP_IDEMPOTENCY_KEY="abc-123")
        second = post(client, URL, body, HTTP_IDEMPOTENCY_KEY="abc-123")
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert Note.objects.count() == 1
        third = post(client, URL, body, HTTP_IDEMPOTENCY_KEY="other")
        assert third.status_code == 201 and third.json()["id"] != first.json()["id"]

    def test_same_key_other_body_conflicts(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        assert post(client, URL, new_note_body(author), HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
        response = post(client, URL, new_note_body(author, title="changed"), HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"
        assert Note.objects.count() == 1

    def test_keys_are_per_member(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        assert post(client, URL, new_note_body(author), HTTP_IDEMPOTENCY_KEY="same").status_code == 201
        other = UserFactory()
        client.force_login(other)
        response = post(client, URL, new_note_body(other), HTTP_IDEMPOTENCY_KEY="same")
        assert response.status_code == 201
        assert Note.objects.count() == 2

    def test_failures_are_not_stored(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        response = post(client, URL, {"title": "no images"}, HTTP_IDEMPOTENCY_KEY="retry-me")
        assert response.status_code == 400
        assert not IdempotencyRecord.objects.exists()

    def test_bad_keys(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        response = post(client, URL, new_note_body(author), HTTP_IDEMPOTENCY_KEY="has space")
        assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
        response = post(client, URL, new_note_body(author), HTTP_IDEMPOTENCY_KEY="k" * 101)
        assert response.status_code == 422
        assert post(client, URL, new_note_body(author), HTTP_IDEMPOTENCY_KEY="k" * 100).status_code == 201


class TestRead:
    def test_anonymous_reads_a_public_note(self, client: Client) -> None:
        note = NoteFactory(images=2)
        response = client.get(f"{URL}/{note.pk}")
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == note.pk and [i["position"] for i in data["images"]] == [0, 1]
        assert data["liked"] is None

    @pytest.mark.parametrize("visibility", [Visibility.FOLLOWERS, Visibility.PRIVATE])
    def test_hidden_notes_are_404(self, client: Client, visibility: str) -> None:
        note = NoteFactory(visibility=visibility)
        client.force_login(UserFactory())
        response = client.get(f"{URL}/{note.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert client.get(f"{URL}/999999999").json()["code"] == "not_found"

    def test_follower_reads_followers_note(self, client: Client) -> None:
        note = NoteFactory(visibility=Visibility.FOLLOWERS)
        viewer = UserFactory()
        follow(viewer, note.author)
        client.force_login(viewer)
        assert client.get(f"{URL}/{note.pk}").status_code == 200

    def test_bad_ids(self, client: Client) -> None:
        assert client.get(f"{URL}/0").status_code == 422
        assert client.get(f"{URL}/{2**64}").status_code == 422

    def test_query_budget(self, client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        viewer = UserFactory()
        client.force_login(viewer)
        note = NoteFactory(images=18, body="#a #b @x")
        with django_assert_max_num_queries(6):
            assert client.get(f"{URL}/{note.pk}").status_code == 200


class TestWrite:
    def test_patch(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory(author=author, images=2)
        image_ids = list(note.images.values_list("image_id", flat=True))
        response = patch(client, f"{URL}/{note.pk}", {"title": "Edited", "image_ids": image_ids[::-1]})
        assert response.status_code == 200
        data = response.json()
        assert data["title"] == "Edited" and data["edited_at"]
        assert [i["id"] for i in data["images"]] == image_ids[::-1]
        assert data["body"] == note.body

    def test_patch_errors(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        note = NoteFactory(author=author)
        assert patch(client, f"{URL}/{note.pk}", {"title": "x" * 101}).status_code == 422
        response = patch(client, f"{URL}/{note.pk}", {"image_ids": []})
        assert response.status_code == 400 and response.json()["code"] == "images_required"
        other = NoteFactory()
        response = patch(client, f"{URL}/{other.pk}", {"title": "mine"})
        assert response.status_code == 404 and response.json()["code"] == "not_found"

    def test_delete(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        note, other = NoteFactory(author=author), NoteFactory()
        assert client.delete(f"{URL}/{other.pk}").status_code == 404
        assert client.delete(f"{URL}/{note.pk}").status_code == 204
        assert client.delete(f"{URL}/{note.pk}").status_code == 404
        assert not Note.objects.filter(pk=note.pk).exists()

    def test_publish(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        draft = NoteFactory(author=author, draft=True)
        response = post(client, f"{URL}/{draft.pk}/publish")
        assert response.status_code == 200 and response.json()["status"] == "published"
        response = post(client, f"{URL}/{draft.pk}/publish")
        assert response.status_code == 409 and response.json()["code"] == "already_published"
        empty = NoteFactory(author=author, draft=True, images=0)
        assert post(client, f"{URL}/{empty.pk}/publish").json()["code"] == "images_required"

    def test_anonymous_writes_are_401(self, client: Client) -> None:
        note = NoteFactory()
        assert patch(client, f"{URL}/{note.pk}", {"title": "x"}).status_code == 401
        assert client.delete(f"{URL}/{note.pk}").status_code == 401
        assert post(client, f"{URL}/{note.pk}/publish").status_code == 401


class TestDrafts:
    def test_lists_own_drafts_with_cursor(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        mine = {NoteFactory(author=author, draft=True).pk for _ in range(3)}
        NoteFactory(author=author)
        NoteFactory(draft=True)
        first = client.get(f"{URL}/drafts?limit=2").json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        second = client.get(f"{URL}/drafts", {"limit": 2, "cursor": first["next_cursor"]}).json()
        assert second["next_cursor"] is None
        assert {n["id"] for n in first["items"] + second["items"]} == mine

    def test_errors(self, client: Client, author) -> None:  # type: ignore[no-untyped-def]
        assert client.get(f"{URL}/drafts?limit=51").status_code == 422
        assert client.get(f"{URL}/drafts?limit=0").status_code == 422
        response = client.get(f"{URL}/drafts?cursor=garbage")
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
        client.logout()
        assert client.get(f"{URL}/drafts").status_code == 401

    def test_query_budget(self, client: Client, author, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        for _ in range(10):
            NoteFactory(author=author, draft=True, images=2)
        with django_assert_max_num_queries(7):
            assert len(client.get(f"{URL}/drafts?limit=10").json()["items"]) == 10
