"""Moderation policy in one place: priorities, review deadlines (SLA), strikes, appeal window.

Documented for operators in docs/moderation.md; change here, not in services.
"""

from __future__ import annotations

import math
from datetime import timedelta

#: Hours to a first review by severity (1 low .. 5 urgent).
SLA_HOURS = {1: 72, 2: 48, 3: 24, 4: 8, 5: 2}
#: Appeals are accepted this long after a decision.
APPEAL_WINDOW = timedelta(days=30)
#: Strikes count over this window.
STRIKE_WINDOW = timedelta(days=180)
#: (strikes, suspension days; None = permanent): the first rule that matches applies, after a strike.
STRIKE_SUSPENSIONS: tuple[tuple[int, int | None], ...] = ((5, None), (3, 7))
#: Decisions that count as a strike against the author.
STRIKE_ACTIONS = frozenset({"remove", "suspend"})
#: Reports per reporter per hour (trusted reporters: x5).
REPORTS_PER_HOUR = 20
#: A trusted reporter's report at this severity or above holds the content at once.
TRUSTED_HOLD_SEVERITY = 4
#: Longest timed suspension a moderator can choose.
MAX_SUSPENSION_DAYS = 365


def priority_of(
    *, severity: int, reach: int, report_count: int, trusted: bool = False, held: bool = False
) -> int:
    """Higher first: severity dominates, then reach (log scale), then how many reported it."""
    score = severity * 100
    score += min(int(math.log2(reach + 1) * 8), 120)
    score += min(report_count * 15, 150)
    if trusted:
        score += 60
    if held:
        score += 40  # held content waits hidden: its author deserves a quick answer
    return score


def sla_for(severity: int) -> timedelta:
    return timedelta(hours=SLA_HOURS.get(max(1, min(5, severity)), 48))


def suspension_after_strikes(strikes: int) -> tuple[bool, int | None]:
    """(suspend?, days or None for permanent) after a member reached `strikes` strikes."""
    for threshold, days in STRIKE_SUSPENSIONS:
        if strikes >= threshold:
            return True, days
    return False, None
