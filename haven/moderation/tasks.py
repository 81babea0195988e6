"""Background tasks of moderation: scoring new content, lifting expired suspensions, the SLA sweep."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def score_content(kind: str, pk: int) -> dict[str, Any]:
    """Score one note or comment with the classifiers and act on the verdict (idempotent)."""
    from haven.moderation import scoring

    return scoring.score_content(kind=kind, pk=pk)


@task()
def moderation_housekeeping() -> dict[str, int]:
    """Lift timed suspensions that ended; count overdue cases."""
    from haven.accounts.services import suspensions_lift_expired
    from haven.moderation.services import sla_sweep

    return {"unsuspended": suspensions_lift_expired(), "overdue": sla_sweep()}
