"""Discover ranking as pure functions over plain tuples: time-decayed engagement, boosts, author diversity."""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import NamedTuple

from haven.core.text import base_language

LANGUAGE_BOOST = 1.5
SEEN_FACTOR = 0.2
DECAY_EXPONENT = 1.5
DECAY_OFFSET_HOURS = 2.0
AUTHOR_CAP = 2  # at most this many notes of one author ...
DIVERSITY_SPAN = 20  # ... in any run of this many consecutive positions (so in any page of <= 20)


class Candidate(NamedTuple):
    """The columns ranking reads from a note (no model instance needed)."""

    id: int
    author_id: int
    published_at: datetime
    like_count: int
    save_count: int
    comment_count: int
    language: str
    author_joined: datetime | None = None  # when the author joined (Discover's "new creator" source)


def score(
    c: Candidate, *, viewer_languages: Collection[str], seen_ids: Collection[int], now: datetime
) -> float:
    """(1 + likes + 2*saves + 3*comments) / (age_hours + 2) ** 1.5; x1.5 in a viewer language; x0.2 seen."""
    age_hours = max(0.0, (now - c.published_at).total_seconds() / 3600)
    engagement = 1 + c.like_count + 2 * c.save_count + 3 * c.comment_count
    value = engagement / (age_hours + DECAY_OFFSET_HOURS) ** DECAY_EXPONENT
    if base_language(c.language) in viewer_languages:
        value *= LANGUAGE_BOOST
    if c.id in seen_ids:
        value *= SEEN_FACTOR
    return value


def diversify(
    scored: Iterable[tuple[float, int, int]], *, cap: int = AUTHOR_CAP, span: int = DIVERSITY_SPAN
) -> list[int]:
    """Greedy re-rank of (score, note_id, author_id): best first, but an author who holds the previous
    position, or already holds `cap` of the last `span - 1` positions, is passed over while anyone else
    is left (so one author's notes are never back to back while others remain).

    When only capped authors remain (a small instance), the best of them is taken anyway: the cap is a
    penalty, never a reason to hide notes. O(n log n): each step skips at most span/cap authors.
    """
    per_author: dict[int, deque[tuple[float, int]]] = {}
    for value, note_id, author_id in sorted(scored, key=lambda t: (-t[0], -t[1])):
        per_author.setdefault(author_id, deque()).append((value, note_id))
    # Heap of each author's best remaining note: (-score, -note_id, author_id); newer id wins ties.
    heap = [(-q[0][0], -q[0][1], author) for author, q in per_author.items()]
    heapq.heapify(heap)
    recent: deque[int] = deque()
    counts: Counter[int] = Counter()
    ranked: list[int] = []
    while heap:
        skipped = []
        chosen = None
        while heap:
            entry = heapq.heappop(heap)
            if counts[entry[2]] < cap and (not ranked or entry[2] != recent[-1]):
                chosen = entry
                break
            skipped.append(entry)
        if chosen is None:
            chosen = skipped.pop(0)  # every remaining author is capped: take the best anyway
        for entry in skipped:
            heapq.heappush(heap, entry)
        author = chosen[2]
        queue = per_author[author]
        ranked.append(queue.popleft()[1])
        if queue:
            heapq.heappush(heap, (-queue[0][0], -queue[0][1], author))
        recent.append(author)
        counts[author] += 1
        if len(recent) >= span:
            counts[recent.popleft()] -= 1
    return ranked


def rank_candidates(
    candidates: Iterable[Candidate],
    *,
    viewer_languages: Collection[str],
    seen_ids: Collection[int],
    now: datetime,
) -> list[int]:
    """Note ids best first: scored by `score`, then spread out by author with `diversify`."""
    scored = [
        (score(c, viewer_languages=viewer_languages, seen_ids=seen_ids, now=now), c.id, c.author_id)
        for c in candidates
    ]
    return diversify(scored)
