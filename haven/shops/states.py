"""The declared review lifecycle of a shop: pending -> active | rejected; active <-> suspended."""

from __future__ import annotations

from haven.core.states import StateGraph

PENDING = "pending"
ACTIVE = "active"
REJECTED = "rejected"
SUSPENDED = "suspended"

#: Operators approve or reject a new shop; a rejected owner may fix it and ask again (-> pending);
#: operators suspend an open shop and may reinstate it.
SHOP_LIFECYCLE = StateGraph(
    "shop",
    {
        PENDING: {ACTIVE, REJECTED},
        REJECTED: {PENDING},
        ACTIVE: {SUSPENDED},
        SUSPENDED: {ACTIVE},
    },
)
