"""Tests of the seed_demo command and the seeding service."""

from __future__ import annotations

import io
import shutil
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.tests.factories import UserFactory
from haven.catalog.models import ProductImage
from haven.core.text import base_language
from haven.demo import content, paint
from haven.demo.seed import DEFAULT_PASSWORD
from haven.engagement.models import Comment, NoteLike
from haven.graph.models import Follow
from haven.media.models import MediaImage
from haven.notes.models import Note, NoteImage
from haven.notifications.models import Notification
from haven.shops.models import Shop


def seed(*args: str) -> str:
    """Run seed_demo; without video notes unless `--videos` is given (ffmpeg costs seconds each)."""
    out = io.StringIO()
    call_command("seed_demo", *args, *([] if "--videos" in args else ["--videos", "0"]), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_seeds_video_notes_with_captions_in_both_languages() -> None:
    output = seed("--members", "4", "--notes", "2", "--videos", "1", "--seed", "5")
    assert "1 video notes with English and Chinese captions" in output
    note = Note.objects.get(video__isnull=False)
    assert note.status == Note.Status.PUBLISHED and note.video.state == "ready"
    assert note.video.duration_ms >= 5000 and note.video.height > note.video.width
    assert sorted(note.video.captions.values_list("language", flat=True)) == ["en", "zh-Hans"]


@pytest.mark.django_db
def test_seeds_a_small_bilingual_community_through_the_services() -> None:
    output = seed("--members", "6", "--notes", "10", "--seed", "3")

    assert f"Demo login: demo / {DEFAULT_PASSWORD}" in output
    assert "Rows created" in output
    assert User.objects.filter(is_staff=False).count() == 6  # and the shops' operator when shops opened
    demo = User.objects.get(username="demo")
    assert demo.check_password(DEFAULT_PASSWORD)
    assert demo.bio and demo.avatar
    assert Note.objects.count() == 10
    published = Note.objects.filter(status=Note.Status.PUBLISHED)
    assert published.exists()
    for note in published:
        assert 1 <= note.images.count() <= 6
        assert note.title and note.body and "#" in note.body
        assert "{" not in note.title + note.body
    images = MediaImage.objects.all()
    assert images.count() >= 10
    assert set(images.values_list("state", flat=True)) == {MediaImage.State.READY}
    assert all(image.grid_path and image.detail_path for image in images)
    assert {"zh", "en"} <= {base_language(code) for code in Note.objects.values_list("language", flat=True)}
    assert Follow.objects.filter(follower=demo).exists()
    assert NoteLike.objects.exists()
    assert Comment.objects.exists()
    assert Notification.objects.filter(recipient=demo).exists()
    # Notes are spread over the last three weeks, never in the future.
    times = list(published.values_list("published_at", flat=True))
    now = timezone.now()
    assert all(t <= now for t in times)
    assert min(times) < now - timedelta(days=1)
    assert max(NoteLike.objects.values_list("created_at", flat=True)) <= now
    # The search index is built: a seeded note's title finds it.
    from haven.search import selectors

    note = published.filter(visibility="public", author__is_private=False, moderation="ok").first()
    assert note is not None
    assert note.pk in [hit.id for hit in selectors.search(None, note.title, limit=50).items]
    assert "search index and trending topics built" in output
    # The demo login has conversations: a direct one and a group in the inbox, with unread messages.
    from haven.messaging import selectors as messages

    inbox, _next = messages.conversation_list(demo, box="inbox")
    assert {entry.conversation.kind for entry in inbox} == {"direct", "group"}
    assert messages.unread_summary(demo)["unread"] > 0


@pytest.mark.django_db
def test_counters_match_the_rows_the_services_wrote() -> None:
    seed("--members", "5", "--notes", "6", "--seed", "11", "--quiet")

    for note in Note.objects.all():
        assert note.like_count == note.likes.count()
        assert note.comment_count == note.comments.count()
        assert note.save_count == note.saves.count()
    # Every image belongs to a note, a product or a shop's logo (nothing left unattached).
    attached = (
        NoteImage.objects.count() + ProductImage.objects.count() + Shop.objects.exclude(logo=None).count()
    )
    assert attached == MediaImage.objects.count()


@pytest.mark.django_db
def test_a_second_run_is_a_no_op() -> None:
    seed("--members", "3", "--notes", "2", "--quiet")
    counts = (User.objects.count(), Note.objects.count(), MediaImage.objects.count())

    output = seed("--members", "3", "--notes", "2")

    assert "already there" in output
    assert f"Demo login: demo / {DEFAULT_PASSWORD}" in output  # printed on every run (issue 7, item 10)
    assert (User.objects.count(), Note.objects.count(), MediaImage.objects.count()) == counts


@pytest.mark.django_db
def test_a_database_with_real_members_is_left_alone() -> None:
    UserFactory()

    output = seed("--members", "3", "--notes", "2")

    assert "already has 1 member" in output
    assert User.objects.count() == 1
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_force_adds_another_batch_and_keeps_the_demo_login() -> None:
    seed("--members", "2", "--notes", "1", "--quiet")
    demo_pk = User.objects.get(username="demo").pk

    output = seed("--members", "2", "--notes", "1", "--force")

    assert f"Demo login: demo / {DEFAULT_PASSWORD}" in output
    assert User.objects.get(username="demo").pk == demo_pk
    assert User.objects.filter(is_staff=False).count() == 3
    assert Note.objects.count() == 2


@pytest.mark.django_db
def test_bad_sizes_are_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed("--members", "0")


@pytest.mark.django_db
def test_notes_by_bilingual_members_carry_their_authors_translation() -> None:
    seed("--members", "12", "--notes", "30", "--seed", "5", "--quiet")

    bilingual = {p.username for p in (content.DEMO, *content.PERSONAS) if p.lang == "both"}
    notes = list(Note.objects.select_related("author").prefetch_related("author_translations"))
    translated = [n for n in notes if n.author.username in bilingual]
    assert len(translated) >= 5  # the demo login's notes at least
    for note in notes:
        translations = list(note.author_translations.all())
        if note.author.username not in bilingual:
            assert translations == []
            continue
        assert len(translations) == 1
        other = translations[0]
        assert base_language(other.language) != base_language(note.language)
        assert {base_language(note.language), base_language(other.language)} == {"zh", "en"}
        assert other.title and other.body and other.body_html


@pytest.mark.django_db
def test_every_seeded_note_is_painted_as_the_subject_it_declares() -> None:
    painted: list[str] = []
    real = paint.paint_jpeg

    def record(subject: str, **kwargs: int) -> bytes:
        painted.append(subject)
        return real(subject, **kwargs)

    with mock.patch("haven.demo.paint.paint_jpeg", side_effect=record):
        seed("--members", "6", "--notes", "12", "--seed", "8", "--quiet")

    assert len(painted) == MediaImage.objects.count()
    assert set(painted) <= set(paint.SUBJECTS)
