"""Discover ranking for one member: candidate sources, the learned ranker, reasons, the served model.

feeds.selectors.discover_feed hands in its candidates (fresh public notes the viewer may see) and
`rank_for_viewer` adds the member's own sources: neighbours of what they engaged with (the trained
item-item model, recommend.algorithms), notes of topics they follow or engage with. Every candidate
is scored by the learned ranker (recommend.features weights, trained by recommend.training), spread
over topics, given a few notes from the other language community and an exploration slot, and
labelled with the source that contributed most to its score ("Why this"). Notes the member said
they are not interested in (or their authors and topics) never come back.

Extra candidates are read through notes.access (distributable_notes, without_muted), public only;
the page itself is re-checked by feeds when it is loaded.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haven.core.compiled import CompiledQuery, ViewerRef
from haven.engagement.models import Comment, NoteLike, Save
from haven.notes.access import distributable_notes, without_muted
from haven.notes.models import NoteHashtag, Visibility
from haven.recommend import features, selectors
from haven.recommend.models import EventKind, InteractionEvent, RecommenderModel

logger = logging.getLogger(__name__)

COLUMNS = (
    "id",
    "author_id",
    "published_at",
    "like_count",
    "save_count",
    "comment_count",
    "language",
    "author__date_joined",
)
HISTORY = 100  # most recent engagements read per ranking
NEIGHBOURS = 300  # item-item neighbours taken as candidates
TOPIC_PER_TAG = 40  # newest notes of each of the member's topics taken as candidates
TOPIC_CACHE_SECONDS = 120  # how long a topic's newest notes are shared between members
TOPIC_AFFINITY_TAGS = 20  # the member's strongest topics that feed the topic source
NEIGHBOUR_DAYS = 90  # neighbours may be older than Discover's fresh window
TOPIC_DAYS = 30
NEW_CREATOR_DAYS = 30
TOPIC_DECAY = 0.35  # score taken from the k-th note of one topic: k * TOPIC_DECAY (k = 0, 1, ...)
EXPLORE_SLOTS = 2  # notes from outside the member's sources lifted into the first pages
EXCHANGE_SLOTS = 3  # notes from the other language community in the first 20, when there are any
ACTIVE_VERSION_KEY = "hv:recommend:active-version"
PRIOR_VERSION = "prior-1"

# Strength of each kind of engagement in a member's history (likes, saves and comments come from the
# engagement tables; opens, long reads and shares from interaction events).
HISTORY_WEIGHTS = {"like": 1.0, "save": 2.0, "comment": 1.5, "open": 0.3, "dwell": 0.6, "share": 2.0}
LONG_READ_MS = 10_000


class CandidateLike(Protocol):
    """The ranking columns of a note (feeds.ranking.Candidate has them)."""

    @property
    def id(self) -> int: ...
    @property
    def author_id(self) -> int: ...
    @property
    def published_at(self) -> datetime: ...
    @property
    def like_count(self) -> int: ...
    @property
    def save_count(self) -> int: ...
    @property
    def comment_count(self) -> int: ...
    @property
    def language(self) -> str: ...
    @property
    def author_joined(self) -> datetime | None: ...


@dataclass
class Ranked:
    """A ranked Discover list: note ids best first, each one's reason, and what produced it."""

    ids: list[int]
    reasons: dict[int, tuple[str, str]]  # note id -> (reason code, argument: topic, title, language)
    scores: dict[int, float]
    authors: dict[int, int]
    topics: dict[int, tuple[str, ...]]
    version: str


def ranking_generation(user_id: int) -> int:
    """A number that changes when the member's choices should re-rank their Discover (feeds caches a
    ranking per generation, so the next page is ranked again)."""
    return int(cache.get(f"hv:recommend:gen:{user_id}") or 0)


def ranking_invalidate(user_id: int) -> None:
    """Move the member's ranking generation on ("not interested", a followed topic)."""
    key = f"hv:recommend:gen:{user_id}"
    if not cache.add(key, 1, 86_400):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 86_400)


