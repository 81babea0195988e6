"""Contract tests of /api/v1/search: status codes, error codes, history, and the query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haven.accounts.tests.factories import UserFactory, bearer, token_for
from haven.notes.tests.factories import NoteFactory, block
from haven.search.models import SearchHistory
from haven.search.tests.helpers import index_all, tag

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


@pytest.fixture
def member(client: Client):  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    return user


def test_anonymous_search(client: Client) -> None:
    note = NoteFactory(title="Hand-pulled noodles")
    index_all()
    response = client.get(URL, {"q": "noodles"})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "note"
    assert [item["id"] for item in body["items"]] == [note.pk]
    card = body["items"][0]["card"]
    assert card["title"] == "Hand-pulled noodles" and card["author"]["username"] == note.author.username
    assert body["next_cursor"] is None and body["corrections"] == {}


def test_people_and_topics(client: Client) -> None:
    user = UserFactory(username="noodlemaster", display_name="面条师傅")
    tag(NoteFactory(title="x"), "面条")
    index_all()
    people = client.get(URL, {"q": "面条", "type": "member"}).json()["items"]
    assert [(i["kind"], i["card"]["username"]) for i in people] == [("member", user.username)]
    topics = client.get(URL, {"q": "miantiao", "type": "topic"}).json()["items"]
    assert [(i["kind"], i["card"]["name"], i["card"]["note_count"]) for i in topics] == [("topic", "面条", 1)]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 422, "invalid_input"),
        ({"q": "  "}, 422, "invalid_input"),
        ({"q": "x" * 101}, 422, "invalid_input"),
        ({"q": "x", "type": "spaceship"}, 422, "invalid_input"),
        ({"q": "x", "lang": "???"}, 422, "invalid_input"),
        ({"q": "x", "since": "decade"}, 422, "invalid_input"),
        ({"q": "x", "limit": "51"}, 422, "invalid_input"),
        ({"q": "x", "limit": "0"}, 422, "invalid_input"),
        ({"q": "x", "limit": "many"}, 422, "invalid_input"),
        ({"q": "x", "cursor": "not-a-cursor"}, 400, "invalid_cursor"),
    ],
)
def test_bad_input(client: Client, params: dict, status: int, code: str) -> None:  # type: ignore[type-arg]
    response = client.get(URL, params)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_paging_over_http(client: Client) -> None:
    notes = [NoteFactory(title=f"Pancake {i}") for i in range(5)]
    index_all()
    seen, cursor = [], None
    while True:
        params = {"q": "pancake", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        body = client.get(URL, params).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(n.pk for n in notes)


def test_suggest(client: Client) -> None:
    user = UserFactory(username="dimsum_fan", display_name="点心")
    tag(NoteFactory(title="x"), "点心")
    index_all()
    body = client.get(f"{URL}/suggest", {"q": "dim"}).json()
    assert [(i["kind"], i["id"]) for i in body["items"]] == [("member", user.pk)]
    kinds = sorted(i["kind"] for i in client.get(f"{URL}/suggest", {"q": "点"}).json()["items"])
    assert kinds == ["member", "topic"]
    assert client.get(f"{URL}/suggest", {"q": ""}).status_code == 422
    assert client.get(f"{URL}/suggest", {"q": "d", "limit": "21"}).status_code == 422


def test_suggest_hides_blocked_members(client: Client, member) -> None:  # type: ignore[no-untyped-def]
    other = UserFactory(username="dumplingqueen")
    block(other, member)
    index_all()
    assert client.get(f"{URL}/suggest", {"q": "dumpl"}).json()["items"] == []


def test_history_is_recorded_private_and_deletable(client: Client, member) -> None:  # type: ignore[no-untyped-def]
    index_all()
    client.get(URL, {"q": "coffee"})
    client.get(URL, {"q": "tea", "type": "topic"})
    client.get(URL, {"q": "coffee"})  # a repeat moves to the top instead of adding a row
    client.get(URL, {"q": "secret", "remember": "false"})
    items = client.get(f"{URL}/history").json()["items"]
    assert [(i["query"], i["kind"]) for i in items] == [("coffee", "note"), ("tea", "topic")]

    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"{URL}/history").json()["items"] == []
    assert other.delete(f"{URL}/history/{items[0]['id']}").status_code == 404

    assert client.delete(f"{URL}/history/{items[0]['id']}").status_code == 204
    assert client.delete(f"{URL}/history/{items[0]['id']}").json()["code"] == "not_found"
    assert [i["query"] for i in client.get(f"{URL}/history").json()["items"]] == ["tea"]
    assert client.delete(f"{URL}/history").status_code == 204
    assert client.get(f"{URL}/history").json()["items"] == []


def test_history_needs_a_member(client: Client) -> None:
    assert client.get(f"{URL}/history").status_code == 401
    assert client.delete(f"{URL}/history").status_code == 401
    assert client.get(URL, {"q": "anonymous"}).status_code == 200
    assert not SearchHistory.objects.exists()


def test_history_works_with_a_token(client: Client) -> None:
    user = UserFactory()
    _token, raw = token_for(user)
    client.get(URL, {"q": "bao"}, **bearer(raw))
    assert client.get(f"{URL}/history", **bearer(raw)).json()["items"][0]["query"] == "bao"


def test_history_keeps_the_last_50(member) -> None:  # type: ignore[no-untyped-def]
    from haven.search import services

    for i in range(55):
        services.history_record(user=member, query=f"query {i}", kind="note")
    assert SearchHistory.objects.filter(user=member).count() == 50
    assert not SearchHistory.objects.filter(user=member, query="query 0").exists()


def _queries(client: Client, params: dict) -> int:  # type: ignore[type-arg]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", ["note", "member", "topic"])
def test_query_budget_does_not_grow_with_the_page(client: Client, member, kind: str) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        author = UserFactory(display_name=f"Tofu cook {i}")
        tag(NoteFactory(title=f"Tofu {i}", author=author, images=3), f"tofu{i}")
    index_all()
    # Once per process (and 10 minutes), PostgreSQL's lexeme statistics are read: not per request.
    _queries(client, {"q": "tofu", "type": kind, "limit": "1", "remember": "false"})
    small = _queries(client, {"q": "tofu", "type": kind, "limit": "2", "remember": "false"})
    large = _queries(client, {"q": "tofu", "type": kind, "limit": "25", "remember": "false"})
    assert small == large, (small, large)
    # Measured on SQLite: session + user, the vocabulary lookup, the index, the visibility query, and for
    # notes the cover prefetch (note 6, member 5, topic 4); one of headroom for the scaled profile.
    assert large <= {"note": 7, "member": 6, "topic": 5}[kind]
