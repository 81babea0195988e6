"""Recommendation models (popularity, item-kNN, EASE, Haven's sequential model); numpy/scipy, no Django."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import scipy.linalg
import scipy.sparse as sp

FORMAT_VERSION = 1
MAX_ITEMS_DEFAULT = 20_000  # dense item-item models keep at most this many (most-interacted) items
SCORE_BATCH = 1024  # users scored at a time by the evaluation helpers

type Matrix = Any  # a scipy.sparse CSR matrix (scipy ships no precise stubs)


# --------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Interactions:
    """Per-user item sequences in time order (items 0..n_items-1, repeats allowed), optional strengths."""

    sequences: list[np.ndarray]
    n_items: int
    weights: list[np.ndarray] | None = None  # per event (e.g. save=2, like=1); None = all 1

    def __post_init__(self) -> None:
        if not isinstance(self.n_items, int | np.integer) or self.n_items <= 0:
            raise ValueError("n_items must be a positive integer")
        seqs = [_as_items(s, self.n_items) for s in self.sequences]
        object.__setattr__(self, "sequences", seqs)
        if self.weights is not None:
            object.__setattr__(self, "weights", _as_weights(self.weights, seqs))
        if not any(len(s) for s in seqs):
            raise ValueError("no interactions")

    @property
    def n_events(self) -> int:
        return int(sum(len(s) for s in self.sequences))

    def item_counts(self) -> np.ndarray:
        """How many events each item has (float64, strengths ignored)."""
        if not self.sequences:
            return np.zeros(self.n_items)
        return np.bincount(np.concatenate(self.sequences), minlength=self.n_items).astype(np.float64)

    def leave_last_out(
        self, min_len: int = 3
    ) -> tuple[Interactions, list[np.ndarray], list[np.ndarray] | None, np.ndarray]:
        """Hold out the last event of users with >= min_len events: train, histories, weights, targets."""
        train_seqs: list[np.ndarray] = []
        train_w: list[np.ndarray] | None = [] if self.weights is not None else None
        hists: list[np.ndarray] = []
        hist_w: list[np.ndarray] | None = [] if self.weights is not None else None
        targets: list[int] = []
        for u, s in enumerate(self.sequences):
            w = self.weights[u] if self.weights is not None else None
            if len(s) >= min_len:
                train_seqs.append(s[:-1])
                hists.append(s[:-1])
                targets.append(int(s[-1]))
                if train_w is not None and hist_w is not None and w is not None:
                    train_w.append(w[:-1])
                    hist_w.append(w[:-1])
            else:
                train_seqs.append(s)
                if train_w is not None and w is not None:
                    train_w.append(w)
        return (
            Interactions(train_seqs, self.n_items, train_w),
            hists,
            hist_w,
            np.asarray(targets, dtype=np.int64),
        )


def _as_items(seq: Any, n_items: int) -> np.ndarray:
    arr = np.asarray(seq)
    if arr.ndim != 1:
        raise ValueError("each sequence must be one-dimensional")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError("item indices must be integers")
    arr = arr.astype(np.int64, copy=False)
    if arr.min() < 0 or arr.max() >= n_items:
        raise ValueError(f"item index out of range 0..{n_items - 1}")
    return arr


def _as_weights(weights: Sequence[Any], seqs: Sequence[np.ndarray]) -> list[np.ndarray]:
    if len(weights) != len(seqs):
        raise ValueError("weights must have one array per sequence")
    out = []
    for w, s in zip(weights, seqs, strict=True):
        arr = np.asarray(w, dtype=np.float64)
        if arr.shape != s.shape:
            raise ValueError("each weights array must match its sequence's length")
        if not np.all(np.isfinite(arr)) or (arr.size and arr.min() < 0):
            raise ValueError("weights must be finite and non-negative")
        out.append(arr)
    return out


# ------------------------------------------------------------------------------------ history matrices


def _concat(histories: Sequence[np.ndarray], weights: Sequence[np.ndarray] | None):
    lengths = np.fromiter((len(h) for h in histories), dtype=np.int64, count=len(histories))
    items = np.concatenate(histories).astype(np.int64) if lengths.sum() else np.zeros(0, np.int64)
    if weights is None:
        w = np.ones(items.size, dtype=np.float64)
    else:
        w = np.concatenate([np.asarray(x, dtype=np.float64) for x in weights]) if items.size else np.zeros(0)
    rows = np.repeat(np.arange(len(histories)), lengths)
    ends = np.cumsum(lengths)
    age = np.repeat(ends, lengths) - 1 - np.arange(items.size)  # 0 = most recent event
    return rows, items, w, age


def history_matrix(
    histories: Sequence[np.ndarray],
    weights: Sequence[np.ndarray] | None,
    local: np.ndarray,
    *,
    decay: float = 1.0,
    mode: str = "sum",
) -> Matrix:
    """Users x local items: each event adds strength * decay**age (mode "sum") or keeps the max ("max")."""
    rows, items, w, age = _concat(histories, weights)
    loc = local[items] if items.size else items
    keep = loc >= 0
    vals = w * np.power(decay, age) if decay != 1.0 else w.copy()
    rows, loc, vals = rows[keep], loc[keep], vals[keep]
    shape = (len(histories), max(int(local.max(initial=-1)) + 1, 1))
    if mode == "max" and vals.size:
        # keep the largest value of each (row, item) cell
        order = np.lexsort((vals, loc, rows))
        rows, loc, vals = rows[order], loc[order], vals[order]
        last = np.ones(rows.size, dtype=bool)
        last[:-1] = (rows[1:] != rows[:-1]) | (loc[1:] != loc[:-1])
        rows, loc, vals = rows[last], loc[last], vals[last]
    m = sp.csr_matrix((vals, (rows, loc)), shape=shape)
    m.sum_duplicates()
    return m.astype(np.float32)


# ------------------------------------------------------------------------------------------- models


@runtime_checkable
class Recommender(Protocol):
    @property
    def version(self) -> str: ...  # e.g. "haven-haven-seq-1(alpha=0.5,...)"

    def score(
        self, histories: Sequence[np.ndarray], weights: Sequence[np.ndarray] | None = None
    ) -> np.ndarray: ...

    def explain(self, history: np.ndarray, items: np.ndarray) -> np.ndarray: ...

    def to_bytes(self) -> bytes: ...

    @classmethod
    def from_bytes(cls, data: bytes) -> Recommender: ...


def _check_histories(
    histories: Sequence[np.ndarray], weights: Sequence[np.ndarray] | None, n_items: int
) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
    hs = [_as_items(h, n_items) for h in histories]
    ws = _as_weights(weights, hs) if weights is not None else None
    return hs, ws


class _Model:
    """Shared plumbing: a model over `items` (global ids of its kept items), the rest scored 0."""

    kind: ClassVar[str] = ""
    n_items: int
    items: np.ndarray  # kept global item ids, ascending
    params: dict[str, Any]

    def _init_items(self, n_items: int, items: np.ndarray) -> None:
        self.n_items = int(n_items)
        self.items = np.asarray(items, dtype=np.int64)
        self.local = np.full(self.n_items, -1, dtype=np.int64)
        self.local[self.items] = np.arange(self.items.size)

    @property
    def version(self) -> str:
        bits = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()) if not isinstance(v, list | dict))
        return f"haven-{self.kind}-{FORMAT_VERSION}({bits})"

    def _local_scores(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> np.ndarray:
        raise NotImplementedError

    def score(
        self, histories: Sequence[np.ndarray], weights: Sequence[np.ndarray] | None = None
    ) -> np.ndarray:
        hs, ws = _check_histories(histories, weights, self.n_items)
        loc = self._local_scores(hs, ws)
        if self.items.size == self.n_items:
            return np.ascontiguousarray(loc, dtype=np.float32)
        out = np.zeros((len(hs), self.n_items), dtype=np.float32)
        out[:, self.items] = loc
        return out

    def explain(self, history: np.ndarray, items: np.ndarray) -> np.ndarray:
        (h,), _ = _check_histories([history], None, self.n_items)
        cand = _as_items(items, self.n_items)
        contrib = self._contributions(h, cand)  # (len(cand), len(h))
        if contrib is None or h.size == 0 or cand.size == 0:
            return np.full(cand.size, -1, dtype=np.int64)
        best = np.argmax(contrib, axis=1)
        ok = contrib[np.arange(cand.size), best] > 0
        return np.where(ok, best, -1).astype(np.int64)

    def _contributions(self, history: np.ndarray, items: np.ndarray) -> np.ndarray | None:
        return None

    # --- artifact
    def _arrays(self) -> dict[str, np.ndarray]:
        return {}

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        meta = {"kind": self.kind, "format": FORMAT_VERSION, "n_items": self.n_items, "params": self.params}
        arrays = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), "items": self.items}
        np.savez(buf, **arrays, **self._arrays())  # type: ignore[arg-type]
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Recommender:
        model = load(data)
        if not isinstance(model, cls):
            raise ValueError(f"artifact holds a {model.kind!r} model, not {cls.kind!r}")  # type: ignore[attr-defined]
        return model

    @classmethod
    def _from_arrays(cls, n_items: int, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> _Model:
        raise NotImplementedError


class PopularityModel(_Model):
    kind = "pop"

    def __init__(self, n_items: int, counts: np.ndarray, params: dict[str, Any] | None = None) -> None:
        self._init_items(n_items, np.arange(n_items))
        self.counts = np.asarray(counts, dtype=np.float32)
        self.params = params or {}

    def _local_scores(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> np.ndarray:
        return np.broadcast_to(self.counts, (len(hs), self.n_items)).copy()

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"counts": self.counts}

    @classmethod
    def _from_arrays(cls, n_items: int, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> _Model:
        return cls(n_items, arrays["counts"], params)


class LinearItemModel(_Model):
    """score(u) = h(u) @ B with h a (possibly recency-decayed) history vector; B dense or sparse."""

    kind = "linear"

    def __init__(
        self, n_items: int, items: np.ndarray, b: np.ndarray | sp.csr_matrix, params: dict[str, Any]
    ) -> None:
        self._init_items(n_items, items)
        self.b = b
        self.params = params

    def _hist(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> Matrix:
        return history_matrix(
            hs,
            ws,
            self.local,
            decay=float(self.params.get("decay", 1.0)),
            mode=self.params.get("mode", "max"),
        )

    def _local_scores(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> np.ndarray:
        h = _pad(self._hist(hs, ws), self.items.size)
        out: Any = h @ self.b
        return out.toarray() if sp.issparse(out) else np.asarray(out)

    def _contributions(self, history: np.ndarray, items: np.ndarray) -> np.ndarray | None:
        return _linear_contrib(
            history, items, self.local, [(1.0, self.b, float(self.params.get("decay", 1.0)))]
        )

    def _arrays(self) -> dict[str, np.ndarray]:
        return _matrix_arrays("b", self.b)

    @classmethod
    def _from_arrays(cls, n_items: int, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> _Model:
        return cls(n_items, arrays["items"], _matrix_from_arrays("b", arrays), params)


class ItemKNNModel(LinearItemModel):
    kind = "item-knn"


class EASEModel(LinearItemModel):
    kind = "ease"


@dataclass(frozen=True)
class HavenParams:
    """Haven's sequential linear model. A list-valued field is a grid tuned on a held-out last event."""

    l2_sim: float | list[float] = field(default_factory=lambda: [50.0, 200.0, 800.0])
    l2_next: float | list[float] = field(default_factory=lambda: [20.0, 80.0, 320.0])
    decay_sim: float | list[float] = field(default_factory=lambda: [1.0, 0.8, 0.6])  # per step back
    decay_next: float | list[float] = field(default_factory=lambda: [0.0, 0.5])  # 0 = last item only
    alpha: float | list[float] = field(default_factory=lambda: [0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0])
    pop: float | list[float] = field(default_factory=lambda: [0.0, 0.05, 0.15])
    window: int = 10  # previous events a transition's source looks at
    max_items: int = MAX_ITEMS_DEFAULT
    keep_per_item: int | None = None  # prune each item's row to its largest |weights| (sparse artifact)
    max_val_users: int = 20_000
    seed: int = 0


