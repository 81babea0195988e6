"""factory_boy factories for notifications (members come from accounts' UserFactory)."""

from __future__ import annotations

import factory

from haven.accounts.tests.factories import UserFactory
from haven.notifications.models import Notification

__all__ = ["NotificationFactory", "UserFactory"]


class NotificationFactory(factory.django.DjangoModelFactory):
    """A raw inbox row (tests that need the dedupe/grouping rules call services.notify instead)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(UserFactory)
    verb = Notification.Verb.LIKE_NOTE
    note_id = factory.Sequence(lambda n: n + 1)
    group_key = factory.LazyAttribute(lambda o: f"like_note:{o.note_id}")
