"""Indexing after commit through the services, re-indexing, the drift check, the registry."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from haven.accounts import services as accounts
from haven.core import searchables
from haven.notes import services as notes
from haven.notes.models import Note, Visibility
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory
from haven.search import index, selectors, services
from haven.search.models import SearchEntry
from haven.search.tests.helpers import found, index_all
from haven.translation import aids_services

pytestmark = pytest.mark.django_db


def test_notes_topics_and_members_are_registered() -> None:
    registered = searchables.kinds()
    assert {"note", "topic", "member"} <= set(registered)
    assert {"notes.Note", "notes.Hashtag", "accounts.User"} <= searchables.covered_models()
    codes = [s.code for s in registered.values()]
    assert len(codes) == len(set(codes))
    assert registered["member"].suggest and registered["topic"].suggest
    assert registered["note"].timely


def test_services_index_after_commit(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    author = UserFactory()
    image = MediaImageFactory(owner=author)
    with django_capture_on_commit_callbacks(execute=True):
        note = notes.note_create(
            author=author, title="Sourdough starter", body="#面包 day one", image_ids=[image.pk]
        )
    assert found(None, "sourdough") == [note.pk]
    assert [h.card["name"] for h in selectors.search(None, "面包", kind="topic").items] == ["面包"]
    with django_capture_on_commit_callbacks(execute=True):
        notes.note_update(actor=author, note_id=note.pk, title="Rye loaf")
    assert found(None, "sourdough") == []
    assert found(None, "rye") == [note.pk]
    with django_capture_on_commit_callbacks(execute=True):
        notes.note_update(actor=author, note_id=note.pk, visibility=Visibility.PRIVATE)
    assert not SearchEntry.objects.filter(kind="note", object_id=note.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notes.note_update(actor=author, note_id=note.pk, visibility=Visibility.PUBLIC)
        notes.note_delete(actor=author, note_id=note.pk)
    assert not SearchEntry.objects.filter(kind="note", object_id=note.pk).exists()


def test_profile_edits_and_authors_translations_are_indexed(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    member = UserFactory(display_name="Plain")
    note = NoteFactory(author=member, title="咖啡拉花", language="zh-Hans")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.profile_update(user=member, display_name="Latte Artist")
        aids_services.note_translation_save(
            author=member, note_id=note.pk, language="en", title="Latte art", body="Pouring a rosetta"
        )
    assert found(None, "artist", kind="member") == [member.pk]
    assert found(None, "rosetta") == [note.pk]
    with django_capture_on_commit_callbacks(execute=True):
        aids_services.note_translation_delete(author=member, note_id=note.pk, language="en")
    assert found(None, "rosetta") == []


def test_drift_check_reports_and_repairs() -> None:
    kept = NoteFactory(title="Dumpling")
    index_all()
    missing = NoteFactory(title="Dumpling")  # written without the services: not indexed
    gone = NoteFactory(title="Dumpling")
    index.index_objects("note", [gone.pk])
    Note.objects.filter(pk=gone.pk).delete()  # deleted without the services: still indexed
    report = index.drift("note")
    assert report.missing == [missing.pk]
    assert report.extra == [gone.pk]
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("search_reindex", "--check", "--kind", "note", stdout=out)
    assert exited.value.code == 1
    assert "1 missing, 1 extra" in out.getvalue()
    call_command("search_reindex", "--check", "--fix", "--kind", "note", stdout=StringIO())
    assert index.drift("note").clean
    assert set(found(None, "dumpling")) == {kept.pk, missing.pk}


def test_reindex_command_rebuilds_every_kind() -> None:
    NoteFactory(title="Hotpot")
    UserFactory(display_name="Hotpot Fan")
    out = StringIO()
    call_command("search_reindex", "--clear", "--vocabulary", stdout=out)
    assert "note: 1 indexed" in out.getvalue()
    assert found(None, "hotpot") and found(None, "hotpot", kind="member")
    assert found(None, "hotpt")  # the vocabulary was rebuilt
    for kind in searchables.kinds():
        assert index.drift(kind).clean


def test_unknown_kind_is_refused_by_the_command() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search_reindex", "--kind", "spaceship", stdout=StringIO())


def test_refresh_job_updates_boosts_and_repairs() -> None:
    note = NoteFactory(title="Mooncake")
    index_all()
    before = SearchEntry.objects.get(kind="note", object_id=note.pk).boost
    Note.objects.filter(pk=note.pk).update(like_count=300)
    stray = NoteFactory(title="Mooncake")  # not indexed: the drift repair adds it
    summary = services.refresh()
    assert SearchEntry.objects.get(kind="note", object_id=note.pk).boost > before
    assert summary["note"]["missing"] == 1
    assert set(found(None, "mooncake")) == {note.pk, stray.pk}
