"""Extension points for higher layers: callbacks run by graph services at well-defined moments.

graph sits below messaging, so it cannot call it directly. A higher app registers a callback from
its `AppConfig.ready()` (messaging ends the direct conversation between the two members), and
`block_create` calls the registered callbacks inside its own transaction. Callbacks must be
idempotent and raise only haven.core errors.
"""

from __future__ import annotations

from collections.abc import Callable

BlockCallback = Callable[[int, int], object]

_blocked: list[BlockCallback] = []


def on_block(callback: BlockCallback) -> None:
    """Register `callback(blocker_id, blocked_id)`, run when a member blocks another (registered once)."""
    if callback not in _blocked:
        _blocked.append(callback)


def member_blocked(blocker_id: int, blocked_id: int) -> None:
    """Run every callback registered for a new block."""
    for callback in list(_blocked):
        callback(blocker_id, blocked_id)
