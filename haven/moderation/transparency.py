"""The public transparency report: one calendar month (UTC) of moderation as a plain, JSON-ready dict.

Pure reads, a handful of aggregate queries per month. What counts in month M (start <= t < end, UTC):

- reports: Report rows created in M, by reason (code with both labels) and by the case's language;
- cases: cases opened in M, by source (report, classifier, surge, image); of those, the ones that were
  held automatically and still wait for a moderator ("held, awaiting review");
- decisions: cases decided in M, by action; a decision is automated when no moderator is recorded
  (`decided_by` null) or `automated` is set, otherwise human;
- time to action: hours from a case's opening to its decision, for the cases decided in M (median, p90);
- appeals: filed in M; decided in M (upheld or overturned); reversal rate = overturned / decided;
- suspensions: suspension sanctions issued in M (decisions and strike limits alike), and members.

Months run from the first case's month to the current one; a month with no data is an empty report.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q
from django.utils import timezone

from haven.moderation.models import Appeal, Case, Report, Sanction
from haven.moderation.states import OPEN_STATES

MONTHS_MAX = 36  # months listed by months_available (newest first)
SCHEMA_VERSION = 1

SOURCES = [s.value for s in Case.Source]  # report, classifier, surge, image
ACTIONS = [a.value for a in Case.Action if a.value]  # remove, limit, label, suspend, dismiss

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


# ----------------------------------------------------------------------------------------------
# Months


def parse_month(value: str) -> tuple[int, int] | None:
    """(year, month) from "YYYY-MM", or None for anything else (month 13, year 0000, "2026-5")."""
    found = _MONTH.match(value or "")
    if found is None:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (1970 <= year <= 9998 and 1 <= month <= 12):
        return None
    return year, month


def month_key(moment: datetime) -> str:
    """The "YYYY-MM" (UTC) a moment falls in."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month's start and the next month's start, both UTC (start <= t < end). ValueError if bad."""
    parsed = parse_month(month)
    if parsed is None:
        raise ValueError(f"not a month: {month!r}")
    year, number = parsed
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC) if number == 12 else datetime(year, number + 1, 1, tzinfo=UTC)
    return start, end


def _previous(month: str) -> str:
    start, _end = month_bounds(month)
    return month_key(start - timedelta(days=1))


def first_month() -> str | None:
    """The month of the first case ever opened (None when there is none)."""
    first = Case.objects.aggregate(first=Min("opened_at"))["first"]
    return month_key(first) if first else None


def month_is_available(month: str, *, now: datetime | None = None, first: str | None = None) -> bool:
    """Whether `month` is in the report's range: from the first case's month to the current month
    (only the current month while there is no case). `first` saves the query when already known."""
    if parse_month(month) is None:
        return False
    current = month_key(now or timezone.now())
    earliest = first if first is not None else (first_month() or current)
    return min(earliest, current) <= month <= current


def months_available(*, now: datetime | None = None) -> list[str]:
    """Months with a report, newest first: the current month back to the first case's, at most 36."""
    current = month_key(now or timezone.now())
    earliest = min(first_month() or current, current)
    months = [current]
    while len(months) < MONTHS_MAX and months[-1] > earliest:
        months.append(_previous(months[-1]))
    return months


