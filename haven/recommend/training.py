"""Training of Discover's models: the item-item model on members' engagement, then the ranker's weights.

`model_train` (the periodic job `recommend_train`, and `manage.py recommend_train`) reads the
engagement of the last HAVEN_RECOMMEND_EVENT_DAYS days — likes, saves and comments from the
engagement tables, opens, long reads and shares from interaction events — as one time-ordered
sequence per member over the MAX_ITEMS most engaged notes, and trains recommend.algorithms'
`train_haven` on it. Each member's newest engagement is held out of that model: it is the positive
example the ranker learns from (against sampled notes they did not engage with), with features
computed by recommend.features exactly as serving computes them, so the learned weights are fitted
on what serving will see. The artifact (model + note ids) and the weights are stored as a new
versioned RecommenderModel, activated, and older versions pruned (KEEP_VERSIONS kept for rollback).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import logging
import math
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.engagement.models import Comment, NoteLike, Save
from haven.graph.models import Follow
from haven.notes.models import Note, NoteHashtag
from haven.recommend import algorithms, features
from haven.recommend.models import EventKind, InteractionEvent, RecommenderModel, TopicFollow
from haven.recommend.serving import (
    ACTIVE_VERSION_KEY,
    HISTORY,
    HISTORY_WEIGHTS,
    LONG_READ_MS,
    NEW_CREATOR_DAYS,
    relative_neighbours,
)

logger = logging.getLogger(__name__)

MAX_ITEMS = 10_000  # the most engaged notes the item-item model covers (training cost grows as its cube)
MIN_MEMBERS = 5  # fewer members with two engagements or more: nothing to learn yet
MIN_ITEMS = 5
RANKER_MEMBERS = 4000  # members sampled to fit the ranker
NEGATIVES = 6  # sampled notes per positive
SCORE_BATCH = 256  # members scored by the model at once
CHUNK = 50_000  # engagement rows read per round trip
NEGATIVE_SPREAD_DAYS = 2  # negatives are published within this many days of the positive
# Features whose weight stays the prior's: engagement logs cannot teach them (members engage with what
# feeds showed them, and feeds show new notes, so every engaged note looks fresh), or training never
# sees them vary (seen-marks are a serving-time fact).
FIXED_FEATURES = ("freshness", "seen")
MIN_POSITIVES = 50  # below this the prior weights are kept
AUC_MARGIN = 0.01  # learned weights must rank held-out members' notes at least this much better
KEEP_VERSIONS = 3
ARTIFACT_FORMAT = 1
# The model's parameters when there is too little history to tune them (a young instance).
FIXED_PARAMS = dataclasses.replace(algorithms.SERVED_PARAMS, alpha=0.35, pop=0.0)


# ---------------------------------------------------------------------------------------------
# Artifacts: the model's own bytes plus the note id of each model item.


def artifact_pack(model: Any, item_ids: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        format=np.array([ARTIFACT_FORMAT]),
        item_ids=item_ids.astype(np.int64),
        model=np.frombuffer(model.to_bytes(), dtype=np.uint8),
    )
    return buf.getvalue()


def artifact_unpack(data: bytes) -> tuple[Any, np.ndarray]:
    """(model, note ids by model item); ValueError for an artifact of an unknown format."""
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        if int(npz["format"][0]) != ARTIFACT_FORMAT:
            raise ValueError(f"artifact format {int(npz['format'][0])} is not {ARTIFACT_FORMAT}")
        item_ids = np.array(npz["item_ids"], dtype=np.int64)
        model = algorithms.load(npz["model"].tobytes())
    return model, item_ids


# ---------------------------------------------------------------------------------------------
# Interactions out of the database.


def _chunks(since: datetime) -> Iterable[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """(members, notes, epoch seconds, weights) of every engagement since `since`, in chunks of
    CHUNK rows (memory stays bounded by the arrays, not by Python objects)."""
    sources: list[tuple[Any, str, str]] = [
        (NoteLike.objects.filter(created_at__gte=since), "user_id", "like"),
        (Save.objects.filter(created_at__gte=since), "user_id", "save"),
        (Comment.objects.filter(created_at__gte=since), "author_id", "comment"),
        (InteractionEvent.objects.filter(created_at__gte=since, kind=EventKind.OPEN), "user_id", "open"),
        (InteractionEvent.objects.filter(created_at__gte=since, kind=EventKind.SHARE), "user_id", "share"),
        (
            InteractionEvent.objects.filter(
                created_at__gte=since, kind=EventKind.DWELL, value__gte=LONG_READ_MS
            ),
            "user_id",
            "dwell",
        ),
    ]
    for queryset, user_column, kind in sources:
        weight = HISTORY_WEIGHTS[kind]
        rows = queryset.values_list(user_column, "note_id", "created_at").iterator(chunk_size=CHUNK)
        while chunk := list(itertools.islice(rows, CHUNK)):
            n = len(chunk)
            yield (
                np.fromiter((r[0] for r in chunk), np.int64, n),
                np.fromiter((r[1] for r in chunk), np.int64, n),
                np.fromiter((r[2].timestamp() for r in chunk), np.float64, n),
                np.full(n, weight, dtype=np.float32),
            )


def interactions_export(*, since: datetime, max_items: int = MAX_ITEMS) -> dict[str, Any]:
    """Members' engagement as arrays, time-ordered per member, over the `max_items` most engaged notes.

    Returns {"users", "items" (model item index), "times" (epoch seconds), "weights", "item_ids"}.
    Several engagements of one member with one note (a like and a save) add their weights and keep
    the first time.
    """
    parts = list(_chunks(since))
    u = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
    n = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
    t = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.float64)
    w = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, np.float32)
    del parts
    empty = {"users": u[:0], "items": n[:0], "times": t[:0], "weights": w[:0], "item_ids": n[:0]}
    if u.size == 0:
        return empty
    # One row per (member, note): first time, summed weight.
    order = np.lexsort((t, n, u))
    u, n, t, w = u[order], n[order], t[order], w[order]
    first = np.ones(u.size, dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (n[1:] != n[:-1])
    group = np.cumsum(first) - 1
    w = np.bincount(group, weights=w).astype(np.float32)
    u, n, t = u[first], n[first], t[first]
    # The most engaged notes (by distinct members).
    note_ids, counts = np.unique(n, return_counts=True)
    if note_ids.size > max_items:
        keep = note_ids[np.argsort(-counts, kind="stable")[:max_items]]
        note_ids = np.sort(keep)
    mask = np.isin(n, note_ids)
    u, n, t, w = u[mask], n[mask], t[mask], w[mask]
    items = np.searchsorted(note_ids, n)
    order = np.lexsort((items, t, u))
    return {
        "users": u[order],
        "items": items[order],
        "times": t[order],
        "weights": w[order],
        "item_ids": note_ids,
    }


def _last_times(data: dict[str, Any]) -> list[float]:
    """Epoch seconds of each member's newest engagement (same order as _sequences)."""
    u = data["users"]
    if u.size == 0:
        return []
    ends = np.r_[np.flatnonzero(u[1:] != u[:-1]), u.size - 1]
    return [float(data["times"][e]) for e in ends]


