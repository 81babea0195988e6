"""Writes of search: scheduling (re-)indexing after commit, the periodic refresh, members' search history.

Callers (the HTML UI, the API) use:
- `history_record(user=, query=, kind=)` after showing the first page of a search (members only);
- `history_delete(user=, entry_id=)` and `history_clear(user=)`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from itertools import batched
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core import searchables
from haven.core.errors import NotFound
from haven.search import index
from haven.search.models import QUERY_MAX, SearchHistory

logger = logging.getLogger(__name__)

HISTORY_KEEP = 50
INDEX_TASK_BATCH = 500
REFRESH_RECENT_DAYS = 30


def _enqueue(kind: str, pks: list[int]) -> None:
    from haven.search import tasks

    try:
        tasks.index_objects.enqueue(kind=kind, pks=pks)
    except Exception:  # the drift repair of search_refresh catches up
        logger.exception("could not enqueue search indexing of %s %s", kind, pks[:10])


def index_on_commit(kind: str, pks: list[int]) -> None:
    """core.searchables.changed(): index these objects in a task once the transaction commits."""
    for chunk in batched(pks, INDEX_TASK_BATCH):
        transaction.on_commit(partial(_enqueue, kind, list(chunk)), robust=True)


def refresh() -> dict[str, Any]:
    """Re-index recent notes (their engagement moves), every topic and member (counts), and repair drift.

    Bounded by what exists: notes of the last 30 days, all topics and members, in batches of 500.
    """
    from haven.search.models import SearchEntry

    summary: dict[str, Any] = {}
    kinds = searchables.kinds()
    cutoff = int((timezone.now() - timedelta(days=REFRESH_RECENT_DAYS)).timestamp())
    for kind, searchable in kinds.items():
        if searchable.timely:
            low, high = index.kind_range(kind)
            recent = (
                SearchEntry.objects.filter(id__gte=low, id__lte=high, at__gte=cutoff)
                .order_by("id")
                .values_list("object_id", flat=True)
            )
            refreshed = 0
            for chunk in batched(recent.iterator(chunk_size=5000), index.BATCH):
                refreshed += index.index_objects(kind, chunk, related=False)["indexed"]
        else:
            refreshed = index.reindex(kind)["indexed"]
        report = index.drift(kind)
        if not report.clean:
            index.repair(report)
        summary[kind] = {
            "refreshed": refreshed,
            "missing": len(report.missing),
            "extra": len(report.extra),
            "textless": len(report.textless),
        }
    return summary


# ----------------------------------------------------------------------------------------------
# Search history


def trim_query(query: str) -> str:
    """Whitespace collapsed and cut to QUERY_MAX (what a history entry or the search box keeps; the
    validating `selectors.clean_query` refuses an empty or over-long query instead)."""
    return " ".join((query or "").split())[:QUERY_MAX]


def history_record(*, user: Any, query: str, kind: str) -> SearchHistory | None:
    """Remember a member's search (a repeated one moves to the top); only the last 50 are kept."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    text = trim_query(query)
    if not text:
        return None
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry, _created = SearchHistory.objects.update_or_create(
                    user_id=user.pk, kind=kind[:16], query=text, defaults={"created_at": now}
                )
        except IntegrityError:  # a concurrent identical search inserted it first
            SearchHistory.objects.filter(user_id=user.pk, kind=kind[:16], query=text).update(created_at=now)
            entry = SearchHistory.objects.get(user_id=user.pk, kind=kind[:16], query=text)
        old = SearchHistory.objects.filter(user_id=user.pk).order_by("-created_at", "-id")[HISTORY_KEEP:]
        stale = list(old.values_list("id", flat=True)[:500])
        if stale:
            SearchHistory.objects.filter(pk__in=stale).delete()
    return entry


def history_delete(*, user: Any, entry_id: int) -> None:
    """Delete one of the member's searches; another member's (or a missing) entry is "not_found"."""
    deleted, _counts = SearchHistory.objects.filter(user_id=user.pk, pk=entry_id).delete()
    if not deleted:
        raise NotFound(_("This search is not in your history."))


def history_clear(*, user: Any) -> int:
    """Delete all of the member's searches; returns how many went."""
    return int(SearchHistory.objects.filter(user_id=user.pk).delete()[0])
