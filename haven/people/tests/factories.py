"""Test helpers of people: members with former handles and imported lists."""

from __future__ import annotations

from typing import Any

from haven.accounts.tests.factories import UserFactory
from haven.people.handles import parse
from haven.people.models import Contact, ContactList, FormerHandle


def member(**kwargs: Any) -> Any:
    return UserFactory(**kwargs)


def claim(user: Any, handle: str, *, platform: str = "tiktok", discoverable: bool = True) -> FormerHandle:
    """A former handle written directly (no rate limit, no announcement)."""
    parsed = parse(handle)
    assert parsed is not None
    return FormerHandle.objects.create(
        user=user,
        platform=platform,
        handle=parsed.handle,
        handle_key=parsed.key,
        loose_key=parsed.loose,
        discoverable=discoverable,
    )


def contacts(user: Any, handles: list[str], *, platform: str = "tiktok", notify: bool = False) -> ContactList:
    """An imported list written directly."""
    row, _created = ContactList.objects.get_or_create(user=user, platform=platform)
    if row.notify_on_join != notify:
        row.notify_on_join = notify
        row.save()
    rows = []
    for raw in handles:
        parsed = parse(raw)
        assert parsed is not None
        rows.append(Contact(list=row, handle=parsed.handle, handle_key=parsed.key, loose_key=parsed.loose))
    Contact.objects.bulk_create(rows, ignore_conflicts=True)
    return row
