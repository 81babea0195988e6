"""Imported drafts say on their own page where they were first posted (through notes' provenance hook):
with the date and the platform's link, on the draft and once published; a normal note says nothing,
and the page costs at most one more query."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.imports import provenance
from haven.imports.models import ImportedItem
from haven.imports.tests.test_lifecycle import confirm, upload, zipped
from haven.notes import hooks
from haven.notes.models import Note
from haven.notes.services import note_publish, note_update
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client: Any, note_id: int) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/notes/{note_id}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_imported_drafts_show_where_they_were_first_posted(
    tmp_path, client, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    assert provenance.provenance in hooks._providers  # registered by ImportsConfig.ready()
    user = UserFactory()
    client.force_login(user)
    job = upload(user, zipped(tmp_path), django_capture_on_commit_callbacks)
    confirm(user, job, django_capture_on_commit_callbacks, choices={"posts": True})
    item = ImportedItem.objects.get(user=user, note__body__startswith="Sunday sourdough")
    html, queries = page(client, item.note_id)
    assert "First posted on TikTok on Sept. 1, 2025" in html
    link = f'href="{item.original_link.replace("&", "&amp;")}" rel="nofollow noopener noreferrer"'
    assert link in html

    plain = NoteFactory(draft=True, author=user)
    html, plain_queries = page(client, plain.pk)
    assert "data-provenance" not in html
    monkeypatch.setattr(hooks, "_providers", [])
    _html, without_hook = page(client, plain.pk)
    assert plain_queries - without_hook <= 1 and queries - without_hook <= 1

    # Published (with a photo of its own), it still says where it was first posted, to everyone.
    monkeypatch.undo()
    image = MediaImageFactory(owner=user)
    note_update(actor=user, note_id=item.note_id, image_ids=[image.pk])
    note_publish(actor=user, note_id=item.note_id)
    assert Note.objects.get(pk=item.note_id).status == "published"
    client.logout()
    html, _queries = page(client, item.note_id)
    assert "First posted on TikTok on Sept. 1, 2025" in html


def test_links_are_shown_only_to_the_platforms_hosts() -> None:
    user = UserFactory()
    notes = [NoteFactory(draft=True, author=user) for _ in range(3)]
    for note, (source, link) in zip(
        notes,
        [
            ("tiktok", "https://www.tiktok.com/@a/video/1"),
            ("tiktok", "https://evil.example/video/1"),
            ("instagram", "javascript:alert(1)"),
        ],
        strict=True,
    ):
        ImportedItem.objects.create(
            user=user, source=source, key=f"k{note.pk}", note=note, original_link=link
        )
    found = provenance.provenance([n.pk for n in notes])
    assert [found[n.pk]["link"] for n in notes] == ["https://www.tiktok.com/@a/video/1", "", ""]
    assert [found[n.pk]["source"] for n in notes] == ["TikTok", "TikTok", "Instagram"]
