"""Retention of search's data: members' search history older than a year (registered in apps.py).

The history also keeps only a member's last 50 searches (services.history_record); this rule removes
searches nobody repeated for a year.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from haven.core.retention import delete_in_batches, register_retention
from haven.search.models import SearchHistory

HISTORY_DAYS = 365


def prune_history(cutoff: datetime) -> int:
    return delete_in_batches(SearchHistory.objects.filter(created_at__lt=cutoff))


def register() -> None:
    register_retention(
        "search_history",
        days=HISTORY_DAYS,
        prune=prune_history,
        description=_("Your recent searches (the last 50, each for a year)"),
    )
