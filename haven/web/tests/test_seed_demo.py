"""Tests of the seed_demo command, its content banks and its image painter."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from haven.accounts.models import USERNAME_RE, User
from haven.accounts.tests.factories import UserFactory
from haven.core.text import base_language
from haven.engagement.models import Comment, NoteLike
from haven.graph.models import Follow
from haven.media.models import MediaImage
from haven.notes.models import BODY_MAX, TITLE_MAX, Note, NoteImage
from haven.notifications.models import Notification
from haven.web.demo import content, painter
from haven.web.management.commands.seed_demo import DEFAULT_PASSWORD


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seeds_a_small_bilingual_community_through_the_services() -> None:
    output = seed("--members", "6", "--notes", "10", "--seed", "3")

    assert f"Demo login: demo / {DEFAULT_PASSWORD}" in output
    assert "Rows created" in output
    assert User.objects.count() == 6
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


@pytest.mark.django_db
def test_counters_match_the_rows_the_services_wrote() -> None:
    seed("--members", "5", "--notes", "6", "--seed", "11", "--quiet")

    for note in Note.objects.all():
        assert note.like_count == note.likes.count()
        assert note.comment_count == note.comments.count()
        assert note.save_count == note.saves.count()
    assert NoteImage.objects.count() == MediaImage.objects.count()


@pytest.mark.django_db
def test_a_second_run_is_a_no_op() -> None:
    seed("--members", "3", "--notes", "2", "--quiet")
    counts = (User.objects.count(), Note.objects.count(), MediaImage.objects.count())

    output = seed("--members", "3", "--notes", "2")

    assert "already there" in output
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

    assert "Demo login: demo / (password unchanged)" in output
    assert User.objects.get(username="demo").pk == demo_pk
    assert User.objects.count() == 3
    assert Note.objects.count() == 2


@pytest.mark.django_db
def test_bad_sizes_are_refused() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed("--members", "0")


# ----------------------------------------------------------------------------------------------
# The painter


@pytest.mark.parametrize("topic", painter.TOPICS)
@pytest.mark.parametrize("size", sorted(painter.SIZES.values()))
def test_painter_makes_an_image_of_the_requested_size_for_each_topic(
    topic: str, size: tuple[int, int]
) -> None:
    image = painter.paint(topic, width=size[0], height=size[1], seed=5)

    assert image.mode == "RGB"
    assert image.size == size
    extrema = image.getextrema()
    assert any(high - low > 40 for low, high in extrema)  # a picture, not a flat colour


def test_painter_is_deterministic_and_encodes_valid_jpegs() -> None:
    first = painter.paint_jpeg("cafe", width=300, height=400, seed=9)
    again = painter.paint_jpeg("cafe", width=300, height=400, seed=9)
    other = painter.paint_jpeg("cafe", width=300, height=400, seed=10)

    assert first == again
    assert first != other
    with Image.open(io.BytesIO(first)) as decoded:
        assert decoded.format == "JPEG"
        assert decoded.size == (300, 400)
    with Image.open(io.BytesIO(painter.paint_avatar("pets", seed=1, size=200))) as avatar:
        assert avatar.size == (200, 200)


def test_picked_sizes_are_mostly_portrait() -> None:
    rng = random.Random(1)
    sizes = [painter.pick_size(rng) for _i in range(200)]

    assert sizes.count(painter.SIZES["portrait"]) > 100
    assert set(sizes) == set(painter.SIZES.values())


# ----------------------------------------------------------------------------------------------
# The content banks


def test_every_topic_has_content_and_a_painter() -> None:
    assert set(content.TOPICS) == set(painter.TOPICS) == set(content.BANKS)
    for banks in content.BANKS.values():
        assert set(banks) == {"zh", "en"}


@pytest.mark.parametrize("topic", content.TOPICS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_composed_notes_and_comments_are_complete_and_bounded(topic: str, lang: str) -> None:
    rng = random.Random(f"{topic}{lang}")
    used: set[str] = set()
    for _i in range(15):
        text = content.compose_note(
            rng, topic=topic, lang=lang, images=3, friend="someone", mixed=True, used_titles=used
        )
        assert text.title and len(text.title) <= TITLE_MAX
        assert len(text.body) <= BODY_MAX and "#" in text.body and "@someone" in text.body
        assert "{" not in text.title + text.body + text.location
        assert len(text.alt_texts) in {0, 3}
        comment = content.compose_comment(rng, topic=topic, lang=lang)
        assert comment and "{" not in comment
        assert "{" not in content.compose_reply(rng, lang=lang)
    assert len(used) >= 10  # titles vary


def test_personas_are_valid_members_in_both_languages() -> None:
    rng = random.Random(4)
    personas = [content.DEMO, *content.PERSONAS, *(content.generated_persona(rng, i) for i in range(60))]
    names = [p.username for p in personas]

    assert len(names) == len(set(names))
    for persona in personas:
        assert re.fullmatch(USERNAME_RE, persona.username)
        assert 0 < len(persona.display_name) <= 50 and len(persona.bio) <= 500
        assert set(persona.topics) <= set(content.TOPICS)
    langs = [p.lang for p in content.PERSONAS]
    assert langs.count("zh") >= 10 and langs.count("en") >= 10 and "both" in langs
    assert any(p.private for p in content.PERSONAS)
