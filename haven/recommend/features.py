"""The Discover ranker's features and reasons, as pure functions shared by training and serving.

A candidate note is described by plain values (`Item`), a member by what they did and chose
(`Profile`); `vector` turns the pair into the feature vector the learned ranker weighs, and
`reason` names the candidate source that contributed most to a note's score, which is what
"Why this" shows. Nothing here touches the database, so training (recommend.training) computes
exactly the features that serving (recommend.serving) does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

FEATURES = (
    "bias",
    "engagement",  # log(1 + likes + 2 saves + 3 comments)
    "freshness",  # -log(age in hours + 2)
    "reads_language",  # the note is in a language the member reads
    "learning_language",  # ... or in one they are learning
    "co_engagement",  # the item-item model's score over the best neighbour's score, in [0, 1]
    "topic_match",  # how much the note's topics match followed topics and topics the member engaged with
    "author_affinity",  # log(1 + the member's engagement with this author's notes)
    "follows_author",
    "seen",  # the note was already served to the member
    "new_creator",  # the author joined recently
)
N_FEATURES = len(FEATURES)

#: The prior weights: used until enough interactions exist to learn them (recommend.training), and as
#: the starting point of that fit. Hand-set so that a member with no history gets topic and language
#: matches first, fresh and engaging notes next.
PRIOR_WEIGHTS: dict[str, float] = {
    "bias": 0.0,
    "engagement": 0.4,
    "freshness": 0.5,
    "reads_language": 0.8,
    "learning_language": 0.5,
    "co_engagement": 2.0,
    "topic_match": 4.0,
    "author_affinity": 0.7,
    "follows_author": 0.6,
    "seen": -1.6,
    "new_creator": 0.3,
}

FOLLOWED_TOPIC_WEIGHT = 3.0  # a followed topic counts as much as this many engagements with the topic
TOPIC_SATURATION = 2.0  # topic_match = affinity / (affinity + this), in [0, 1)


@dataclass(frozen=True)
class Item:
    """A candidate note, as ranking reads it."""

    note_id: int
    author_id: int
    published_at: datetime
    like_count: int
    save_count: int
    comment_count: int
    language: str
    tags: tuple[str, ...] = ()
    co_score: float = 0.0  # the item-item score relative to the member's best neighbour, in [0, 1]
    new_creator: bool = False


@dataclass
class Profile:
    """What ranking knows of a member: their languages, follows, topics and recent engagement."""

    reads: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()
    followed_topics: frozenset[str] = frozenset()
    followed_authors: frozenset[int] = frozenset()
    topic_affinity: Mapping[str, float] = field(default_factory=dict)  # topic -> engagement weight
    author_affinity: Mapping[int, float] = field(default_factory=dict)  # author -> engagement weight
    seen: frozenset[int] = frozenset()


def base_language(code: str) -> str:
    return (code or "").split("-")[0].lower()


def topic_affinity(followed: Sequence[str], engaged_tags: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Topic -> affinity: FOLLOWED_TOPIC_WEIGHT per followed topic plus the weight of each engagement
    with a note carrying the topic."""
    out: dict[str, float] = {}
    for name in followed:
        out[name] = out.get(name, 0.0) + FOLLOWED_TOPIC_WEIGHT
    for name, weight in engaged_tags:
        out[name] = out.get(name, 0.0) + weight
    return out


def best_topic(profile: Profile, item: Item) -> str | None:
    """The item's topic the member cares about most (followed topics first), if any."""
    best, best_value = None, 0.0
    for tag in item.tags:
        value = profile.topic_affinity.get(tag, 0.0) + (100.0 if tag in profile.followed_topics else 0.0)
        if value > best_value:
            best, best_value = tag, value
    return best


def vector(profile: Profile, item: Item, now: datetime) -> np.ndarray:
    """The feature vector of `item` for `profile` (order: FEATURES)."""
    age_hours = max(0.0, (now - item.published_at).total_seconds() / 3600)
    language = base_language(item.language)
    affinity = sum(profile.topic_affinity.get(tag, 0.0) for tag in item.tags)
    return np.array(
        [
            1.0,
            math.log1p(item.like_count + 2 * item.save_count + 3 * item.comment_count),
            -math.log(age_hours + 2.0),
            1.0 if language in profile.reads else 0.0,
            1.0 if language in profile.learning and language not in profile.reads else 0.0,
            item.co_score,
            affinity / (affinity + TOPIC_SATURATION),
            math.log1p(profile.author_affinity.get(item.author_id, 0.0)),
            1.0 if item.author_id in profile.followed_authors else 0.0,
            1.0 if item.note_id in profile.seen else 0.0,
            1.0 if item.new_creator else 0.0,
        ],
        dtype=np.float64,
    )


