"""Retention of recommend's data: interaction events, kept HAVEN_RECOMMEND_EVENT_DAYS (see apps.py)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.recommend.models import InteractionEvent


def prune_events(cutoff: datetime) -> int:
    """Delete interaction events recorded before `cutoff` (training reads only a recent window)."""
    return delete_in_batches(InteractionEvent.objects.filter(created_at__lt=cutoff))


def register() -> None:
    register_retention(
        "recommend_events",
        setting="RECOMMEND_EVENT_DAYS",
        days=90,
        prune=prune_events,
        description=_(
            "Which notes a member was shown, opened, read for how long or shared (to learn what to recommend)"
        ),
    )
