"""Onboarding's entry in the personal-data registry: the member's progress through the first hour.

The choices made in onboarding live where they belong and are exported there: languages with the
account (accounts), followed topics with recommend, follows with graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from haven.core import personal_data
from haven.onboarding.models import OnboardingProgress


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_progress(user: Any) -> Iterator[dict[str, Any]]:
    """The member's onboarding progress: the step reached, and when they started and finished."""
    row = OnboardingProgress.objects.filter(user_id=user.pk).first()
    if row is None:
        return
    yield {
        "step": row.step,
        "skipped": row.skipped,
        "started_at": _iso(row.started_at),
        "updated_at": _iso(row.updated_at),
        "completed_at": _iso(row.completed_at),
    }


def register_all() -> None:
    """Called from OnboardingConfig.ready()."""
    personal_data.register(
        OnboardingProgress,
        section="onboarding",
        owner_fields=("user",),
        exporter=export_progress,
        eraser=personal_data.rows_deleter(OnboardingProgress),
    )
