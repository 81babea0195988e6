"""People's entries in the personal-data registry: former handles, imported lists and their handles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.people import searchable
from haven.people.models import Contact, ContactList, FormerHandle


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_handles(user: Any) -> Iterator[dict[str, Any]]:
    """The former handles the member declared, and whether others may find them by them."""
    for row in FormerHandle.objects.filter(user_id=user.pk).order_by("platform", "id"):
        yield {
            "platform": row.platform,
            "handle": row.handle,
            "discoverable": row.discoverable,
            "created_at": _iso(row.created_at),
        }


def export_lists(user: Any) -> Iterator[dict[str, Any]]:
    """The following lists the member imported: platform, join-alert choice, dates."""
    for row in ContactList.objects.filter(user_id=user.pk).order_by("platform"):
        yield {
            "platform": row.platform,
            "notify_on_join": row.notify_on_join,
            "imported_at": _iso(row.imported_at),
            "updated_at": _iso(row.updated_at),
        }


def export_contacts(user: Any) -> Iterator[dict[str, Any]]:
    """Every handle of the member's imported lists, and when they were told it joined Haven."""
    rows = (
        Contact.objects.filter(list__user_id=user.pk)
        .order_by("list__platform", "handle_key")
        .values_list("list__platform", "handle", "notified_at")
        .iterator(chunk_size=2000)
    )
    for platform, handle, notified_at in rows:
        yield {"platform": platform, "handle": handle, "notified_at": _iso(notified_at)}


def erase_handles(user: Any) -> int:
    """Delete the member's former handles, and take them out of member search."""
    erased = personal_data.rows_deleter(FormerHandle)(user)
    searchable.member_changed(user.pk)
    return erased


def erase_lists(user: Any) -> int:
    """Delete the member's imported lists and every handle in them."""
    contacts, _rows = Contact.objects.filter(list__user_id=user.pk).delete()
    lists, _rows = ContactList.objects.filter(user_id=user.pk).delete()
    return int(contacts) + int(lists)


def register_all() -> None:
    """Called from PeopleConfig.ready()."""
    personal_data.register(
        FormerHandle,
        section="people",
        owner_fields=("user",),
        personal_fields=("handle", "handle_key", "loose_key"),
        exporter=export_handles,
        eraser=erase_handles,
    )
    personal_data.register(
        ContactList,
        section="people",
        owner_fields=("user",),
        exporter=export_lists,
        eraser=erase_lists,
    )
    personal_data.register(
        Contact,
        section="people",
        owner_fields=(),
        personal_fields=("handle", "handle_key", "loose_key"),
        exporter=export_contacts,
        eraser=None,
        erased_with="people.ContactList",
    )
