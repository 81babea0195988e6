"""The retention registry: how long each kind of data is kept, and how to prune what is older.

Each app declares, from `AppConfig.ready()`, every kind of data it keeps only for a while:

    register_retention("seen_notes", setting="RETAIN_SEEN_NOTES_DAYS", prune=prune_seen_notes,
                       description=_("Which notes a member was shown in Discover"))

`prune(cutoff)` deletes (or blanks, for a column such as an IP address) what is older than `cutoff`
and returns how many rows it removed or changed; it must be idempotent and should work in batches
so it never holds a long write lock. `setting` names a Django setting holding the number of days
(from a typed `HAVEN_RETAIN_*` variable in config/env.py), read at run time, so operators tune it;
`days` is a fixed period for kinds with no setting. 0 days means "kept until deleted": the kind is
never pruned. One periodic job ("retention", daily) runs every rule and logs the counts;
`manage.py retention --list` prints this table, which the operator guide repeats.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

_KIND_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")


@dataclass(frozen=True)
class RetentionRule:
    kind: str
    prune: Callable[[datetime], int]
    description: Any  # str or a lazy translation
    setting: str = ""
    default_days: int = 0

    @property
    def days(self) -> int:
        """Days this kind is kept (0: never pruned), read now from the setting when there is one."""
        if self.setting:
            return int(getattr(settings, self.setting, self.default_days))
        return self.default_days


_rules: dict[str, RetentionRule] = {}


def register_retention(
    kind: str,
    *,
    prune: Callable[[datetime], int],
    description: Any,
    setting: str = "",
    days: int | None = None,
) -> RetentionRule:
    """Declare that data of `kind` is kept `setting` (or `days`) days. Idempotent: the last one wins.

    With both, `days` is the fallback when the setting is missing.
    """
    if not _KIND_RE.match(kind):
        raise ValueError(f"retention kind {kind!r}: lowercase letters, digits, _ . - (at most 60)")
    if not setting and days is None:
        raise ValueError(f"retention kind {kind!r}: give a setting or a number of days")
    if days is not None and days < 0:
        raise ValueError(f"retention kind {kind!r}: days must be 0 (keep) or more")
    rule = RetentionRule(
        kind=kind, prune=prune, description=description, setting=setting, default_days=days or 0
    )
    _rules[kind] = rule
    return rule


def unregister_retention(kind: str) -> None:
    _rules.pop(kind, None)


def retention_rules() -> list[RetentionRule]:
    """Every declared kind, by name."""
    return [_rules[kind] for kind in sorted(_rules)]


def retention_run(*, now: datetime | None = None, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Prune every kind (or `kinds`) of what is older than its retention period; {kind: rows}.

    A kind kept 0 days is skipped. A prune that fails does not stop the others: it is logged, and
    once all have run a RuntimeError names the kinds that failed (so the job's state shows it).
    """
    now = now or timezone.now()
    rules = retention_rules()
    if kinds is not None:
        wanted = set(kinds)
        unknown = wanted - set(_rules)
        if unknown:
            raise KeyError(f"no retention kind named {', '.join(sorted(unknown))}")
        rules = [rule for rule in rules if rule.kind in wanted]
    counts: dict[str, int] = {}
    failed: list[str] = []
    for rule in rules:
        days = rule.days
        if days <= 0:
            continue
        try:
            counts[rule.kind] = int(rule.prune(now - timedelta(days=days)))
        except Exception:
            logger.exception("retention: pruning %s failed", rule.kind)
            failed.append(rule.kind)
    logger.info("retention: %s", ", ".join(f"{kind}={n}" for kind, n in counts.items()) or "nothing declared")
    if failed:
        raise RuntimeError(f"retention failed for {', '.join(failed)} (pruned: {counts})")
    return counts


def delete_in_batches(queryset: Any, *, batch: int = 2000) -> int:
    """Delete the rows of `queryset` in batches of primary keys (short write transactions); rows gone."""
    total = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        queryset.model._base_manager.filter(pk__in=ids).delete()
        total += len(ids)


def update_in_batches(queryset: Any, *, batch: int = 2000, **values: Any) -> int:
    """Update the rows of `queryset` (which must stop matching once updated) in batches; rows changed."""
    total = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        changed = queryset.model._base_manager.filter(pk__in=ids).update(**values)
        if not changed:
            return total
        total += changed