# ----------------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100) of `values` by linear interpolation between ranks (numpy's default);
    None for no values. The median is percentile(values, 50)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * max(0.0, min(q, 100.0)) / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _in(field: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def month_report(month: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The transparency report of one month as a plain dict (ints, floats, strings, None, lists).

    ValueError for a malformed month; any well-formed month works (no data: every count is zero and
    every rate or time None). Seven aggregate queries; the durations of the month's decisions are the
    only rows fetched (one value each).
    """
    start, end = month_bounds(month)
    now = now or timezone.now()

    reports = Report.objects.filter(_in("created_at", start, end))
    by_reason = [
        {
            "code": row["reason__code"],
            "label_en": row["reason__label_en"],
            "label_zh": row["reason__label_zh"],
            "count": row["n"],
        }
        for row in sorted(
            reports.values("reason__code", "reason__label_en", "reason__label_zh", "reason__position")
            .annotate(n=Count("id"))
            .order_by(),
            key=lambda r: (-r["n"], r["reason__position"], r["reason__code"]),
        )
    ]
    by_language = [
        {"code": row["case__language"] or "und", "count": row["n"]}
        for row in sorted(
            reports.values("case__language").annotate(n=Count("id")).order_by(),
            key=lambda r: (-r["n"], r["case__language"] or ""),
        )
    ]

    opened_rows = list(
        Case.objects.filter(_in("opened_at", start, end))
        .values("source")
        .annotate(n=Count("id"), held_pending=Count("id", filter=Q(held=True, state__in=OPEN_STATES)))
        .order_by()
    )
    opened: dict[str, int] = {row["source"]: row["n"] for row in opened_rows}
    held_pending = sum(row["held_pending"] for row in opened_rows)

    decided_cases = Case.objects.filter(_in("decided_at", start, end))
    automated_q = Q(automated=True) | Q(decided_by__isnull=True)
    decided_rows = list(
        decided_cases.values("action")
        .annotate(n=Count("id"), auto=Count("id", filter=automated_q))
        .order_by()
    )
    decided: dict[str, int] = {row["action"]: row["n"] for row in decided_rows}
    decisions_total = sum(decided.values())
    automated = sum(row["auto"] for row in decided_rows)
    dismissed = decided.get(Case.Action.DISMISS.value, 0)

    durations = [
        max(delta.total_seconds(), 0.0) / 3600.0
        for delta in decided_cases.annotate(
            took=ExpressionWrapper(F("decided_at") - F("opened_at"), output_field=DurationField())
        ).values_list("took", flat=True)
        if delta is not None
    ]

    appeals = Appeal.objects.filter(_in("created_at", start, end) | _in("decided_at", start, end)).aggregate(
        filed=Count("id", filter=_in("created_at", start, end)),
        upheld=Count("id", filter=_in("decided_at", start, end) & Q(outcome=Appeal.Outcome.UPHELD)),
        overturned=Count("id", filter=_in("decided_at", start, end) & Q(outcome=Appeal.Outcome.OVERTURNED)),
    )
    appeals_decided = appeals["upheld"] + appeals["overturned"]

    suspensions = Sanction.objects.filter(
        _in("created_at", start, end), kind=Sanction.Kind.SUSPEND
    ).aggregate(total=Count("id"), members=Count("member", distinct=True))

    return {
        "schema": SCHEMA_VERSION,
        "month": month,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "complete": now >= end,
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "reports": {
            "total": sum(r["count"] for r in by_reason),
            "by_reason": by_reason,
            "by_language": by_language,
        },
        "cases": {
            "opened": sum(opened.values()),
            "by_source": [
                {"key": key or "other", "count": opened.get(key, 0)}
                for key in [*SOURCES, *sorted(set(opened) - set(SOURCES))]
            ],
            "held_awaiting_review": held_pending,
        },
        "decisions": {
            "total": decisions_total,
            "actions": decisions_total - dismissed,  # decisions that did something (not dismissals)
            "by_action": [
                {"key": key or "other", "count": decided.get(key, 0)}
                for key in [*ACTIONS, *sorted(set(decided) - set(ACTIONS))]
            ],
            "automated": automated,
            "human": decisions_total - automated,
            "automated_share": _ratio(automated, decisions_total),
            "held_awaiting_review": held_pending,
        },
        "time_to_action_hours": {
            "decided": len(durations),
            "median": _hours(percentile(durations, 50)),
            "p90": _hours(percentile(durations, 90)),
        },
        "appeals": {
            "filed": appeals["filed"],
            "decided": appeals_decided,
            "upheld": appeals["upheld"],
            "overturned": appeals["overturned"],
            "reversal_rate": _ratio(appeals["overturned"], appeals_decided),
        },
        "suspensions": {"total": suspensions["total"], "members": suspensions["members"]},
    }
