"""The provenance hook: higher apps say where a note was first posted; the note page shows it in one
call, keeps only http(s) links, hides the link once the note has a video, and survives a failing
provider."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.notes import hooks
from haven.notes.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def providers(monkeypatch):
    """Only the providers a test registers (the apps' own are put back afterwards)."""
    registered: list[Any] = []
    monkeypatch.setattr(hooks, "_providers", registered)
    return registered


def test_provenance_of_cleans_what_providers_say(providers) -> None:
    calls: list[list[int]] = []

    def provider(ids: list[int]) -> dict[int, dict[str, Any]]:
        calls.append(ids)
        return {
            1: {"source": "TikTok", "posted_at": WHEN, "link": "https://www.tiktok.com/@a/video/1"},
            2: {"source": "Instagram", "posted_at": "not a date", "link": "javascript:alert(1)"},
            3: {"source": "", "posted_at": WHEN, "link": ""},  # no source: ignored
            99: {"source": "TikTok", "posted_at": WHEN, "link": ""},  # not asked about: ignored
        }

    def broken(ids: list[int]) -> dict[int, dict[str, Any]]:
        raise RuntimeError("provider down")

    hooks.register_provenance(broken)
    hooks.register_provenance(provider)
    hooks.register_provenance(provider)  # registering twice is harmless
    found = hooks.provenance_of([1, 2, 3, 1])
    assert calls == [[1, 2, 3]]
    assert found == {
        1: hooks.Provenance("TikTok", WHEN, "https://www.tiktok.com/@a/video/1"),
        2: hooks.Provenance("Instagram", None, ""),
    }
    assert hooks.provenance_of([]) == {}


def _page(client: Any, note: Any) -> tuple[str, int]:
    client.force_login(note.author)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/notes/{note.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_note_page_shows_where_a_note_was_first_posted(providers, client) -> None:
    note = NoteFactory(draft=True)
    plain = NoteFactory(draft=True, author=note.author)
    _page(client, plain)  # warm caches
    html, before = _page(client, plain)
    assert "data-provenance" not in html

    def provider(ids: list[int]) -> dict[int, dict[str, Any]]:
        list(type(note).objects.filter(pk__in=ids).values_list("pk"))  # one query, like a real provider
        link = "https://www.tiktok.com/@a/video/7"
        return {note.pk: {"source": "TikTok", "posted_at": WHEN, "link": link}} if note.pk in ids else {}

    hooks.register_provenance(provider)
    html, with_hook = _page(client, plain)
    assert "data-provenance" not in html
    assert with_hook - before <= 1
    html, imported = _page(client, note)
    assert "First posted on TikTok on March 3, 2024" in html
    assert 'href="https://www.tiktok.com/@a/video/7" rel="nofollow noopener noreferrer"' in html
    assert imported == with_hook