#: What the periodic trainer (recommend.training) uses on a live instance: the regularisation and decays
#: chosen on Amazon Beauty's validation split (bench/recs), the blend and popularity prior tuned on the
#: instance's own held-out events (cheap: no extra inversion), and each item's row pruned to its 100
#: largest weights so the served artifact stays small (Beauty: 19 MB instead of 1.1 GB, HR@10 0.0971
#: instead of 0.0978).
SERVED_PARAMS = HavenParams(
    l2_sim=200.0,
    l2_next=320.0,
    decay_sim=0.8,
    decay_next=0.5,
    alpha=[0.2, 0.35, 0.5, 0.65],
    pop=[0.0, 0.05],
    keep_per_item=100,
)


class HavenModel(_Model):
    """alpha * rownorm(EASE(decayed history)) + (1-alpha) * rownorm(NEXT(decayed recent events)) + prior."""

    kind = "haven-seq"

    def __init__(
        self,
        n_items: int,
        items: np.ndarray,
        b_sim: np.ndarray,
        b_next: np.ndarray,
        prior: np.ndarray,
        params: dict[str, Any],
    ) -> None:
        self._init_items(n_items, items)
        self.b_sim = b_sim
        self.b_next = b_next
        self.prior = np.asarray(prior, dtype=np.float32)  # log-popularity scaled to [0, 1]
        self.params = params

    def _parts(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        hsim = _pad(history_matrix(hs, ws, self.local, decay=p["decay_sim"], mode="sum"), self.items.size)
        w = p["window"]
        hnext = _pad(
            history_matrix(_tail(hs, w), _tail_w(ws, w), self.local, decay=p["decay_next"]), self.items.size
        )
        return _rownorm(_dense(hsim @ self.b_sim)), _rownorm(_dense(hnext @ self.b_next))

    def _local_scores(self, hs: list[np.ndarray], ws: list[np.ndarray] | None) -> np.ndarray:
        s, n = self._parts(hs, ws)
        return _blend(s, n, self.prior, self.params["alpha"], self.params["pop"])

    def _contributions(self, history: np.ndarray, items: np.ndarray) -> np.ndarray | None:
        p = self.params
        s, n = self._parts([history], None)
        ms, mn = _rowmax(s)[0], _rowmax(n)[0]
        a = float(p["alpha"])
        w = p["window"]
        c_sim = _linear_contrib(history, items, self.local, [(a / ms, self.b_sim, p["decay_sim"])])
        tail = history[-w:] if w > 0 else history[:0]
        c_next = _linear_contrib(tail, items, self.local, [((1 - a) / mn, self.b_next, p["decay_next"])])
        c_next_full = np.zeros_like(c_sim)
        c_next_full[:, history.size - tail.size :] = c_next
        return c_sim + c_next_full

    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            **_matrix_arrays("b_sim", self.b_sim),
            **_matrix_arrays("b_next", self.b_next),
            "prior": self.prior,
        }

    @classmethod
    def _from_arrays(cls, n_items: int, params: dict[str, Any], arrays: dict[str, np.ndarray]) -> _Model:
        return cls(
            n_items,
            arrays["items"],
            _matrix_from_arrays("b_sim", arrays),
            _matrix_from_arrays("b_next", arrays),
            arrays["prior"],
            params,
        )


