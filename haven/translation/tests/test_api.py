"""The translation API over HTTP: providers, note and comment translation, error codes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.engagement import services as engagement_services
from haven.notes.models import Visibility
from haven.notes.tests.factories import NoteFactory
from haven.translation.tests.conftest import hang, libretranslate_ok, provider

pytestmark = pytest.mark.django_db

BASE = "/api/v1/translation"
NOTE_KEYS = {
    "note_id",
    "title",
    "body_html",
    "source_language",
    "target_language",
    "provider",
    "cached",
    "not_needed",
}


@pytest.fixture
def lt(serve: Any, settings: Any) -> Any:
    server = serve(libretranslate_ok)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url, id="lt", api_key="secret-key")]
    return server


@pytest.fixture
def member(client: Client) -> Any:
    user = UserFactory()
    client.force_login(user)
    return user


def zh_note(**kwargs: Any) -> Any:
    return NoteFactory(title="周末咖啡", body="今天的拿铁很好喝", language="zh-Hans", **kwargs)


class TestProviders:
    def test_nothing_configured(self, client: Client, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = []
        body = client.get(f"{BASE}/providers").json()
        assert body == {"configured": False, "providers": [], "pairs": []}

    def test_lists_pairs_without_secrets(
        self, client: Client, lt: Any, django_assert_max_num_queries: Any
    ) -> None:
        client.get(f"{BASE}/providers")  # the first call reads the admin's providers (one query)
        with django_assert_max_num_queries(0):  # then they are cached until staff change them
            r = client.get(f"{BASE}/providers")
        assert r.status_code == 200
        body = r.json()
        assert body["configured"] and body["providers"] == [
            {"id": "lt", "kind": "libretranslate", "pairs": ["*"]}
        ]
        assert {"source": "zh", "target": "en", "providers": ["lt"]} in body["pairs"]
        assert "secret-key" not in r.content.decode() and "127.0.0.1" not in r.content.decode()


class TestNote:
    def test_translates(
        self, client: Client, member: Any, lt: Any, django_assert_max_num_queries: Any
    ) -> None:
        note = zh_note()
        r = client.post(f"{BASE}/notes/{note.pk}?target=en")
        assert r.status_code == 200, r.content
        body = r.json()
        assert set(body) == NOTE_KEYS
        assert body["title"] == "[en] 周末咖啡" and "[en] 今天的拿铁很好喝" in body["body_html"]
        assert (body["source_language"], body["target_language"], body["provider"]) == ("zh-Hans", "en", "lt")
        with django_assert_max_num_queries(8):
            again = client.post(f"{BASE}/notes/{note.pk}?target=en").json()
        assert again["cached"] is True

    def test_not_needed(self, client: Client, member: Any, lt: Any) -> None:
        note = zh_note()
        body = client.post(f"{BASE}/notes/{note.pk}?target=zh-Hans").json()
        assert body["not_needed"] is True and body["provider"] == ""

    def test_requires_login(self, client: Client, lt: Any) -> None:
        r = client.post(f"{BASE}/notes/{zh_note().pk}?target=en")
        assert r.status_code == 401 and r.json()["code"] == "not_authenticated"

    def test_invisible_is_404(self, client: Client, member: Any, lt: Any) -> None:
        hidden = zh_note(visibility=Visibility.PRIVATE)
        for note_id in (hidden.pk, 10**9):
            r = client.post(f"{BASE}/notes/{note_id}?target=en")
            assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert lt.requests == []

    @pytest.mark.parametrize("target", ["", "x", "english-please", "<script>", "xx"])
    def test_bad_target(self, client: Client, member: Any, lt: Any, target: str) -> None:
        r = client.post(f"{BASE}/notes/{zh_note().pk}?target={target}")
        assert r.status_code in (400, 422)
        assert r.json()["code"] in {"invalid_input", "unsupported_language"}

    def test_unavailable(self, client: Client, member: Any, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = []
        r = client.post(f"{BASE}/notes/{zh_note().pk}?target=en")
        assert r.status_code == 503 and r.json()["code"] == "translation_unavailable"

    def test_quota(self, client: Client, member: Any, lt: Any, settings: Any) -> None:
        settings.TRANSLATION_MEMBER_QUOTA_PER_HOUR = 0
        r = client.post(f"{BASE}/notes/{zh_note().pk}?target=en")
        assert r.status_code == 429 and r.json()["code"] == "translation_quota"

    def test_timeout(self, client: Client, member: Any, serve: Any, settings: Any) -> None:
        slow = serve(hang(2))
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", slow.url)]
        settings.TRANSLATION_TIMEOUT_SECONDS = 0.3
        note = zh_note()
        r = client.post(f"{BASE}/notes/{note.pk}?target=en")
        assert r.status_code == 504 and r.json()["code"] == "translation_timeout"
        assert client.get(f"/api/v1/notes/{note.pk}").status_code == 200  # the note still shows

    def test_hostile_answer(self, client: Client, member: Any, serve: Any, settings: Any) -> None:
        def hostile(body: dict[str, Any]) -> tuple[int, bytes]:
            out = ['<script>alert(1)</script><a href="javascript:alert(2)">x</a>'] * len(body["q"])
            return 200, json.dumps({"translatedText": out}).encode()

        server = serve(hostile)
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url)]
        body = client.post(f"{BASE}/notes/{zh_note().pk}?target=en").json()
        assert "<script" not in body["body_html"] and "javascript:" not in body["body_html"]
        assert "<" not in body["title"]

    def test_huge_answer(self, client: Client, member: Any, serve: Any, settings: Any) -> None:
        server = serve(lambda body: (200, json.dumps({"translatedText": ["x" * 1_000_000] * 2}).encode()))
        settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url)]
        r = client.post(f"{BASE}/notes/{zh_note().pk}?target=en")
        assert r.status_code == 502 and r.json()["code"] == "translation_too_large"


class TestComment:
    def test_translates(self, client: Client, member: Any, lt: Any) -> None:
        comment = engagement_services.comment_create(
            author=UserFactory(), note_id=NoteFactory().pk, body="太好看了，求链接"
        )
        r = client.post(f"{BASE}/comments/{comment.pk}?target=en")
        assert r.status_code == 200
        body = r.json()
        assert body["comment_id"] == comment.pk and "[en] 太好看了，求链接" in body["body_html"]

    def test_comment_on_hidden_note_is_404(self, client: Client, member: Any, lt: Any) -> None:
        note = NoteFactory(visibility=Visibility.PRIVATE)
        comment = engagement_services.comment_create(
            author=note.author, note_id=note.pk, body="太好看了，求链接"
        )
        r = client.post(f"{BASE}/comments/{comment.pk}?target=en")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
