"""Retention of notifications: read notifications go after a while (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.notifications.models import Notification


def prune_read_notifications(cutoff: datetime) -> int:
    """Delete notifications created before `cutoff` that the recipient has read (unread ones stay)."""
    return delete_in_batches(Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=False))


def register() -> None:
    register_retention(
        "notifications",
        setting="RETAIN_NOTIFICATIONS_DAYS",
        days=180,
        prune=prune_read_notifications,
        description=_("Notifications a member has read"),
    )