_KINDS: dict[str, type[_Model]] = {
    c.kind: c for c in (PopularityModel, LinearItemModel, ItemKNNModel, EASEModel, HavenModel)
}


def load(data: bytes) -> Recommender:
    """A model from its `to_bytes()` artifact, whatever its kind."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except (OSError, ValueError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError("not a recommendation model artifact") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported artifact format {meta.get('format')!r}")
    cls = _KINDS.get(meta.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown model kind {meta.get('kind')!r}")
    return cls._from_arrays(int(meta["n_items"]), meta["params"], arrays)


# ---------------------------------------------------------------------------------------- helpers


def _pad(h: Matrix, n: int) -> Matrix:
    if h.shape[1] == n:
        return h
    h = h.tocsr()
    return sp.csr_matrix((h.data, h.indices, h.indptr), shape=(h.shape[0], n))


def _tail(xs: Sequence[np.ndarray], w: int) -> list[np.ndarray]:
    return [x[-w:] if w > 0 else x[:0] for x in xs]


def _tail_w(xs: Sequence[np.ndarray] | None, w: int) -> list[np.ndarray] | None:
    return None if xs is None else _tail(xs, w)


def _rowmax(s: np.ndarray) -> np.ndarray:
    m = np.max(np.abs(s), axis=1, keepdims=True) if s.size else np.ones((s.shape[0], 1), np.float32)
    return np.where(m > 0, m, 1.0).astype(np.float32)


def _rownorm(s: np.ndarray) -> np.ndarray:
    return (s / _rowmax(s)).astype(np.float32, copy=False)


def _blend(s: np.ndarray, n: np.ndarray, prior: np.ndarray, alpha: float, pop: float) -> np.ndarray:
    out = alpha * s + (1.0 - alpha) * n
    if pop:
        out += pop * prior[None, :]
    return out.astype(np.float32, copy=False)


def _linear_contrib(
    history: np.ndarray, items: np.ndarray, local: np.ndarray, parts: list[tuple[float, Any, float]]
) -> np.ndarray:
    """(len(items), len(history)): what each history event adds to each candidate's score."""
    out = np.zeros((items.size, history.size), dtype=np.float64)
    if history.size == 0 or items.size == 0:
        return out
    hl, cl = local[history], local[items]
    age = history.size - 1 - np.arange(history.size)
    for scale, b, decay in parts:
        w = np.power(decay, age) * scale
        rows_ok = hl >= 0
        cols_ok = cl >= 0
        if not rows_ok.any() or not cols_ok.any():
            continue
        sub = b[hl[rows_ok]][:, cl[cols_ok]]
        sub = sub.toarray() if sp.issparse(sub) else np.asarray(sub)
        block = np.zeros((history.size, items.size))
        block[np.ix_(rows_ok, cols_ok)] = sub
        out += (block * w[:, None]).T
    return out