def _sequences(data: dict[str, Any]) -> tuple[list[int], list[np.ndarray], list[np.ndarray]]:
    """(member ids, item sequences, weight sequences), one per member, time-ordered."""
    u = data["users"]
    if u.size == 0:
        return [], [], []
    starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
    ends = np.r_[starts[1:], u.size]
    members = [int(u[s]) for s in starts]
    seqs = [data["items"][s:e] for s, e in zip(starts, ends, strict=True)]
    weights = [data["weights"][s:e] for s, e in zip(starts, ends, strict=True)]
    return members, seqs, weights


# ---------------------------------------------------------------------------------------------
# The ranker: logistic regression over recommend.features, positives = held-out engagements.


def _note_items(note_ids: list[int], now: datetime) -> dict[int, dict[str, Any]]:
    columns = ("id", "author_id", "published_at", "like_count", "save_count", "comment_count", "language")
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(note_ids), 5000):
        chunk = note_ids[start : start + 5000]
        for row in Note.objects.filter(id__in=chunk).values_list(*columns):
            out[row[0]] = dict(zip(columns, row, strict=True))
        for note_id, name in NoteHashtag.objects.filter(note_id__in=chunk).values_list(
            "note_id", "hashtag__name"
        ):
            if note_id in out:
                out[note_id].setdefault("tags", []).append(name)
    authors = {row["author_id"] for row in out.values()}
    new = set(
        User.objects.filter(
            id__in=list(authors), date_joined__gte=now - timedelta(days=NEW_CREATOR_DAYS)
        ).values_list("id", flat=True)
    )
    for row in out.values():
        row["new_creator"] = row["author_id"] in new
    return out


