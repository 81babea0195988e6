"""The declared lifecycle of a moderation case (ARCHITECTURE.md rule 4).

open -> in_review -> actioned | dismissed
open -> actioned | dismissed            (decided straight from the queue)
in_review -> open                       (released back to the queue)
actioned -> appealed -> upheld | overturned
"""

from __future__ import annotations

from haven.core.states import StateGraph

CASE = StateGraph(
    "moderation case",
    {
        "open": {"in_review", "actioned", "dismissed"},
        "in_review": {"open", "actioned", "dismissed"},
        "actioned": {"appealed"},
        "appealed": {"upheld", "overturned"},
    },
)

#: Cases that still wait for a moderator (one per target at a time: a database constraint).
OPEN_STATES = ("open", "in_review")
#: Cases in a moderator's queue: waiting for a first decision or for an appeal decision.
QUEUE_STATES = ("open", "in_review", "appealed")
