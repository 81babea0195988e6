"""Offline recommendation benchmark: popularity, item-kNN, EASE, Haven's model; leave-last-out, full ranking.

    .venv/bin/python -m bench.recs.run [--data PATH] [--quick]

Data: one line per user, `user item item ...` in time order (default ../shared/data/recs/amazon-beauty/
Beauty.txt next to the repository, or $HAVEN_RECS_DATA). Each user's last item is the test target, the one
before the validation target; models train on the rest. Every item the input history holds is excluded from
the ranking (the same for all models); all other items are ranked (no sampling). The bench calls the
production trainers of haven.recommend.algorithms. Prints a table and writes bench/out/recs.json.
Not part of the test suite; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import OUT  # noqa: E402
from haven.recommend import algorithms as alg  # noqa: E402

DEFAULT_DATA = REPO / ".." / "shared" / "data" / "recs" / "amazon-beauty" / "Beauty.txt"
EASE_GRID = [50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0]
EASE_GRID_QUICK = [200.0, 500.0]
KS = (10, 20)


def load_sequences(path: Path) -> tuple[list[np.ndarray], int]:
    """Sequences with item ids remapped to 0..n_items-1 (sorted by original id)."""
    raw: list[list[int]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                raw.append([int(x) for x in parts[1:]])
    ids = np.unique(np.concatenate([np.asarray(r, dtype=np.int64) for r in raw]))
    return [np.searchsorted(ids, np.asarray(r, dtype=np.int64)) for r in raw], int(ids.size)


def split(
    seqs: list[np.ndarray], n_items: int, holdout: int
) -> tuple[alg.Interactions, list[np.ndarray], np.ndarray]:
    """Drop each eligible user's last `holdout - 1` items, then hold out the next-to-last as target."""
    cut = [s[: len(s) - (holdout - 1)] if len(s) >= 3 else s for s in seqs]
    train, hist, tgt = [], [], []
    for s, c in zip(seqs, cut, strict=True):
        if len(s) >= 3:
            train.append(c[:-1])
            hist.append(c[:-1])
            tgt.append(int(c[-1]))
        else:
            train.append(s)
    return alg.Interactions(train, n_items), hist, np.asarray(tgt, dtype=np.int64)


def metrics(ranks: np.ndarray) -> dict[str, float]:
    return {
        "hr@10": alg.hit_rate(ranks, 10),
        "ndcg@10": alg.ndcg(ranks, 10),
        "recall@20": alg.hit_rate(ranks, 20),
        "ndcg@20": alg.ndcg(ranks, 20),
    }


def evaluate(model: alg.Recommender, hist: list[np.ndarray], tgt: np.ndarray) -> dict[str, float]:
    return metrics(alg.target_ranks(model, hist, tgt))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("HAVEN_RECS_DATA", DEFAULT_DATA)))
    ap.add_argument(
        "--quick", action="store_true", help="smaller grids (a smoke run, figures not comparable)"
    )
    ap.add_argument("--ease-l2", default="", help="comma-separated EASE l2 grid")
    ap.add_argument("--only", default="", help="comma-separated subset: pop,knn,ease,haven,served")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"no data at {args.data}; pass --data or set HAVEN_RECS_DATA", file=sys.stderr)
        return 2
    only = set(filter(None, args.only.split(","))) or {"pop", "knn", "ease", "haven", "served"}
    seqs, n_items = load_sequences(args.data)
    val_train, val_hist, val_tgt = split(seqs, n_items, holdout=2)
    test_train, test_hist, test_tgt = split(seqs, n_items, holdout=1)
    print(
        f"{args.data.name}: {len(seqs)} users, {n_items} items, {sum(len(s) for s in seqs)} events; "
        f"{len(test_tgt)} test users; exclusion: the input history's items",
        flush=True,
    )
    rows: list[dict[str, Any]] = []

    def report(name: str, model: alg.Recommender, train_s: float, extra: dict[str, Any]) -> None:
        m, eval_s = timed(lambda: evaluate(model, test_hist, test_tgt))
        row = {
            "model": name,
            "version": model.version[:200],
            **m,
            "train_s": round(train_s, 1),
            "eval_s": round(eval_s, 1),
            **extra,
        }
        rows.append(row)
        print(
            f"  {name:<10} HR@10 {m['hr@10']:.4f}  NDCG@10 {m['ndcg@10']:.4f}  Recall@20 {m['recall@20']:.4f}"
            f"  train {train_s:.1f}s  eval {eval_s:.1f}s",
            flush=True,
        )

    if "pop" in only:
        model, s = timed(lambda: alg.train_popularity(test_train))
        report("popularity", model, s, {})
    if "knn" in only:
        model, s = timed(lambda: alg.train_item_knn(test_train, k=100, shrink=10.0))
        report("item-kNN", model, s, {"k": 100, "shrink": 10.0})
    if "ease" in only:
        grid = EASE_GRID_QUICK if args.quick else EASE_GRID
        if args.ease_l2:
            grid = [float(x) for x in args.ease_l2.split(",")]
        tune: list[dict[str, float]] = []
        t0 = time.perf_counter()
        for l2 in grid:
            model = alg.train_ease(val_train, l2=l2)
            m = evaluate(model, val_hist, val_tgt)
            tune.append({"l2": l2, **m})
            print(f"  ease val l2={l2:g}: HR@10 {m['hr@10']:.4f} NDCG@10 {m['ndcg@10']:.4f}", flush=True)
            del model
        tune_s = time.perf_counter() - t0
        best = max(tune, key=lambda r: r["ndcg@10"])["l2"]
        model, s = timed(lambda: alg.train_ease(test_train, l2=best))
        report("EASE", model, s, {"l2": best, "tune_s": round(tune_s, 1), "validation": tune})
        del model
    if "haven" in only:
        params = alg.HavenParams()
        if args.quick:
            params = alg.HavenParams(
                l2_sim=[200.0],
                l2_next=[20.0],
                decay_sim=[1.0, 0.8],
                decay_next=[0.5],
                alpha=[0.3, 0.6],
                pop=[0.0, 0.05],
            )
        model, s = timed(
            lambda: alg.train_haven(test_train, params=params, log=lambda m: print(m, flush=True))
        )
        chosen = {k: v for k, v in model.params.items() if k != "tuning"}  # type: ignore[attr-defined]
        report("Haven", model, s, {"chosen": chosen, "validation": model.params.get("tuning", [])})  # type: ignore[attr-defined]
        del model
    if "served" in only:
        # What recommend.training runs on a live instance (algorithms.SERVED_PARAMS): fixed
        # regularisation, a small blend grid, rows pruned to 100 weights.
        model, s = timed(lambda: alg.train_haven(test_train, params=alg.SERVED_PARAMS))
        served = {k: v for k, v in model.params.items() if k != "tuning"}  # type: ignore[attr-defined]
        report("Haven (as served)", model, s, {"chosen": served, "artifact_bytes": len(model.to_bytes())})

    print("\n| model | HR@10 | NDCG@10 | Recall@20 | train s |\n|---|---|---|---|---|")
    for r in rows:
        cells = [f"{r[k]:.4f}" for k in ("hr@10", "ndcg@10", "recall@20")]
        print(f"| {r['model']} | {' | '.join(cells)} | {r['train_s']:.1f} |")
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "recs.json"
    out.write_text(
        json.dumps(
            {
                "data": args.data.name,
                "users": len(seqs),
                "items": n_items,
                "quick": args.quick,
                "exclude": "input history items",
                "results": rows,
            },
            indent=1,
        )
    )
    print(f"wrote {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
