"""factory_boy factories for engagement rows (notes and members come from the notes factories)."""

from __future__ import annotations

import factory

from haven.engagement.models import Collection, Comment, Save
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory, block, follow

__all__ = [
    "CollectionFactory",
    "CommentFactory",
    "MediaImageFactory",
    "NoteFactory",
    "SaveFactory",
    "UserFactory",
    "block",
    "follow",
]


class CommentFactory(factory.django.DjangoModelFactory):
    """A raw comment row (counters untouched: tests of counters go through the services)."""

    class Meta:
        model = Comment

    note = factory.SubFactory(NoteFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"comment {n}")
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")
    language = "en"


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    is_public = True


class SaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Save

    collection = factory.SubFactory(CollectionFactory)
    user = factory.LazyAttribute(lambda o: o.collection.owner)
    note = factory.SubFactory(NoteFactory)
