"""factory_boy factories for notes, their images, and graph edges used by visibility tests."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from haven.accounts.tests.factories import UserFactory
from haven.graph.models import Block, Follow, Mute
from haven.media.models import MediaImage
from haven.notes.models import Note, NoteImage, Visibility

__all__ = ["MediaImageFactory", "NoteFactory", "UserFactory", "block", "follow", "mute"]


class MediaImageFactory(factory.django.DjangoModelFactory):
    """A processed (ready) image row; no files are written (renditions are only named)."""

    class Meta:
        model = MediaImage

    owner = factory.SubFactory(UserFactory)
    state = MediaImage.State.READY
    original_format = "jpeg"
    width = 1080
    height = 1440
    blurhash = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
    grid_path = factory.Sequence(lambda n: f"r/test/{n}-grid.webp")
    detail_path = factory.Sequence(lambda n: f"r/test/{n}-detail.webp")


class NoteFactory(factory.django.DjangoModelFactory):
    """A published public note with one image. `NoteFactory(draft=True)`, `NoteFactory(images=3)`."""

    class Meta:
        model = Note
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Note.Status.DRAFT, published_at=None)

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "A little story."
    body_html = "<p>A little story.</p>"
    visibility = Visibility.PUBLIC
    status = Note.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    language = "en"

    @factory.post_generation
    def images(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        count = 1 if extracted is None else int(extracted)
        for position in range(count):
            NoteImage.objects.create(
                note=self, image=MediaImageFactory(owner=self.author), position=position, alt_text=""
            )


def follow(follower: Any, followee: Any) -> Follow:
    return Follow.objects.create(follower=follower, followee=followee)


def block(blocker: Any, blocked: Any) -> Block:
    return Block.objects.create(blocker=blocker, blocked=blocked)


def mute(muter: Any, muted: Any) -> Mute:
    return Mute.objects.create(muter=muter, muted=muted)