def _matrix_arrays(name: str, b: Any) -> dict[str, np.ndarray]:
    if sp.issparse(b):
        c = b.tocsr()
        return {
            f"{name}_data": c.data,
            f"{name}_indices": c.indices,
            f"{name}_indptr": c.indptr,
            f"{name}_shape": np.asarray(c.shape),
        }
    return {name: np.asarray(b)}


def _matrix_from_arrays(name: str, arrays: dict[str, np.ndarray]) -> Any:
    if name in arrays:
        return arrays[name]
    shape = tuple(int(x) for x in arrays[f"{name}_shape"])
    return sp.csr_matrix(
        (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]), shape=shape
    )


def _top_items(data: Interactions, max_items: int) -> np.ndarray:
    counts = data.item_counts()
    present = np.flatnonzero(counts > 0)
    if present.size > max_items:
        present = np.sort(present[np.argsort(-counts[present], kind="stable")[:max_items]])
    return present


def _spd_inverse(g: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite float matrix (Cholesky, LAPACK potri), full symmetric."""
    c, info = scipy.linalg.lapack.spotrf(g, lower=1, overwrite_a=0)
    if info != 0:
        raise np.linalg.LinAlgError("matrix is not positive definite")
    p, info = scipy.linalg.lapack.spotri(c, lower=1, overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError("inversion failed")
    lower = np.tril(p)
    lower += np.tril(p, -1).T
    return lower


def _user_item(data: Interactions, local: np.ndarray) -> Matrix:
    return history_matrix(data.sequences, data.weights, local, mode="max")


# --------------------------------------------------------------------------------------- trainers


def train_popularity(data: Interactions) -> Recommender:
    """Items ranked by how many events they have (strengths ignored)."""
    return PopularityModel(data.n_items, data.item_counts().astype(np.float32))


def train_item_knn(data: Interactions, *, k: int = 100, shrink: float = 10.0) -> Recommender:
    """Cosine item-kNN: sim(i, j) = <x_i, x_j> / (|x_i||x_j| + shrink), k neighbours kept per item."""
    if k < 1 or shrink < 0:
        raise ValueError("k must be >= 1 and shrink >= 0")
    items = _top_items(data, 10**9)
    local = np.full(data.n_items, -1, dtype=np.int64)
    local[items] = np.arange(items.size)
    x = _pad(_user_item(data, local), items.size)
    g = (x.T @ x).tocsr().astype(np.float32)
    norms = np.sqrt(g.diagonal())
    g.setdiag(0)
    g.eliminate_zeros()
    coo = g.tocoo()
    sim = coo.data / (norms[coo.row] * norms[coo.col] + shrink)
    s = sp.csr_matrix((sim.astype(np.float32), (coo.row, coo.col)), shape=g.shape)
    b = _keep_top_k_per_row(s, k)
    return ItemKNNModel(data.n_items, items, b, {"k": int(k), "shrink": float(shrink), "mode": "max"})


def _keep_top_k_per_row(s: Matrix, k: int) -> Matrix:
    s = s.tocsr()
    s.sort_indices()
    rows, cols, vals = [], [], []
    for r in range(s.shape[0]):
        lo, hi = s.indptr[r], s.indptr[r + 1]
        if hi == lo:
            continue
        d = s.data[lo:hi]
        idx = np.argpartition(-d, k - 1)[:k] if d.size > k else np.arange(d.size)
        rows.append(np.full(idx.size, r))
        cols.append(s.indices[lo:hi][idx])
        vals.append(d[idx])
    if not rows:
        return sp.csr_matrix(s.shape, dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=s.shape, dtype=np.float32
    )


def _ease_b(g: np.ndarray, l2: float) -> np.ndarray:
    a = g.copy()
    a[np.diag_indices_from(a)] += np.float32(l2)
    p = _spd_inverse(a)
    b = p / (-np.diag(p))[None, :]
    np.fill_diagonal(b, 0.0)
    return b.astype(np.float32, copy=False)


def _gram(data: Interactions, items: np.ndarray) -> np.ndarray:
    local = np.full(data.n_items, -1, dtype=np.int64)
    local[items] = np.arange(items.size)
    x = _pad(_user_item(data, local), items.size)
    return np.asarray((x.T @ x).toarray(), dtype=np.float32)


def train_ease(data: Interactions, *, l2: float, max_items: int = MAX_ITEMS_DEFAULT) -> Recommender:
    """EASE (Steck 2019): B = I - P diagMat(1/diag(P)), P = (X^T X + l2 I)^-1, on the top max_items items."""
    if not l2 > 0:
        raise ValueError("l2 must be positive")
    items = _top_items(data, max_items)
    b = _ease_b(_gram(data, items), l2)
    return EASEModel(data.n_items, items, b, {"l2": float(l2), "mode": "max", "max_items": int(max_items)})


def _next_pairs(data: Interactions, local: np.ndarray, decay: float, window: int) -> tuple[Matrix, Matrix]:
    """Transitions: source rows (decayed last `window` events before t) and one-hot targets (event t)."""
    m = int(local.max()) + 1
    src_r, src_c, src_v = [], [], []
    seqs = data.sequences
    ws = data.weights
    lens = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    allitems = np.concatenate(seqs)
    allw = np.concatenate(ws) if ws is not None else np.ones(allitems.size)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    pos = np.arange(allitems.size) - np.repeat(starts, lens)  # position within its sequence
    tl = local[allitems]
    is_target = (pos >= 1) & (tl >= 0)
    t_idx = np.flatnonzero(is_target)
    pair_id = np.arange(t_idx.size)
    for k in range(1, window + 1):
        ok = pos[t_idx] >= k
        j = t_idx[ok] - k
        jl = local[allitems[j]]
        good = jl >= 0
        src_r.append(pair_id[ok][good])
        src_c.append(jl[good])
        src_v.append(allw[j][good] * (decay ** (k - 1) if decay > 0 else (1.0 if k == 1 else 0.0)))
    tgt_c = tl[t_idx]
    r = np.concatenate(src_r)
    c = np.concatenate(src_c)
    v = np.concatenate(src_v)
    nz = v > 0
    s = sp.csr_matrix((v[nz].astype(np.float32), (r[nz], c[nz])), shape=(t_idx.size, m))
    t = sp.csr_matrix((allw[t_idx].astype(np.float32), (pair_id, tgt_c)), shape=(t_idx.size, m))
    return s, t


def _next_b(s: Matrix, t: Matrix, l2: float) -> np.ndarray:
    """Ridge regression from source rows to next-item targets: (S^T S + l2 I)^-1 S^T T."""
    if s.nnz == 0 or int(np.diff(s.indptr).max()) <= 1:  # one source item per row: S^T S is diagonal
        diag = np.asarray(s.multiply(s).sum(axis=0)).ravel() + l2
        c = sp.diags(1.0 / diag) @ (s.T @ t)
        return np.asarray(c.toarray(), dtype=np.float32)
    g = np.asarray((s.T @ s).toarray(), dtype=np.float32)
    g[np.diag_indices_from(g)] += np.float32(l2)
    p = _spd_inverse(g)
    c = (s.T @ t).tocsr().astype(np.float32)
    return np.asarray((c.T @ p).T, dtype=np.float32)  # P symmetric: P C = (C^T P)^T


def _grid(x: float | list[float]) -> list[float]:
    return [float(v) for v in (x if isinstance(x, list) else [x])]


def train_haven(
    data: Interactions, *, params: HavenParams | None = None, log: Callable[[str], None] | None = None
) -> Recommender:
    """Haven's model: tunes every list-valued parameter on each user's held-out last event, then refits."""
    params = params or HavenParams()
    say = log or (lambda _msg: None)
    grids = {
        k: _grid(getattr(params, k)) for k in ("l2_sim", "l2_next", "decay_sim", "decay_next", "alpha", "pop")
    }
    if any(len(g) > 1 for g in grids.values()):
        chosen, table = _tune_haven(data, params, grids, say)
    else:
        chosen, table = {k: g[0] for k, g in grids.items()}, []
    model = _fit_haven(data, params, chosen)
    model.params["tuning"] = table
    return model


def _fit_haven(data: Interactions, params: HavenParams, chosen: dict[str, float]) -> HavenModel:
    items = _top_items(data, params.max_items)
    local = np.full(data.n_items, -1, dtype=np.int64)
    local[items] = np.arange(items.size)
    b_sim = _ease_b(_gram(data, items), chosen["l2_sim"])
    s, t = _next_pairs(data, local, chosen["decay_next"], params.window)
    b_next = _next_b(s, t, chosen["l2_next"])
    if params.keep_per_item:
        b_sim, b_next = _prune(b_sim, params.keep_per_item), _prune(b_next, params.keep_per_item)
    return HavenModel(data.n_items, items, b_sim, b_next, _prior(data, items), _haven_params(params, chosen))


def _prune(b: np.ndarray, k: int) -> Matrix:
    """Keep the k largest |weights| of each row, as a CSR matrix (smaller artifact, sparse scoring)."""
    k = max(1, min(int(k), b.shape[1]))
    idx = np.argpartition(-np.abs(b), k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(b.shape[0]), k)
    vals = np.take_along_axis(b, idx, axis=1).ravel()
    out = sp.csr_matrix((vals, (rows, idx.ravel())), shape=b.shape, dtype=np.float32)
    out.eliminate_zeros()
    return out


def _dense(x: Any) -> np.ndarray:
    return np.asarray(x.toarray() if sp.issparse(x) else x, dtype=np.float32)


def _prior(data: Interactions, items: np.ndarray) -> np.ndarray:
    lc = np.log1p(data.item_counts()[items])
    return (lc / lc.max() if lc.size and lc.max() > 0 else lc).astype(np.float32)


def _haven_params(params: HavenParams, chosen: dict[str, float]) -> dict[str, Any]:
    return {
        **chosen,
        "window": int(params.window),
        "max_items": int(params.max_items),
        "keep_per_item": int(params.keep_per_item or 0),
    }


def _tune_haven(
    data: Interactions, params: HavenParams, grids: dict[str, list[float]], say: Callable[[str], None]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    train, hists, hist_w, targets = data.leave_last_out()
    if targets.size == 0:
        raise ValueError("no user has enough events to tune on; give fixed parameters")
    if targets.size > params.max_val_users:
        pick = np.sort(
            np.random.default_rng(params.seed).choice(targets.size, params.max_val_users, replace=False)
        )
        hists = [hists[i] for i in pick]
        hist_w = [hist_w[i] for i in pick] if hist_w is not None else None
        targets = targets[pick]
    items = _top_items(train, params.max_items)
    local = np.full(data.n_items, -1, dtype=np.int64)
    local[items] = np.arange(items.size)
    prior = _prior(train, items)
    table: list[dict[str, Any]] = []

    def evaluate(
        b_sim: np.ndarray, b_next: np.ndarray, fixed: dict[str, float], vary: dict[str, list[float]]
    ):
        keys = list(vary)
        combos = _product([vary[k] for k in keys])
        best: tuple[float, dict[str, float]] | None = None
        results = _eval_combos(
            b_sim, b_next, prior, hists, hist_w, targets, local, params, fixed, keys, combos
        )
        for combo, (hr, ndcg) in results:
            row = {**fixed, **dict(zip(keys, combo, strict=True)), "hr10": hr, "ndcg10": ndcg}
            table.append(row)
            if best is None or ndcg > best[0]:
                best = (ndcg, {**fixed, **dict(zip(keys, combo, strict=True))})
        assert best is not None
        return best

    g = _gram(train, items)
    t0 = time.perf_counter()
    # 1) EASE part alone (alpha = 1): pick l2_sim and decay_sim
    best_sim: tuple[float, float, np.ndarray] | None = None
    for l2 in grids["l2_sim"]:
        b_sim = _ease_b(g, l2)
        nd, ch = evaluate(
            b_sim,
            b_sim,
            {"l2_sim": l2, "alpha": 1.0, "pop": 0.0, "decay_next": 0.0},
            {"decay_sim": grids["decay_sim"]},
        )
        say(
            f"  haven tune: l2_sim={l2:g} best decay_sim={ch['decay_sim']:g} ndcg10={nd:.4f} "
            f"({time.perf_counter() - t0:.0f}s)"
        )
        if best_sim is None or nd > best_sim[0]:
            best_sim = (nd, l2, b_sim)
        else:
            del b_sim
    assert best_sim is not None
    _, l2_sim, b_sim = best_sim
    del g
    # 2) transition part alone (alpha = 0): pick l2_next and decay_next
    best_next: tuple[float, float, float, np.ndarray] | None = None
    for dn in grids["decay_next"]:
        s, t = _next_pairs(train, local, dn, params.window)
        for l2 in grids["l2_next"]:
            b_next = _next_b(s, t, l2)
            nd, _ = evaluate(
                b_next,
                b_next,
                {"l2_next": l2, "decay_next": dn, "alpha": 0.0, "pop": 0.0, "decay_sim": 1.0},
                {},
            )
            say(
                f"  haven tune: decay_next={dn:g} l2_next={l2:g} ndcg10={nd:.4f} "
                f"({time.perf_counter() - t0:.0f}s)"
            )
            if best_next is None or nd > best_next[0]:
                best_next = (nd, dn, l2, b_next)
            else:
                del b_next
    assert best_next is not None
    _, decay_next, l2_next, b_next = best_next
    # 3) blend: alpha, pop, decay_sim jointly (scoring only)
    fixed = {"l2_sim": l2_sim, "l2_next": l2_next, "decay_next": decay_next}
    nd, chosen = evaluate(
        b_sim, b_next, fixed, {"decay_sim": grids["decay_sim"], "alpha": grids["alpha"], "pop": grids["pop"]}
    )
    say(f"  haven tune: chosen {chosen} ndcg10={nd:.4f} ({time.perf_counter() - t0:.0f}s)")
    return chosen, table


def _product(lists: list[list[float]]) -> list[tuple[float, ...]]:
    out: list[tuple[float, ...]] = [()]
    for xs in lists:
        out = [(*o, x) for o in out for x in xs]
    return out


def _eval_combos(
    b_sim: np.ndarray,
    b_next: np.ndarray,
    prior: np.ndarray,
    hists: list[np.ndarray],
    hist_w: list[np.ndarray] | None,
    targets: np.ndarray,
    local: np.ndarray,
    params: HavenParams,
    fixed: dict[str, float],
    keys: list[str],
    combos: list[tuple[float, ...]],
) -> list[tuple[tuple[float, ...], tuple[float, float]]]:
    """Validation HR@10/NDCG@10 of each parameter combination (scoring only; matrices fixed)."""
    n = len(hists)
    m = local.max() + 1
    by_decay: dict[float, list[int]] = {}
    for ci, combo in enumerate(combos):
        d = dict(zip(keys, combo, strict=True)).get("decay_sim", fixed.get("decay_sim", 1.0))
        by_decay.setdefault(d, []).append(ci)
    ranks = np.zeros((len(combos), n), dtype=np.int64)
    tl = local[targets]
    w = int(params.window)
    dn = float(fixed.get("decay_next", 0.0))
    for lo in range(0, n, SCORE_BATCH):
        hs = hists[lo : lo + SCORE_BATCH]
        hw = hist_w[lo : lo + SCORE_BATCH] if hist_w is not None else None
        seen = _pad(history_matrix(hs, None, local), m)
        hnext = _pad(history_matrix(_tail(hs, w), _tail_w(hw, w), local, decay=dn), m)
        nxt = _rownorm(np.asarray(hnext @ b_next))
        for d, cis in by_decay.items():
            hsim = _pad(history_matrix(hs, hw, local, decay=d), m)
            sim = _rownorm(np.asarray(hsim @ b_sim))
            for ci in cis:
                p = {**fixed, **dict(zip(keys, combos[ci], strict=True))}
                sc = _blend(sim, nxt, prior, p["alpha"], p["pop"])
                ranks[ci, lo : lo + len(hs)] = _target_ranks(sc, seen, tl[lo : lo + len(hs)])
    return [(combos[ci], (hit_rate(ranks[ci], 10), ndcg(ranks[ci], 10))) for ci in range(len(combos))]


# --------------------------------------------------------------------------------------- evaluation


def _target_ranks(scores: np.ndarray, seen: Matrix, targets: np.ndarray) -> np.ndarray:
    """0-based rank of each target among the unseen items; ties count against it; seen or unknown = miss."""
    sc = np.array(scores, dtype=np.float32, copy=True)
    r, c = seen.nonzero()
    sc[r, c] = -np.inf
    rows = np.arange(sc.shape[0])
    big = np.iinfo(np.int64).max // 4
    ok = targets >= 0
    t = np.where(ok, targets, 0)
    ts = sc[rows, t]
    ranks = (sc >= ts[:, None]).sum(axis=1) - 1
    return np.where(ok & np.isfinite(ts), ranks, big)


def target_ranks(
    model: Recommender,
    histories: Sequence[np.ndarray],
    targets: np.ndarray,
    *,
    weights: Sequence[np.ndarray] | None = None,
    batch: int = SCORE_BATCH,
) -> np.ndarray:
    """Full-ranking rank (0 = top) of each target among all items not in its history (ties pessimistic)."""
    n_items = int(model.n_items)  # type: ignore[attr-defined]
    ident = np.arange(n_items)
    out = np.empty(len(histories), dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    for lo in range(0, len(histories), batch):
        hs = list(histories[lo : lo + batch])
        ws = list(weights[lo : lo + batch]) if weights is not None else None
        sc = model.score(hs, ws)
        seen = history_matrix(hs, None, ident)
        seen = _pad(seen, n_items)
        out[lo : lo + len(hs)] = _target_ranks(sc, seen, targets[lo : lo + len(hs)])
    return out


def hit_rate(ranks: np.ndarray, k: int) -> float:
    return float(np.mean(ranks < k)) if ranks.size else 0.0


def ndcg(ranks: np.ndarray, k: int) -> float:
    """NDCG@k with one relevant item: 1/log2(rank+2) when in the top k."""
    if ranks.size == 0:
        return 0.0
    r = ranks.astype(np.float64)
    return float(np.mean(np.where(ranks < k, 1.0 / np.log2(np.minimum(r, k) + 2.0), 0.0)))


__all__ = [
    "FORMAT_VERSION",
    "EASEModel",
    "HavenModel",
    "HavenParams",
    "Interactions",
    "ItemKNNModel",
    "PopularityModel",
    "Recommender",
    "hit_rate",
    "load",
    "ndcg",
    "target_ranks",
    "train_ease",
    "train_haven",
    "train_item_knn",
    "train_popularity",
]