def note_topics(note_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """The hashtag names of each note (one query), for cards that offer "not interested in #topic"."""
    return _tags_of(note_ids)


def enabled() -> bool:
    """Whether Discover ranks with this app (HAVEN_RECOMMENDER=trained) or with feeds' v0 ranking."""
    return str(settings.HAVEN.recommender) == "trained"


# ---------------------------------------------------------------------------------------------
# The served model: loaded once per process, re-checked every HAVEN_RECOMMEND_RELOAD_SECONDS.


@dataclass
class LoadedModel:
    version: str
    model: Any  # a recommend.algorithms recommender, or None (prior ranker only)
    item_ids: np.ndarray  # model item index -> note id
    index: dict[int, int]  # note id -> model item index
    weights: np.ndarray  # the ranker's weights, features.FEATURES order


_PRIOR = LoadedModel(
    version=PRIOR_VERSION,
    model=None,
    item_ids=np.zeros(0, dtype=np.int64),
    index={},
    weights=features.weight_vector(None),
)
_loaded: dict[str, Any] = {"model": _PRIOR, "checked": 0.0}
_lock = threading.Lock()


def _active_version() -> str:
    version = cache.get(ACTIVE_VERSION_KEY)
    if version is None:
        found = RecommenderModel.objects.filter(is_active=True).values_list("version", flat=True).first()
        version = found or PRIOR_VERSION
        cache.set(ACTIVE_VERSION_KEY, version, 3600)
    return str(version)


def active_model(*, now: float | None = None) -> LoadedModel:
    """The model to serve: the active trained one, else the prior ranker (no item-item source)."""
    now = time.monotonic() if now is None else now
    current: LoadedModel = _loaded["model"]
    if now - float(_loaded["checked"]) < int(settings.HAVEN.recommend_reload_seconds):
        return current
    with _lock:
        _loaded["checked"] = now
        version = _active_version()
        if version == current.version:
            return current
        loaded = _load(version)
        _loaded["model"] = loaded
        return loaded


def _load(version: str) -> LoadedModel:
    if version == PRIOR_VERSION:
        return _PRIOR
    row = RecommenderModel.objects.filter(version=version).values_list("artifact", "ranker").first()
    if row is None:
        return _PRIOR
    from haven.recommend import training

    try:
        model, item_ids = training.artifact_unpack(bytes(row[0]))
    except (ValueError, KeyError, OSError) as exc:  # a damaged artifact: serve the prior, say so
        logger.error("recommend: model %s could not be loaded: %s", version, exc)
        return _PRIOR
    weights = features.weight_vector((row[1] or {}).get("weights"))
    index = {int(note_id): i for i, note_id in enumerate(item_ids.tolist())}
    return LoadedModel(version=version, model=model, item_ids=item_ids, index=index, weights=weights)


def forget_loaded() -> None:
    """Drop the in-process model so the next ranking re-reads the active one (tests, activation)."""
    with _lock:
        _loaded["model"] = _PRIOR
        _loaded["checked"] = 0.0


# ---------------------------------------------------------------------------------------------
# What ranking reads of a member.


@dataclass
class History:
    """A member's recent engagements, newest first."""

    note_ids: list[int]
    weights: list[float]
    kinds: list[str]
    authors: list[int]
    titles: dict[int, str]


def _history_rows(user_id: int, limit: int) -> QuerySet[Any, tuple[Any, ...]]:
    def tagged(kind: str) -> Value:
        return Value(kind, output_field=CharField())

    columns = ("note_id", "note__author_id", "note__title", "created_at")
    likes = NoteLike.objects.filter(user_id=user_id).values_list(*columns, tagged("like"))
    saves = Save.objects.filter(user_id=user_id).values_list(*columns, tagged("save"))
    comments = Comment.objects.filter(author_id=user_id).values_list(*columns, tagged("comment"))
    events = InteractionEvent.objects.filter(user_id=user_id, kind__in=(EventKind.OPEN, EventKind.SHARE))
    opens = events.filter(kind=EventKind.OPEN).values_list(*columns, tagged("open"))
    shares = events.filter(kind=EventKind.SHARE).values_list(*columns, tagged("share"))
    dwells = InteractionEvent.objects.filter(
        user_id=user_id, kind=EventKind.DWELL, value__gte=LONG_READ_MS
    ).values_list(*columns, tagged("dwell"))
    branches = [likes, saves, comments, opens, shares, dwells]
    if connections[NoteLike.objects.db].features.supports_slicing_ordering_in_compound:
        # Each source's newest first (PostgreSQL): a small plan on the (user, created_at) indexes, where
        # the whole history of a busy member sorted at once was costed high enough for parallel workers.
        branches = [branch.order_by("-created_at")[: limit * 2] for branch in branches]
    return branches[0].union(*branches[1:], all=True).order_by("-created_at")[: limit * 2]


#: Read by every ranking: compiled once per thread (core.compiled), the six sources' UNION being
#: several milliseconds of Django building for a query that runs in under one.
_HISTORY = CompiledQuery(
    "recommend.member_history", lambda user: _history_rows(user, HISTORY), scalars=("user",)
)


def member_history(user_id: int, *, limit: int = HISTORY) -> History:
    """The member's most recent likes, saves, comments, opens, long reads and shares (one query)."""
    rows = _HISTORY.rows(user=user_id) if limit == HISTORY else list(_history_rows(user_id, limit))
    best: dict[int, list[Any]] = {}
    order: list[int] = []
    for note_id, author_id, title, _at, kind in rows:
        weight = HISTORY_WEIGHTS.get(kind, 0.0)
        if note_id not in best:
            best[note_id] = [weight, kind, author_id, title or ""]
            order.append(note_id)
        else:  # several engagements with one note add up; the strongest names it
            entry = best[note_id]
            entry[0] += weight
            if weight > HISTORY_WEIGHTS.get(entry[1], 0.0):
                entry[1] = kind
    order = order[:limit]
    return History(
        note_ids=order,
        weights=[best[n][0] for n in order],
        kinds=[best[n][1] for n in order],
        authors=[best[n][2] for n in order],
        titles={n: best[n][3] for n in order},
    )


def _tags_of(note_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """The hashtag names of each note (every id present; one query)."""
    out: dict[int, list[str]] = {note_id: [] for note_id in note_ids}
    if not note_ids:
        return {}
    rows = _TAGS.rows(notes=list(note_ids))
    for note_id, name in rows:
        out.setdefault(note_id, []).append(name)
    return {k: tuple(sorted(v)) for k, v in out.items()}


# ---------------------------------------------------------------------------------------------
# Ranking.


def _neighbours(loaded: LoadedModel, history: History, exclude: set[int]) -> dict[int, float]:
    """Note id -> score relative to the best, of the item-item model's best neighbours of the member's
    history (NEIGHBOURS at most, positive scores only)."""
    if loaded.model is None or not history.note_ids:
        return {}
    pairs = [
        (loaded.index[n], w)
        for n, w in zip(history.note_ids, history.weights, strict=True)
        if n in loaded.index
    ]
    if not pairs:
        return {}
    pairs.reverse()  # models read histories oldest first
    items = np.array([p[0] for p in pairs], dtype=np.int64)
    weights = np.array([p[1] for p in pairs], dtype=np.float32)
    scores = np.asarray(loaded.model.score([items], [weights]))[0].astype(np.float64)
    return relative_neighbours(scores, items, loaded.item_ids, exclude)


def relative_neighbours(
    scores: np.ndarray, history: np.ndarray, item_ids: np.ndarray, exclude: Collection[int]
) -> dict[int, float]:
    """The NEIGHBOURS best positive scores (history items and `exclude`d note ids left out), as
    note id -> score / best score; shared with training so the ranker learns on the same values."""
    scores = scores.copy()
    scores[history] = -np.inf
    count = min(NEIGHBOURS + len(exclude), scores.size)
    if count <= 0:
        return {}
    top = np.argpartition(-scores, count - 1)[:count]
    top = top[np.argsort(-scores[top], kind="stable")]
    out: dict[int, float] = {}
    best = 0.0
    for i in top.tolist():
        value = float(scores[i])
        if not np.isfinite(value) or value <= 0:
            break
        note_id = int(item_ids[i])
        if note_id in exclude:
            continue
        best = best or value
        out[note_id] = value / best
        if len(out) >= NEIGHBOURS:
            break
    return out


def _explain(loaded: LoadedModel, history: History, note_ids: Sequence[int]) -> dict[int, int]:
    """For notes chosen through the item-item source: the history note that contributed most."""
    if loaded.model is None or not note_ids:
        return {}
    hist = [n for n in reversed(history.note_ids) if n in loaded.index]
    wanted = [n for n in note_ids if n in loaded.index]
    if not hist or not wanted:
        return {}
    positions = loaded.model.explain(
        np.array([loaded.index[n] for n in hist], dtype=np.int64),
        np.array([loaded.index[n] for n in wanted], dtype=np.int64),
    )
    return {note: hist[int(p)] for note, p in zip(wanted, positions, strict=True) if int(p) >= 0}


def _neighbour_rows(viewer: Any, ids: Sequence[int], now: datetime) -> list[tuple[Any, ...]]:
    """Candidate columns of the item-item neighbours the viewer may be shown (notes.access: visible,
    distributable, muted authors left out), public only; one query."""
    if not ids:
        return []
    since = now - timedelta(days=NEIGHBOUR_DAYS)  # filtered here: the compiled query takes ids only
    rows = _NEIGHBOURS.rows(viewer=int(viewer.pk), ids=list(ids))
    return [row for row in rows if row[2] is not None and row[2] >= since]


def _neighbour_query(viewer: int, ids: list[int]) -> QuerySet[Any, tuple[Any, ...]]:
    base = without_muted(distributable_notes(ViewerRef(viewer)), ViewerRef(viewer))
    return base.filter(visibility=Visibility.PUBLIC, author__is_active=True, id__in=ids).values_list(*COLUMNS)


#: Every ranking reads its neighbours and their topics: compiled once per thread (ADR 0013), the id
#: lists padded to a few lengths.
_NEIGHBOURS = CompiledQuery(
    "recommend.neighbour_rows", _neighbour_query, scalars=("viewer",), lists=("ids",), pad_lists=True
)
_TAGS = CompiledQuery(
    "recommend.tags_of",
    lambda notes: NoteHashtag.objects.filter(note_id__in=notes).values_list("note_id", "hashtag__name"),
    lists=("notes",),
    pad_lists=True,
)


def topic_rows(
    names: Sequence[str], now: datetime
) -> tuple[list[tuple[Any, ...]], dict[int, tuple[str, ...]]]:
    """The newest TOPIC_PER_TAG notes of each topic that anyone may see (notes.access with no viewer:
    public notes of public accounts, distributable), shared by every member and cached for
    TOPIC_CACHE_SECONDS; (rows, their topics). A topic missing from the cache costs one query (two
    with the topics of its notes). Members' blocks and mutes are applied by the caller."""
    if not names:
        return [], {}
    keys = {f"hv:rec:topic:v1:{hashlib.sha256(name.encode()).hexdigest()[:20]}": name for name in names}
    found = cache.get_many(list(keys))
    rows: list[tuple[Any, ...]] = []
    tags: dict[int, tuple[str, ...]] = {}
    fresh: dict[str, Any] = {}
    for key, name in keys.items():
        entry = found.get(key)
        if entry is None:
            recent = distributable_notes(None).filter(
                author__is_active=True,
                published_at__gte=now - timedelta(days=TOPIC_DAYS),
                id__in=NoteHashtag.objects.filter(hashtag__name=name).values("note_id"),
            )
            entry_rows = list(recent.order_by("-published_at", "-id").values_list(*COLUMNS)[:TOPIC_PER_TAG])
            entry_tags = _tags_of([row[0] for row in entry_rows])
            entry = {"rows": entry_rows, "tags": entry_tags}
            fresh[key] = entry
        rows += entry["rows"]
        tags.update(entry["tags"])
    if fresh:
        cache.set_many(fresh, TOPIC_CACHE_SECONDS)
    return rows, tags


def rank_for_viewer(
    viewer: Any,
    candidates: Sequence[CandidateLike],
    *,
    reads: Collection[str],
    learning: Collection[str],
    seen_among: Callable[[Collection[int]], set[int]],
    now: datetime,
    seed: str = "",
    known_tags: dict[int, tuple[str, ...]] | None = None,
) -> Ranked:
    """Rank Discover for a signed-in member who allows personalised recommendations.

    `known_tags` are the topics of candidates the caller already knows (feeds' shared candidates carry
    them), so only the others are read.

    Queries: the member's history, their choices (follows, topics, "not interested", blocks and mutes
    in one UNION), the topics of their history, the item-item neighbours, the topics of candidates
    not in `known_tags`, and what `seen_among` reads; the topics' newest notes come from a shared
    cache (one query per topic missing from it) and the model is in memory.
    """
    user_id = int(viewer.pk)
    loaded = active_model()
    history = member_history(user_id)
    choices = selectors.ranking_choices(user_id)
    followed, followed_authors = choices.followed_topics, choices.followed_authors
    hidden_notes, hidden_authors, hidden_topics = (
        choices.hidden_notes,
        choices.hidden_authors,
        choices.hidden_topics,
    )
    engaged = set(history.note_ids)
    exclude = engaged | hidden_notes

    neighbour_ids = _neighbours(loaded, history, exclude)
    history_tags = _tags_of(engaged)
    engaged_tags = [
        (tag, w)
        for n, w in zip(history.note_ids, history.weights, strict=True)
        for tag in history_tags.get(n, ())
    ]
    affinity = features.topic_affinity(followed, engaged_tags)
    strongest = [t for t, _v in sorted(affinity.items(), key=lambda kv: -kv[1]) if t not in hidden_topics]
    by_id: dict[int, tuple[Any, ...]] = {
        c.id: (
            c.id,
            c.author_id,
            c.published_at,
            c.like_count,
            c.save_count,
            c.comment_count,
            c.language,
            c.author_joined,
        )
        for c in candidates
    }
    for row in _neighbour_rows(viewer, list(neighbour_ids), now):
        by_id.setdefault(row[0], row)
    topic_candidates, tags = topic_rows(strongest[:TOPIC_AFFINITY_TAGS], now)
    tags.update(known_tags or {})
    for row in topic_candidates:  # shared rows: the member's blocks and mutes are applied here
        if row[1] not in choices.blocked_or_muted:
            by_id.setdefault(row[0], row)
    for note_id in list(by_id):
        if note_id in exclude or by_id[note_id][1] in hidden_authors or by_id[note_id][1] == user_id:
            del by_id[note_id]
    tags.update(_tags_of([note_id for note_id in by_id if note_id not in tags]))
    new_since = now - timedelta(days=NEW_CREATOR_DAYS)
    seen = seen_among(list(by_id)) if by_id else set()
    items = [
        features.Item(
            note_id=row[0],
            author_id=row[1],
            published_at=row[2],
            like_count=row[3],
            save_count=row[4],
            comment_count=row[5],
            language=row[6],
            tags=tags.get(row[0], ()),
            co_score=neighbour_ids.get(row[0], 0.0),
            new_creator=row[7] is not None and row[7] >= new_since,
        )
        for row in by_id.values()
        if not hidden_topics.intersection(tags.get(row[0], ()))
    ]
    author_affinity: dict[int, float] = {}
    for author, weight in zip(history.authors, history.weights, strict=True):
        author_affinity[author] = author_affinity.get(author, 0.0) + weight
    profile = features.Profile(
        reads=frozenset(features.base_language(code) for code in reads),
        learning=frozenset(features.base_language(code) for code in learning),
        followed_topics=frozenset(followed),
        followed_authors=frozenset(followed_authors),
        topic_affinity=affinity,
        author_affinity=author_affinity,
        seen=frozenset(seen),
    )
    ranked = _order(profile, items, loaded, history, now=now, seed=seed or str(user_id))
    ranked.topics = {item.note_id: item.tags for item in items}
    return ranked


def _order(
    profile: features.Profile,
    items: list[features.Item],
    loaded: LoadedModel,
    history: History,
    *,
    now: datetime,
    seed: str,
) -> Ranked:
    if not items:
        return Ranked(ids=[], reasons={}, scores={}, authors={}, topics={}, version=loaded.version)
    x = features.matrix(profile, items, now)
    raw = x @ loaded.weights
    best = [features.best_topic(profile, item) for item in items]  # read three times below
    reasons: dict[int, tuple[str, str]] = {}
    codes = features.reasons(profile, items, x, loaded.weights, best_topics=best)
    for k, (item, code) in enumerate(zip(items, codes, strict=True)):
        arg = ""
        if code == "topic":
            arg = best[k] or ""
        elif code in ("learning", "language"):
            arg = features.base_language(item.language)
        reasons[item.note_id] = (code, arg)
    # Spread over topics: the k-th note of one main topic gives up k * TOPIC_DECAY.
    order = np.argsort(-raw, kind="stable")
    per_topic: Counter[str] = Counter()
    score = raw.copy()
    for i in order.tolist():
        item = items[i]
        topic = best[i] or (item.tags[0] if item.tags else "")
        if topic:
            score[i] -= TOPIC_DECAY * per_topic[topic]
            per_topic[topic] += 1
    order = np.argsort(-score, kind="stable")
    top_score = float(score[order[min(len(order) - 1, 19)]])
    rng = random.Random(seed)
    # The other language community: a few of its best notes reach the first page.
    # Neither lifts a note the member was already served.
    unseen = [i for i in order.tolist() if items[i].note_id not in profile.seen]
    if profile.reads:
        others = [i for i in unseen if features.base_language(items[i].language) not in profile.reads]
        for i in others[:EXCHANGE_SLOTS]:
            if score[i] < top_score:
                score[i] = top_score + rng.random() * 0.01
                if reasons[items[i].note_id][0] in ("fresh", "popular", "language"):
                    reasons[items[i].note_id] = ("exchange", features.base_language(items[i].language))
    # Exploration: a few notes from outside the member's sources, spread through the first pages.
    outside = [i for i in unseen if reasons[items[i].note_id][0] in ("fresh", "popular")]
    explore = rng.sample(outside, k=min(len(outside), EXPLORE_SLOTS)) if outside else []
    head = float(score[order[0]])
    for i in explore:
        score[i] = top_score + rng.random() * max(0.01, head - top_score)
        reasons[items[i].note_id] = ("explore", "")
    similar = [item.note_id for item in items if reasons[item.note_id][0] == "similar"]
    for note_id, source in _explain(loaded, history, similar).items():
        reasons[note_id] = ("similar", history.titles.get(source, ""))
    order = np.argsort(-score, kind="stable")
    ids = [items[i].note_id for i in order.tolist()]
    return Ranked(
        ids=ids,
        reasons=reasons,
        scores={items[i].note_id: float(score[i]) for i in order.tolist()},
        authors={item.note_id: item.author_id for item in items},
        topics={},
        version=loaded.version,
    )


LANGUAGE_NAMES = {"en": gettext_lazy("English"), "zh": gettext_lazy("Chinese")}


def reason_text(code: str, arg: str) -> str:
    """The sentence "Why this" shows for a reason code and its argument."""
    language = str(LANGUAGE_NAMES[arg]) if arg in LANGUAGE_NAMES else arg
    if code == "similar":
        if arg:
            return _("Similar to “%(title)s”, which you engaged with") % {"title": arg[:60]}
        return _("Similar to notes you liked and saved")
    if code == "topic":
        return _("Because you are interested in #%(topic)s") % {"topic": arg}
    if code == "following":
        return _("From someone you follow")
    if code == "author":
        return _("You liked notes by this author")
    if code == "learning":
        return _("In %(language)s, which you are learning") % {"language": language}
    if code == "language":
        return _("Popular in %(language)s, a language you read") % {"language": language}
    if code == "exchange":
        return _("From the %(language)s-speaking community: the exchange is the point") % {
            "language": language
        }
    if code == "new_creator":
        return _("A new creator on Haven")
    if code == "explore":
        return _("Something different, to help you explore")
    if code == "popular":
        return _("Popular on Haven right now")
    return _("New and getting attention")
