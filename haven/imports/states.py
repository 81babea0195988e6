"""The declared lifecycle of an import job: uploaded -> parsing -> review -> importing -> done | failed."""

from __future__ import annotations

from haven.core.states import StateGraph

UPLOADED = "uploaded"
PARSING = "parsing"
REVIEW = "review"
IMPORTING = "importing"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
EXPIRED = "expired"

#: States in which a member's job still holds their upload or findings and blocks a new upload.
ACTIVE = (UPLOADED, PARSING, REVIEW, IMPORTING)
#: States that end a job (nothing runs any more; the job may be deleted).
FINISHED = (DONE, FAILED, CANCELLED, EXPIRED)

#: The member cancels before confirming; retention expires what nobody confirmed; a stalled run fails.
IMPORT_LIFECYCLE = StateGraph(
    "import",
    {
        UPLOADED: {PARSING, FAILED, CANCELLED, EXPIRED},
        PARSING: {REVIEW, FAILED, CANCELLED, EXPIRED},
        REVIEW: {IMPORTING, CANCELLED, EXPIRED},
        IMPORTING: {DONE, FAILED},
        DONE: set(),
        FAILED: set(),
        CANCELLED: set(),
        EXPIRED: set(),
    },
)
