"""Retention of messaging events: the log clients resume from is kept for a while (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.messaging.models import Event


def prune_events(cutoff: datetime) -> int:
    """Delete conversation events older than `cutoff` (messages themselves stay)."""
    return delete_in_batches(Event.objects.filter(created_at__lt=cutoff))


def register() -> None:
    register_retention(
        "messaging_events",
        days=30,
        prune=prune_events,
        description=_("The log of conversation events that devices catch up from after being offline"),
    )
