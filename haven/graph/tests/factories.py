"""factory_boy factories for graph edges (usable by every app's tests)."""

from __future__ import annotations

import factory

from haven.accounts.tests.factories import UserFactory
from haven.graph.models import Block, Follow, FollowRequest, Mute


class FollowFactory(factory.django.DjangoModelFactory):
    """A follow edge made directly (no notification); use graph.services to test behaviour."""

    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)


class FollowRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowRequest

    requester = factory.SubFactory(UserFactory)
    target = factory.SubFactory(UserFactory, is_private=True)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    blocker = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class MuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mute

    muter = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)