def _item(row: dict[str, Any], co_score: float) -> features.Item:
    return features.Item(
        note_id=row["id"],
        author_id=row["author_id"],
        published_at=row["published_at"],
        like_count=row["like_count"],
        save_count=row["save_count"],
        comment_count=row["comment_count"],
        language=row["language"],
        tags=tuple(sorted(row.get("tags", ()))),
        co_score=co_score,
        new_creator=row["new_creator"],
    )


def ranker_examples(
    model: Any,
    members: list[int],
    seqs: list[np.ndarray],
    weights: list[np.ndarray],
    held_out: list[int],
    item_ids: np.ndarray,
    *,
    held_out_times: list[float],
    now: datetime,
    seed: int = 7,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, group) for the ranker: for each sampled member, their held-out note (y = 1) and NEGATIVES
    notes they did not engage with (y = 0), half drawn uniformly, half by popularity, among notes
    published within NEGATIVE_SPREAD_DAYS of the positive (what was on offer beside it); features as of
    the engagement's time."""
    rng = np.random.default_rng(seed)
    chosen = [i for i in range(len(members)) if held_out[i] >= 0 and len(seqs[i]) >= 1]
    if len(chosen) > RANKER_MEMBERS:
        chosen = sorted(rng.choice(chosen, size=RANKER_MEMBERS, replace=False).tolist())
    if not chosen:
        return np.zeros((0, features.N_FEATURES)), np.zeros(0), np.zeros(0)
    popularity = np.bincount(
        np.concatenate([seqs[i] for i in range(len(seqs))]), minlength=item_ids.size
    ).astype(np.float64)
    # Negatives are notes published about when the positive was (within NEGATIVE_SPREAD_DAYS): what was
    # on offer beside it. Drawn from all notes instead, they would teach the ranker that members engage
    # with new notes (they do, because feeds show new notes), and little else.
    published = dict(Note.objects.filter(id__in=item_ids.tolist()).values_list("id", "published_at"))
    pub = np.zeros(item_ids.size, dtype=np.float64)
    for k, note_id in enumerate(item_ids.tolist()):
        when = published.get(note_id)
        pub[k] = when.timestamp() if when is not None else 0.0
    by_time = np.argsort(pub, kind="stable")
    pub_sorted = pub[by_time]
    cdf = np.cumsum(popularity[by_time] + 1)
    samples: dict[int, list[int]] = {}
    for i in chosen:
        engaged = set(seqs[i].tolist()) | {held_out[i]}
        around = pub[held_out[i]]
        lo = int(np.searchsorted(pub_sorted, around - NEGATIVE_SPREAD_DAYS * 86_400))
        hi = int(
            np.searchsorted(
                pub_sorted, min(around + NEGATIVE_SPREAD_DAYS * 86_400, held_out_times[i]), side="right"
            )
        )
        if hi - lo < 4 * NEGATIVES:  # too few notes in the window: any note
            lo, hi = 0, item_ids.size
        if hi - lo <= len(engaged) + NEGATIVES:
            samples[i] = []
            continue
        base = cdf[lo - 1] if lo > 0 else 0.0
        picks: list[int] = []
        for _round in range(20):  # half uniform, half by popularity (inverse CDF), within the window
            uniform = by_time[rng.integers(lo, hi, size=NEGATIVES)]
            draws = base + rng.random(NEGATIVES) * (cdf[hi - 1] - base)
            popular = by_time[np.minimum(np.searchsorted(cdf, draws), hi - 1)]
            for j in np.ravel(np.column_stack([uniform, popular])).tolist():
                if j not in engaged and j not in picks:
                    picks.append(j)
                if len(picks) == NEGATIVES:
                    break
            if len(picks) == NEGATIVES:
                break
        samples[i] = picks
    needed = {int(item_ids[held_out[i]]) for i in chosen} | {
        int(item_ids[j]) for i in chosen for j in samples[i]
    }
    needed |= {int(item_ids[j]) for i in chosen for j in seqs[i][-HISTORY:].tolist()}
    rows = _note_items(sorted(needed), now)
    member_ids = [members[i] for i in chosen]
    langs = {
        pk: (reads or [], learning or [])
        for pk, reads, learning in User.objects.filter(id__in=member_ids).values_list(
            "id", "languages", "learning_languages"
        )
    }
    topics: dict[int, list[str]] = {}
    for user_id, topic in TopicFollow.objects.filter(user_id__in=member_ids).values_list("user_id", "topic"):
        topics.setdefault(user_id, []).append(topic)
    follows: dict[int, set[int]] = {}
    for follower, followee in Follow.objects.filter(follower_id__in=member_ids).values_list(
        "follower_id", "followee_id"
    ):
        follows.setdefault(follower, set()).add(followee)
    histories = {i: (seqs[i][-HISTORY:], weights[i][-HISTORY:]) for i in chosen}
    xs, ys, groups = [], [], []
    for start in range(0, len(chosen), SCORE_BATCH):  # the model scores a batch of members at once
        batch = chosen[start : start + SCORE_BATCH]
        scores = np.asarray(
            model.score([histories[i][0] for i in batch], [histories[i][1] for i in batch]), dtype=np.float64
        )
        for k, (row_scores, i) in enumerate(zip(scores, batch, strict=True)):
            at = datetime.fromtimestamp(held_out_times[i], tz=UTC)
            x, y = _member_examples(
                members[i],
                histories[i],
                held_out[i],
                samples[i],
                row_scores,
                item_ids,
                rows,
                at,
                langs=langs,
                topics=topics,
                follows=follows,
            )
            if len(y):
                xs.append(x)
                ys.append(y)
                groups.append(np.full(len(y), start + k))
    if not xs:
        return np.zeros((0, features.N_FEATURES)), np.zeros(0), np.zeros(0)
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups)


