"""Contract tests of /api/v1/onboarding over HTTP: shapes, status and error codes, bounds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import bearer, token_for
from haven.notes.tests.factories import UserFactory
from haven.onboarding.tests.factories import tagged_note

pytestmark = pytest.mark.django_db
URL = "/api/v1/onboarding"


@pytest.fixture
def member() -> Any:
    return UserFactory(languages=["en"])


@pytest.fixture
def auth(member: Any) -> dict[str, Any]:
    _token, raw = token_for(member)
    return bearer(raw)


def _post(client: Client, path: str, body: Any, auth: dict[str, Any]) -> Any:
    return client.post(f"{URL}{path}", body, content_type="application/json", **auth)


def test_anonymous_callers_get_401(client: Client) -> None:
    for path in ("", "/topics", "/suggestions"):
        response = client.get(f"{URL}{path}")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    assert client.post(f"{URL}/skip").status_code == 401


def test_state_of_a_new_member(client: Client, auth: dict[str, Any]) -> None:
    body = client.get(URL, **auth).json()
    assert body["step"] == "languages"
    assert (body["completed"], body["skipped"], body["completed_at"]) == (False, False, None)
    assert body["languages"] == ["en"] and body["learning_languages"] == [] and body["topics"] == []
    assert (body["min_topics"], body["max_topics"]) == (3, 30)
    assert "zh" in body["supported_languages"]


def test_the_whole_flow(client: Client, auth: dict[str, Any], member: Any) -> None:
    zh_author = UserFactory(username="mei", languages=["zh"], bio="上海 · 咖啡")
    tagged_note(zh_author, "咖啡", language="zh", likes=9)
    tagged_note(UserFactory(username="sam"), "hiking", likes=3)

    languages = {"reads": ["en"], "learning": ["zh"], "interface_language": "en"}
    response = _post(client, "/languages", languages, auth)
    assert response.status_code == 200
    assert response.json()["step"] == "interests"
    assert response.json()["learning_languages"] == ["zh"]

    topics = client.get(f"{URL}/topics", **auth).json()["items"]
    coffee = next(t for t in topics if t["key"] == "coffee")
    assert coffee["cover"]["grid_url"] and coffee["tags"] == ["coffee", "咖啡"]
    assert set(coffee) == {"key", "label", "other_label", "tags", "emoji", "note_count", "chosen", "cover"}

    response = _post(client, "/interests", {"topics": ["coffee", "hiking", "tea"]}, auth)
    assert response.status_code == 200
    assert response.json()["topics"] == ["coffee", "hiking", "tea"] and response.json()["step"] == "people"

    people = client.get(f"{URL}/suggestions", **auth).json()["items"]
    assert {p["username"] for p in people} == {"mei", "sam"}
    mei = next(p for p in people if p["username"] == "mei")
    assert mei["other_community"] is True and mei["language"] == "zh" and mei["sample"]["title"]
    assert "user" not in mei

    done = _post(client, "/complete", {}, auth).json()
    assert (done["step"], done["completed"], done["skipped"]) == ("done", True, False)
    assert _post(client, "/skip", {}, auth).json()["skipped"] is False  # finished once, kept


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/languages", {"reads": [], "learning": []}, 400, "languages_required"),
        ("/languages", {"reads": ["en"], "learning": ["en"]}, 400, "language_read_and_learned"),
        ("/languages", {"reads": ["xx"]}, 400, "invalid_languages"),
        ("/languages", {"reads": ["en"], "interface_language": "fr"}, 400, "invalid_interface_language"),
        ("/languages", {"reads": ["en"] * 9}, 422, "invalid_input"),
        ("/languages", {"reads": ["x" * 9]}, 422, "invalid_input"),
        ("/languages", {"learning": ["zh"]}, 422, "invalid_input"),
        ("/interests", {"topics": ["coffee", "hiking"]}, 400, "too_few_interests"),
        ("/interests", {"topics": ["coffee", "hiking", "no tag"]}, 400, "invalid_tag"),
        ("/interests", {"topics": [f"t{i}" for i in range(31)]}, 422, "invalid_input"),
        ("/interests", {"topics": ["coffee", "hiking", "x" * 71]}, 422, "invalid_input"),
        ("/interests", {"topics": "coffee"}, 422, "invalid_input"),
        ("/complete", {"skipped": "maybe"}, 422, "invalid_input"),
    ],
)
def test_refusals(client: Client, auth: dict[str, Any], path: str, body: Any, status: int, code: str) -> None:
    response = _post(client, path, body, auth)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_skip(client: Client, auth: dict[str, Any]) -> None:
    body = _post(client, "/skip", {}, auth).json()
    assert (body["step"], body["completed"], body["skipped"]) == ("done", True, True)
