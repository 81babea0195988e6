"""Notifications' entry in the personal-data registry: the member's inbox, and what they caused in others'."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q

from haven.core import personal_data
from haven.notifications.models import Notification

CHUNK = 2000


def export_notifications(user: Any) -> Iterator[dict[str, Any]]:
    """Notifications the member received: who (username), what (verb) and the target ids."""
    rows = (
        Notification.objects.filter(recipient_id=user.pk)
        .order_by("pk")
        .values_list("pk", "actor__username", "verb", "note_id", "comment_id", "created_at", "read_at")
    )
    for pk, actor, verb, note_id, comment_id, created_at, read_at in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": pk,
            "actor": actor,
            "verb": str(verb),
            "note_id": note_id,
            "comment_id": comment_id,
            "created_at": created_at.isoformat(),
            "read_at": read_at.isoformat() if read_at is not None else None,
        }


def erase_notifications(user: Any) -> int:
    """Delete notifications the member received or caused (notes and engagement purge those about
    the member's notes and comments)."""
    with transaction.atomic():
        deleted, _per_model = Notification.objects.filter(
            Q(recipient_id=user.pk) | Q(actor_id=user.pk)
        ).delete()
    return int(deleted)


def register_all() -> None:
    """Called from NotificationsConfig.ready()."""
    personal_data.register(
        Notification,
        section="notifications",
        owner_fields=("recipient",),
        other_user_fields=("actor",),
        exporter=export_notifications,
        eraser=erase_notifications,
        order=85,
    )
