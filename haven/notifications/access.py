"""Which notifications a recipient may see: filters plugged in by higher apps (blocks, note visibility)."""

from __future__ import annotations

from collections.abc import Callable

from haven.accounts.models import User
from haven.notifications.models import Notification

NotificationFilter = Callable[[User, list[Notification]], list[Notification]]

_filters: list[NotificationFilter] = []


def register_filter(fn: NotificationFilter) -> NotificationFilter:
    """Add a visibility filter; call it from an AppConfig.ready(). Usable as a decorator; idempotent.

    `fn(recipient, notifications)` returns the notifications the recipient may see (a sub-list, order
    kept). It gets a whole batch: it must work in a constant number of queries (e.g. one `id__in`
    query over the batch's `note_id`s), never one per row. The rows carry `actor` when loaded by the
    inbox, always `actor_id`, `note_id` and `comment_id`.
    """
    if fn not in _filters:
        _filters.append(fn)
    return fn


def unregister_filter(fn: NotificationFilter) -> None:
    """Remove a filter (tests that register one locally clean up with this)."""
    if fn in _filters:
        _filters.remove(fn)


def visible(recipient: User, notifications: list[Notification]) -> list[Notification]:
    """The notifications `recipient` may see, after every registered filter (order kept)."""
    rows = [n for n in notifications if n.recipient_id == recipient.pk]
    for fn in list(_filters):
        if not rows:
            break
        rows = fn(recipient, rows)
    return rows
