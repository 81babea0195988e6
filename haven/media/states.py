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

PROBING = "probing"
TRANSCODING = "transcoding"
REJECTED = "rejected"

#: uploaded -> probing -> transcoding -> ready, or failed (our side; retried by sending it back to
#: uploaded) or rejected (not an allowed video: final). A stalled probing or transcoding run is sent
#: back to uploaded by the reconciler. Choosing another poster frame keeps a ready video ready.
VIDEO_LIFECYCLE = StateGraph(
    "video",
    {
        UPLOADED: {PROBING, FAILED, REJECTED},
        PROBING: {TRANSCODING, FAILED, REJECTED, UPLOADED},
        TRANSCODING: {READY, FAILED, REJECTED, UPLOADED},
        FAILED: {UPLOADED},
        READY: set(),
        REJECTED: set(),
    },
)
