"""The declared lifecycles of data exports and account deletions."""

from __future__ import annotations

from haven.core.states import StateGraph

REQUESTED = "requested"
BUILDING = "building"
READY = "ready"
EXPIRED = "expired"
FAILED = "failed"

#: requested -> building -> ready -> expired; a failed or stalled build may be retried.
EXPORT_LIFECYCLE = StateGraph(
    "export",
    {
        REQUESTED: {BUILDING, FAILED},
        BUILDING: {READY, FAILED, REQUESTED},
        READY: {EXPIRED},
        FAILED: {REQUESTED, EXPIRED},
        EXPIRED: set(),
    },
)

SCHEDULED = "scheduled"
CANCELLED = "cancelled"
ERASING = "erasing"
ERASED = "erased"

#: scheduled -> cancelled (the member logged in within the grace period) | erasing -> erased.
DELETION_LIFECYCLE = StateGraph(
    "deletion",
    {
        SCHEDULED: {CANCELLED, ERASING},
        ERASING: {ERASED, SCHEDULED},
        CANCELLED: set(),
        ERASED: set(),
    },
)