def _member_examples(
    member: int,
    history: tuple[np.ndarray, np.ndarray],
    positive: int,
    negatives: list[int],
    scores: np.ndarray,
    item_ids: np.ndarray,
    rows: dict[int, dict[str, Any]],
    now: datetime,
    *,
    langs: dict[int, tuple[list[str], list[str]]],
    topics: dict[int, list[str]],
    follows: dict[int, set[int]],
) -> tuple[np.ndarray, np.ndarray]:
    """One member's examples: their profile from their history, as serving builds it."""
    notes = [int(item_ids[j]) for j in history[0].tolist()]
    hist_w = history[1].tolist()
    engaged_tags = [
        (tag, w) for n, w in zip(notes, hist_w, strict=True) for tag in rows.get(n, {}).get("tags", ())
    ]
    author_aff: dict[int, float] = {}
    for n, w in zip(notes, hist_w, strict=True):
        if n in rows:
            author = rows[n]["author_id"]
            author_aff[author] = author_aff.get(author, 0.0) + w
    reads, learning = langs.get(member, ([], []))
    profile = features.Profile(
        reads=frozenset(features.base_language(c) for c in reads),
        learning=frozenset(features.base_language(c) for c in learning),
        followed_topics=frozenset(topics.get(member, ())),
        followed_authors=frozenset(follows.get(member, set())),
        topic_affinity=features.topic_affinity(topics.get(member, []), engaged_tags),
        author_affinity=author_aff,
    )
    neighbours = relative_neighbours(scores, history[0], item_ids, ())
    items, labels = [], []
    for j, label in [(positive, 1.0)] + [(j, 0.0) for j in negatives]:
        row = rows.get(int(item_ids[j]))
        if row is not None:
            items.append(_item(row, neighbours.get(row["id"], 0.0)))
            labels.append(label)
    return features.matrix(profile, items, now), np.array(labels)


