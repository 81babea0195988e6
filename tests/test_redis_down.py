"""Fault test: with HAVEN_REDIS_URL pointing at a dead server, no page or endpoint answers 500.

Reads degrade to the database path; writes that cannot be done without Redis answer 503 with the
stable code `service_unavailable` and a `Retry-After` header; every answer comes within 2 seconds.
Runs in the scaled profile only (CI's scaled run sets HAVEN_REDIS_URL); the app is pointed at a
closed port through settings overrides, so the same process exercises the real Redis client code.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.core import degrade
from haven.notes.tests.factories import NoteFactory, follow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("HAVEN_REDIS_URL"), reason="scaled profile only (HAVEN_REDIS_URL unset)"
    ),
]

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
BUDGET_SECONDS = 2.0


@pytest.fixture
def redis_down(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the cache, channel layer, feeds and counters at a closed port."""
    monkeypatch.setattr(settings.HAVEN, "redis_url", DEAD_REDIS)
    monkeypatch.setattr(settings.HAVEN, "counter_buffer", True)
    monkeypatch.setattr(settings.HAVEN, "discover_cache_seconds", 60)
    settings.CACHES = {**settings.CACHES, "default": degrade.cache_config(DEAD_REDIS)}
    settings.CHANNEL_LAYERS = {"default": degrade.channel_layer_config(DEAD_REDIS)}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    degrade.reset()
    yield
    degrade.reset()


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "red.png"
    return buffer


class Probe:
    """Sends requests, records every answer, and checks the no-500 / 503+Retry-After / 2 s rules."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []
        self.seen: list[tuple[str, str, int]] = []

    def __call__(self, method: str, path: str, **kwargs: Any) -> Any:
        started = time.monotonic()
        response = getattr(self.client, method)(path, **kwargs)
        elapsed = time.monotonic() - started
        label = f"{method.upper()} {path}"
        self.seen.append((method, path, response.status_code))
        if response.status_code >= 500 and response.status_code != 503:
            self.failures.append(f"{label}: {response.status_code}")
        if response.status_code == 503:
            if not response.get("Retry-After"):
                self.failures.append(f"{label}: 503 without Retry-After")
            if path.startswith("/api/"):
                code = json.loads(response.content).get("code")
                if code != "service_unavailable":
                    self.failures.append(f"{label}: 503 with code {code!r}")
        if elapsed > BUDGET_SECONDS:
            self.failures.append(f"{label}: took {elapsed:.2f}s")
        return response


def test_no_500_anywhere_when_redis_is_down(redis_down: None) -> None:
    author = UserFactory(username="author")
    reader = UserFactory(username="reader")
    follow(reader, author)
    note = NoteFactory(author=author, title="Hello", body="你好世界", language="zh")
    NoteFactory(author=author, title="Second")

    anon = Probe(Client(raise_request_exception=False))
    for path in ["/", f"/@{author.username}/", f"/notes/{note.pk}/", "/accounts/login/", "/accounts/signup/"]:
        anon("get", path)
    for path in [
        "/api/v1/feeds/discover",
        f"/api/v1/feeds/users/{author.username}/notes",
        f"/api/v1/notes/{note.pk}",
        f"/api/v1/graph/users/{author.username}",
        f"/api/v1/engagement/notes/{note.pk}/comments",
        "/api/v1/translation/providers",
    ]:
        anon("get", path)
    # Sign-up and login through the HTML forms and the API never 500.
    anon(
        "post",
        "/accounts/signup/",
        data={
            "username": "newbie",
            "email": "newbie@example.com",
            "password": "a fine long passphrase",
            "display_name": "Newbie",
            "languages": ["en"],
            "interface_language": "en",
        },
    )
    anon("post", "/accounts/login/", data={"login": "reader", "password": "wrong password"})
    anon(
        "post",
        "/api/v1/accounts/token",
        data={"username_or_email": "reader", "password": DEFAULT_PASSWORD, "name": "cli"},
        content_type="application/json",
    )
    login = anon("post", "/accounts/login/", data={"login": "reader", "password": DEFAULT_PASSWORD})

    member = Probe(Client(raise_request_exception=False))
    member.client.force_login(reader)
    for path in [
        "/",
        "/feeds/following/",
        f"/notes/{note.pk}/",
        "/notes/new/",
        "/notes/drafts/",
        "/notifications/",
        "/engagement/collections/",
        "/accounts/settings/",
        "/accounts/settings/password/",
        "/accounts/settings/tokens/",
        "/translation/words/",
        "/translation/preferences/",
        f"/engagement/notes/{note.pk}/comments/",
        "/feeds/topic/hello/",
    ]:
        member("get", path)
    htmx = {"HTTP_HX_REQUEST": "true"}
    member("get", f"/translation/notes/{note.pk}/?mode=pinyin", **htmx)
    member("get", "/translation/gloss/?word=你好", **htmx)
    for path in [
        "/api/v1/feeds/following",
        "/api/v1/feeds/discover",
        "/api/v1/notifications",
        "/api/v1/notifications/unread-count",
        "/api/v1/accounts/me",
        "/api/v1/notes/drafts",
    ]:
        member("get", path)
    # Writes: each either works or answers 503 + Retry-After.
    member("post", f"/engagement/notes/{note.pk}/comments/new/", data={"body": "Nice!"})
    member(
        "post",
        f"/api/v1/engagement/notes/{note.pk}/comments",
        data={"body": "Nice too"},
        content_type="application/json",
    )
    member("put", f"/api/v1/engagement/notes/{note.pk}/like")
    member("post", f"/engagement/notes/{note.pk}/like/")
    member("put", f"/api/v1/graph/follows/{author.username}")
    upload = member("post", "/api/v1/media/images", data={"file": _png()})
    image_ids = []
    if upload.status_code == 201:
        image_ids = [json.loads(upload.content)["id"]]
    member(
        "post",
        "/api/v1/notes",
        data={"title": "From the API", "body": "Hello", "image_ids": image_ids, "publish": True},
        content_type="application/json",
    )
    member(
        "post",
        "/notes/new/",
        data={"title": "From the form", "body": "Hello", "visibility": "public", "action": "publish"},
    )
    member("post", "/api/v1/notifications/read", data={}, content_type="application/json")

    failures = anon.failures + member.failures
    assert not failures, "\n".join(failures)
    # Reads degrade to the database path: every page and GET endpoint answers, none is a 503.
    unavailable_reads = [f"{p} {s}" for m, p, s in anon.seen + member.seen if m == "get" and s >= 500]
    assert not unavailable_reads, unavailable_reads
    # Buffered counters are not lost: with Redis down they went straight to the database.
    note.refresh_from_db()
    assert note.comment_count == 2
    assert login.status_code == 302, "a member can log in while Redis is down"
