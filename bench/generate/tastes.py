"""Hidden tastes of generated members: interests among topics, and taste-driven choices of notes (numpy)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOPIC_ZIPF = 0.9  # topic popularity: weight of the r-th topic is 1 / r ** TOPIC_ZIPF
MAX_INTERESTS = 4
OTHER_LANGUAGE = 0.1  # a one-language member's taste-driven picks in the other language (the exchange)


def topic_weights(topics: int, zipf: float = TOPIC_ZIPF) -> np.ndarray:
    """Normalised Zipf weights of `topics` topics, most popular first."""
    raw = 1.0 / np.arange(1, topics + 1, dtype=np.float64) ** zipf
    return raw / raw.sum()


def draw_interests(
    rng: np.random.Generator, members: int, weights: np.ndarray, low: int = 2, high: int = MAX_INTERESTS
) -> tuple[np.ndarray, np.ndarray]:
    """(interests, count): row `id` of `interests` holds member id's distinct topics in its first
    count[id] columns (row 0 unused), drawn without replacement with `weights` (Gumbel top-k)."""
    keys = np.log(weights)[None, :] - np.log(-np.log(rng.random((members, len(weights)))))
    top = np.argsort(-keys, axis=1)[:, :high]
    count = rng.integers(low, high + 1, members)
    interests = np.vstack([np.zeros((1, high), dtype=np.int64), top.astype(np.int64)])
    return interests, np.concatenate([[0], count])


@dataclass
class NoteIndex:
    """Notes that may be engaged with, grouped by bucket (topic * 2 + language), weighted by appeal."""

    ids: np.ndarray  # note ids sorted by bucket
    cumulative: np.ndarray  # running appeal over `ids`
    starts: np.ndarray  # per bucket: first position in `ids`
    ends: np.ndarray  # per bucket: one past the last position
    popular_ids: np.ndarray  # note ids in id order
    popular_cumulative: np.ndarray  # running appeal ** popular_power over popular_ids

    @classmethod
    def build(
        cls,
        note_ids: np.ndarray,
        buckets: np.ndarray,
        appeal: np.ndarray,
        n_buckets: int,
        popular_power: float,
    ) -> NoteIndex:
        order = np.argsort(buckets, kind="stable")
        sorted_buckets = buckets[order]
        starts = np.searchsorted(sorted_buckets, np.arange(n_buckets), side="left")
        ends = np.searchsorted(sorted_buckets, np.arange(n_buckets), side="right")
        return cls(
            ids=note_ids[order],
            cumulative=np.cumsum(appeal[order]),
            starts=starts,
            ends=ends,
            popular_ids=note_ids,
            popular_cumulative=np.cumsum(appeal**popular_power),
        )

    def popular(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """`count` notes drawn with probability proportional to appeal ** popular_power."""
        total = self.popular_cumulative[-1]
        at = np.searchsorted(self.popular_cumulative, rng.random(count) * total, side="right")
        return self.popular_ids[np.minimum(at, len(self.popular_ids) - 1)]

    def in_buckets(self, rng: np.random.Generator, buckets: np.ndarray) -> np.ndarray:
        """One note per entry of `buckets`, proportional to appeal within the bucket; -1 for an empty one."""
        lo, hi = self.starts[buckets], self.ends[buckets]
        empty = lo >= hi
        base = np.where(lo > 0, self.cumulative[np.maximum(lo - 1, 0)], 0.0)
        top = self.cumulative[np.maximum(hi - 1, 0)]
        target = base + rng.random(len(buckets)) * (top - base)
        at = np.searchsorted(self.cumulative, target, side="right")
        at = np.clip(at, lo, np.maximum(hi - 1, lo))
        out = self.ids[np.minimum(at, len(self.ids) - 1)]
        return np.where(empty, -1, out)


def choose_notes(
    rng: np.random.Generator,
    users: np.ndarray,
    *,
    interests: np.ndarray,
    count: np.ndarray,
    reads_zh: np.ndarray,
    reads_en: np.ndarray,
    index: NoteIndex,
    taste_share: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(notes, in_taste) for one engagement by each of `users`: with probability `taste_share` a note of
    one of the member's interests, mostly in a language they read; otherwise a popular note."""
    taste = rng.random(len(users)) < taste_share
    notes = np.empty(len(users), dtype=np.int64)
    tu = users[taste]
    pick = (rng.random(len(tu)) * count[tu]).astype(np.int64)
    topic = interests[tu, pick]
    both = reads_zh[tu] & reads_en[tu]
    roll = rng.random(len(tu))
    zh = np.where(both, roll < 0.5, np.where(reads_zh[tu], roll >= OTHER_LANGUAGE, roll < OTHER_LANGUAGE))
    chosen = index.in_buckets(rng, topic * 2 + zh.astype(np.int64))
    missing = chosen < 0
    if missing.any():  # an empty bucket (tiny worlds): fall back to a popular note
        chosen[missing] = index.popular(rng, int(missing.sum()))
    notes[taste] = chosen
    notes[~taste] = index.popular(rng, int((~taste).sum()))
    return notes, taste