def _auc_per_group(scores: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """The mean over members of the share of their negatives ranked below their positive."""
    values = []
    for g in np.unique(groups):
        mask = groups == g
        pos, neg = scores[mask & (y == 1)], scores[mask & (y == 0)]
        if pos.size and neg.size:
            values.append(float(np.mean(pos[0] > neg) + 0.5 * np.mean(pos[0] == neg)))
    return float(np.mean(values)) if values else math.nan


def ranker_fit(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, Any]:
    """Fit the ranker's weights; kept only when they beat the prior on held-out members by AUC_MARGIN
    (a fifth of at most RANKER_MEMBERS members measures AUC to about +-0.01).

    Returns {"weights": {feature: weight}, "learned": bool, "auc_prior", "auc_learned", "positives"}.
    """
    prior = features.weight_vector(None)
    positives = int(y.sum())
    out: dict[str, Any] = {"weights": dict(features.PRIOR_WEIGHTS), "learned": False, "positives": positives}
    if positives < MIN_POSITIVES:
        return out
    from sklearn.linear_model import LogisticRegression

    unique = np.unique(groups)
    rng = np.random.default_rng(11)
    test_groups = set(rng.choice(unique, size=max(1, unique.size // 5), replace=False).tolist())
    test = np.isin(groups, list(test_groups))
    fixed = {features.FEATURES.index(name) for name in FIXED_FEATURES}
    varying = [k for k in range(1, x.shape[1]) if k not in fixed and np.ptp(x[~test, k]) > 0]
    fitted = prior.copy()
    if varying:
        clf = LogisticRegression(C=1.0, max_iter=500)
        clf.fit(x[~test][:, varying], y[~test])
        for k, coef in zip(varying, clf.coef_[0], strict=True):
            fitted[k] = float(coef)
        fitted[0] = float(clf.intercept_[0])
    auc_prior = _auc_per_group(x[test] @ prior, y[test], groups[test])
    auc_learned = _auc_per_group(x[test] @ fitted, y[test], groups[test])
    out.update({"auc_prior": auc_prior, "auc_learned": auc_learned})
    if not math.isnan(auc_learned) and (math.isnan(auc_prior) or auc_learned >= auc_prior + AUC_MARGIN):
        out["weights"] = {name: float(fitted[k]) for k, name in enumerate(features.FEATURES)}
        out["learned"] = True
    return out


# ---------------------------------------------------------------------------------------------
# The job.


def model_train(*, now: datetime | None = None, max_items: int = MAX_ITEMS) -> RecommenderModel | None:
    """Train, store and activate a new model version; None when there is too little engagement yet."""
    now = now or timezone.now()
    started = time.monotonic()
    since = now - timedelta(days=int(settings.HAVEN.recommend_event_days))
    data = interactions_export(since=since, max_items=max_items)
    exported_at = time.monotonic()
    members, seqs, weights = _sequences(data)
    # Each member's newest engagement is held out of the model: the ranker learns from it.
    held_out = [int(s[-1]) if len(s) >= 2 else -1 for s in seqs]
    held_out_times = _last_times(data)
    train_seqs = [s[:-1] if len(s) >= 2 else s for s in seqs]
    train_weights = [w[:-1] if len(w) >= 2 else w for w in weights]
    n_items = int(data["item_ids"].size)
    if sum(1 for h in held_out if h >= 0) < MIN_MEMBERS or n_items < MIN_ITEMS:
        logger.info("recommend: too little engagement to train (%d members, %d notes)", len(members), n_items)
        return None
    interactions = algorithms.Interactions(sequences=train_seqs, n_items=n_items, weights=train_weights)
    try:
        model = algorithms.train_haven(interactions, params=algorithms.SERVED_PARAMS)
    except ValueError:  # too few members with enough history to tune on: the documented defaults
        model = algorithms.train_haven(interactions, params=FIXED_PARAMS)
    trained_at = time.monotonic()
    x, y, groups = ranker_examples(
        model,
        members,
        train_seqs,
        train_weights,
        held_out,
        data["item_ids"],
        held_out_times=held_out_times,
        now=now,
    )
    ranker = ranker_fit(x, y, groups)
    artifact = artifact_pack(model, data["item_ids"])
    digest = hashlib.sha256(artifact).hexdigest()[:8]
    version = f"r{timezone.now():%Y%m%d%H%M%S%f}-{digest}"
    stats = {
        "model": str(model.version)[:200],
        "members": len(members),
        "notes": n_items,
        "engagements": int(data["users"].size),
        "export_seconds": round(exported_at - started, 2),
        "model_seconds": round(trained_at - exported_at, 2),
        "ranker_seconds": round(time.monotonic() - trained_at, 2),
        "seconds": round(time.monotonic() - started, 2),
        "artifact_bytes": len(artifact),
        "ranker": {k: v for k, v in ranker.items() if k != "weights"},
    }
    with transaction.atomic():
        RecommenderModel.objects.filter(is_active=True).update(is_active=False)
        row = RecommenderModel.objects.create(
            version=version,
            artifact=artifact,
            ranker={"weights": ranker["weights"]},
            stats=stats,
            is_active=True,
        )
        stale = RecommenderModel.objects.order_by("-created_at", "-id").values_list("id", flat=True)[
            KEEP_VERSIONS:
        ]
        RecommenderModel.objects.filter(id__in=list(stale)).delete()
        transaction.on_commit(lambda: cache.set(ACTIVE_VERSION_KEY, version, 3600))
    logger.info("recommend: trained %s %s", version, stats)
    return row


def model_activate(*, version: str) -> RecommenderModel:
    """Serve an earlier version again (rollback); NotFound-like LookupError when it is gone."""
    with transaction.atomic():
        row = RecommenderModel.objects.select_for_update().get(version=version)
        RecommenderModel.objects.filter(is_active=True).exclude(pk=row.pk).update(is_active=False)
        RecommenderModel.objects.filter(pk=row.pk).update(is_active=True)
        transaction.on_commit(lambda: cache.set(ACTIVE_VERSION_KEY, version, 3600))
    return row
