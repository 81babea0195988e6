"""Realtime events: the one publishing function (ARCHITECTURE.md rule 13) and the group names.

Every writer that wants connected clients to hear about something calls `publish_on_commit(...)`
inside its transaction; the event leaves only once the transaction has committed (never for a write
that rolled back). Events go to per-member groups (`member_group(user_id)`), which every WebSocket
connection of that member joins. An event says *what* happened (ids), never the content itself:
the consumer loads what the receiver may see, through the owning app's access rules, at send time.

The channel layer is Channels' in-memory layer in the embedded profile (one process) and the Redis
layer in the scaled profile (config.settings). A layer that is down loses realtime delivery only:
clients resume from their last event id through the API, so nothing is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from haven.core.transactions import after_commit

logger = logging.getLogger(__name__)

#: Bound on the members one event fans out to (a group conversation has at most 200).
MAX_RECIPIENTS = 1000


def member_group(user_id: int) -> str:
    """The channel-layer group every connection of member `user_id` joins."""
    return f"member.{int(user_id)}"


def publish(user_ids: Iterable[int], event: dict[str, Any]) -> int:
    """Send `event` (a dict with a "type" naming the consumer handler, e.g. "haven.event") to each
    member's group now; returns how many groups it reached. Failures are logged, never raised:
    realtime is best-effort on top of the API, which clients resume from."""
    layer = get_channel_layer()
    if layer is None:
        return 0
    ids = list(dict.fromkeys(int(u) for u in user_ids))[:MAX_RECIPIENTS]
    if not ids:
        return 0

    async def _send() -> None:
        for user_id in ids:
            await layer.group_send(member_group(user_id), event)

    try:
        async_to_sync(_send)()
    except Exception:  # the layer (Redis) is down or full: clients catch up through the API
        logger.warning("realtime publish failed for %d members", len(ids), exc_info=True)
        return 0
    return len(ids)


def publish_on_commit(user_ids: Iterable[int], event: dict[str, Any]) -> None:
    """`publish` once the current transaction commits (at once outside a transaction)."""
    after_commit(publish, list(user_ids), dict(event))
