"""Recording staff access to members' non-public data, for apps below privacy (ADR 0001 pattern).

Any staff or moderator view of a member's non-public data (a private note, messages, an e-mail
address, IP addresses, orders) calls `record_staff_access(...)`. The privacy app registers the
recorder (it stores a `privacy.StaffAccess` row the member sees in their privacy center); without
one registered, recording is refused loudly so a view can never skip the audit silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Recorder = Callable[..., None]
_recorder: list[Recorder] = []


def register_recorder(recorder: Recorder) -> None:
    _recorder[:] = [recorder]


def record_staff_access(
    *, staff: Any, member_id: int | None, what: str, reason: str, object_ref: str = "", path: str = ""
) -> None:
    """Record that `staff` saw `what` of member `member_id` for `reason`."""
    if not _recorder:
        raise RuntimeError("no staff access recorder is registered (is haven.privacy installed?)")
    _recorder[0](staff=staff, member_id=member_id, what=what, reason=reason, object_ref=object_ref, path=path)