def matrix(profile: Profile, items: Sequence[Item], now: datetime) -> np.ndarray:
    """Feature vectors of `items`, one row each: `vector` for many items at once (column by column)."""
    n = len(items)
    x = np.zeros((n, N_FEATURES), dtype=np.float64)
    if n == 0:
        return x
    x[:, 0] = 1.0
    engaged = (i.like_count + 2 * i.save_count + 3 * i.comment_count for i in items)
    counts = np.fromiter(engaged, np.float64, n)
    x[:, 1] = np.log1p(counts)
    ages = np.fromiter(((now - i.published_at).total_seconds() for i in items), np.float64, n) / 3600
    x[:, 2] = -np.log(np.maximum(ages, 0.0) + 2.0)
    languages = [base_language(i.language) for i in items]
    x[:, 3] = [lang in profile.reads for lang in languages]
    x[:, 4] = [lang in profile.learning and lang not in profile.reads for lang in languages]
    x[:, 5] = np.fromiter((i.co_score for i in items), np.float64, n)
    get_topic = profile.topic_affinity.get
    affinity = np.fromiter((sum(get_topic(t, 0.0) for t in i.tags) for i in items), np.float64, n)
    x[:, 6] = affinity / (affinity + TOPIC_SATURATION)
    get_author = profile.author_affinity.get
    x[:, 7] = np.log1p(np.fromiter((get_author(i.author_id, 0.0) for i in items), np.float64, n))
    x[:, 8] = [i.author_id in profile.followed_authors for i in items]
    x[:, 9] = [i.note_id in profile.seen for i in items]
    x[:, 10] = [i.new_creator for i in items]
    return x


def weight_vector(weights: Mapping[str, float] | None) -> np.ndarray:
    """Weights in FEATURES order; a missing feature weighs its prior."""
    source = dict(PRIOR_WEIGHTS)
    source.update({k: float(v) for k, v in (weights or {}).items() if k in PRIOR_WEIGHTS})
    return np.array([source[name] for name in FEATURES], dtype=np.float64)


# Reasons: the candidate source behind a note, most specific first when contributions tie.
REASON_FEATURES = (
    ("co_engagement", "similar"),
    ("topic_match", "topic"),
    ("follows_author", "following"),
    ("author_affinity", "author"),
    ("learning_language", "learning"),
    ("new_creator", "new_creator"),
    ("engagement", "popular"),
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


def reason(profile: Profile, item: Item, row: np.ndarray, weights: np.ndarray) -> str:
    """The code of the source that contributed most to the item's score (see REASON_FEATURES);
    "language" when only the language matched, "fresh" when nothing personal did."""
    return reasons(profile, [item], row[None, :], weights)[0]


_REASON_COLUMNS = np.array([_INDEX[feature] for feature, _code in REASON_FEATURES])
_REASON_CODES = [code for _feature, code in REASON_FEATURES]
_REASON_SCALE = np.array([0.5 if feature == "engagement" else 1.0 for feature, _code in REASON_FEATURES])


def reasons(
    profile: Profile,
    items: Sequence[Item],
    x: np.ndarray,
    weights: np.ndarray,
    *,
    best_topics: Sequence[str | None] | None = None,
) -> list[str]:
    """`reason` for many items at once: popularity counts half, so that it explains a note only when
    nothing personal contributed as much; ties go to the more specific source (REASON_FEATURES order).
    `best_topics`: each item's `best_topic`, when the caller has them."""
    if not len(items):
        return []
    contributions = x[:, _REASON_COLUMNS] * weights[_REASON_COLUMNS] * _REASON_SCALE
    best = np.argmax(contributions, axis=1)
    positive = contributions[np.arange(len(items)), best] > 1e-9
    reads = x[:, _INDEX["reads_language"]] > 0
    out = []
    for k, item in enumerate(items):
        code = _REASON_CODES[best[k]] if positive[k] else ""
        if code == "topic" and (best_topic(profile, item) if best_topics is None else best_topics[k]) is None:
            code = ""
        if not code:
            code = "language" if reads[k] and profile.reads else "fresh"
        out.append(code)
    return out
