"""The notifications filter graph plugs in: nothing from an actor with a block either way is shown."""

from __future__ import annotations

from haven.accounts.models import User
from haven.graph.selectors import blocked_among
from haven.notifications.models import Notification


def drop_blocked_actors(recipient: User, notifications: list[Notification]) -> list[Notification]:
    """Keep the notifications whose actor has no block with `recipient` (one query per batch)."""
    blocked = blocked_among(recipient, {n.actor_id for n in notifications})
    if not blocked:
        return notifications
    return [n for n in notifications if n.actor_id not in blocked]
