"""The declared processing lifecycle of an uploaded image."""

from __future__ import annotations

from haven.core.states import StateGraph

UPLOADED = "uploaded"
PROCESSING = "processing"
READY = "ready"
FAILED = "failed"

#: uploaded -> processing -> ready | failed; a stalled or failed run may be sent back to uploaded (retry).
MEDIA_LIFECYCLE = StateGraph(
    "media",
    {
        UPLOADED: {PROCESSING, FAILED},
        PROCESSING: {READY, FAILED, UPLOADED},
        FAILED: {UPLOADED},
        READY: set(),
    },
)
