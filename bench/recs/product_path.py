"""Discover quality on the product path: first pages against the generator's hidden tastes, v0 vs trained.

    .venv/bin/python -m bench.recs.product_path --size XS [--members 200] [--pages 1] [--regenerate]

Runs against the database named by HAVEN_DATABASE_URL (else a fresh SQLite under a temporary
HAVEN_DATA_DIR). Generates a world with bench.generate (or reuses it when bench/out/tastes-<db>.json
matches the database), then serves the first Discover page(s) of a sample of members who engaged
(at least MIN_ENGAGED likes and saves) through haven.feeds.selectors.discover_feed (record_seen=False),
and scores each page against the member's hidden interests, which the product never sees:

- precision: share of the page's notes whose topic is one of the member's interests;
- fresh precision: the same over notes the member has not liked or saved yet;
- coverage: share of the member's interests that appear on the page;
- authors: distinct authors on the page; languages: share of notes in a language the member reads.

Rankings: a random page of the v0 candidate pool and the non-personalised v0 page (floors), v0
(HAVEN_RECOMMENDER=v0), the recommend app with no trained model (its prior ranker), then
haven.recommend.training.model_train() and the trained ranking. Prints a table and writes
bench/out/recs-product-path-<db>.json. Not part of the test suite; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import OUT, db_label, django_setup, guard_database  # noqa: E402

MIN_ENGAGED = 5
PAGE = 20
METRICS = ("precision", "fresh_precision", "coverage", "authors", "languages", "engaged", "ms")


class World:
    """The hidden tastes of the generated world and what the sampled members already engaged with."""

    def __init__(self, hidden: dict[str, Any]) -> None:
        keys = [t["key"] for t in hidden["topics"]]
        self.note_topic: list[int] = hidden["note_topic"]
        self.interests = {
            int(u): {keys.index(k) for k in topics} for u, topics in hidden["interests"].items()
        }

    def topic_of(self, note_id: int) -> int:
        return self.note_topic[note_id] if 0 < note_id < len(self.note_topic) else -1


def page_metrics(
    world: World, member: int, notes: Sequence[tuple[int, int, str]], reads: set[str], engaged: set[int]
) -> dict[str, float]:
    """Scores of one page of (note id, author id, language) for `member`."""
    interests = world.interests[member]
    topics = [world.topic_of(n) for n, _a, _l in notes]
    hits = [t in interests for t in topics]
    fresh = [hit for (n, _a, _l), hit in zip(notes, hits, strict=True) if n not in engaged]
    count = max(1, len(notes))
    return {
        "precision": sum(hits) / count,
        "fresh_precision": sum(fresh) / max(1, len(fresh)),
        "coverage": len(interests & set(topics)) / len(interests),
        "authors": float(len({a for _n, a, _l in notes})),
        "languages": sum(1 for _n, _a, lang in notes if lang.split("-")[0] in reads) / count,
        "engaged": sum(1 for n, _a, _l in notes if n in engaged) / count,
        "size": float(len(notes)),
    }


def summarise(rows: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key in (*METRICS, "size"):
        values = [r[key] for r in rows if key in r]
        if values:
            out[key] = round(statistics.fmean(values), 4)
    return out


def paired_difference(a: list[dict[str, float]], b: list[dict[str, float]], key: str) -> dict[str, float]:
    """Mean of b - a over the same members, with a 95 % normal interval."""
    diffs = [y[key] - x[key] for x, y in zip(a, b, strict=True)]
    mean = statistics.fmean(diffs)
    half = 1.96 * statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    return {"mean": round(mean, 4), "low": round(mean - half, 4), "high": round(mean + half, 4)}


def prepare(size: str, seed: int, regenerate: bool) -> dict[str, Any]:
    """Migrate, then reuse the world the tastes file describes, or generate a new one."""
    from django.core.management import call_command

    from bench.generate.__main__ import main as generate
    from haven.accounts.models import User
    from haven.notes.models import Note

    call_command("migrate", verbosity=0)
    path = OUT / f"tastes-{db_label()}.json"
    if path.exists() and not regenerate:
        hidden = json.loads(path.read_text())
        if (
            hidden.get("size") == size
            and hidden.get("members") == User.objects.count()
            and hidden.get("notes") == Note.objects.count()
        ):
            print(f"reusing the {size} world of {hidden['generated_at']} ({path.name})", flush=True)
            return dict(hidden)
    generate(["--size", size, "--reset", "--seed", str(seed)])
    return dict(json.loads(path.read_text()))


def sample_members(count: int, seed: int) -> list[int]:
    from collections import Counter

    from django.db.models import Count

    from haven.engagement.models import NoteLike, Save

    engaged: Counter[int] = Counter()
    for model in (NoteLike, Save):
        for user_id, n in (
            model.objects.values_list("user_id").annotate(n=Count("id")).values_list("user_id", "n")
        ):
            engaged[int(user_id)] += int(n)
    eligible = sorted(pk for pk, n in engaged.items() if n >= MIN_ENGAGED)
    return sorted(random.Random(seed).sample(eligible, min(count, len(eligible))))


def engaged_notes(member: int) -> set[int]:
    from haven.engagement.models import NoteLike, Save

    liked = NoteLike.objects.filter(user_id=member).values_list("note_id", flat=True)
    saved = Save.objects.filter(user_id=member).values_list("note_id", flat=True)
    return set(liked) | set(saved)


def discover_pages(viewer: Any, pages: int, *, non_personalized: bool = False) -> tuple[list[int], str]:
    """Note ids of the first `pages` Discover pages and the model version that ranked them."""
    from haven.feeds.selectors import discover_feed

    ids: list[int] = []
    cursor = None
    version = ""
    for _p in range(pages):
        page = discover_feed(
            viewer, cursor=cursor, limit=PAGE, non_personalized=non_personalized, record_seen=False
        )
        ids += [card.pk for card in page.items]
        version = version or str(getattr(page, "model_version", "") or "")
        cursor = page.next_cursor
        if cursor is None:
            break
    return ids, version


def random_pool() -> list[int]:
    """The v0 candidate pool: the newest public notes of the last 30 days (as feeds.selectors reads it)."""
    from django.utils import timezone

    from haven.notes.models import Note, Visibility

    since = timezone.now() - timedelta(days=30)
    notes = Note.objects.filter(
        status=Note.Status.PUBLISHED, visibility=Visibility.PUBLIC, published_at__gte=since
    )
    return list(notes.order_by("-published_at", "-id").values_list("id", flat=True)[:1000])


def measure(
    name: str,
    world: World,
    members: list[int],
    pages: int,
    serve: Callable[[Any], tuple[list[int], str]],
) -> dict[str, Any]:
    from haven.accounts.models import User
    from haven.feeds.selectors import viewer_languages
    from haven.notes.models import Note

    rows: list[dict[str, float]] = []
    versions: set[str] = set()
    for member in members:
        viewer = User.objects.get(pk=member)
        started = time.perf_counter()
        ids, version = serve(viewer)
        ms = (time.perf_counter() - started) * 1000 / pages
        versions.add(version)
        facts = {
            pk: (a, lang)
            for pk, a, lang in Note.objects.filter(pk__in=ids).values_list("pk", "author_id", "language")
        }
        notes = [(pk, *facts[pk]) for pk in ids if pk in facts]
        row = page_metrics(world, member, notes, viewer_languages(viewer), engaged_notes(member))
        row["ms"] = ms
        rows.append(row)
    summary = summarise(rows)
    print(
        f"  {name:<22} "
        + "  ".join(f"{summary.get(k, 0):>8.3f}" for k in METRICS)
        + f"  {','.join(sorted(versions))[:30]}",
        flush=True,
    )
    return {"name": name, "summary": summary, "versions": sorted(versions), "rows": rows}


def set_recommender(value: str) -> None:
    from django.conf import settings

    settings.HAVEN = settings.HAVEN.model_copy(update={"recommender": value})


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=("XS", "S", "M"), default="XS")
    parser.add_argument(
        "--members", type=int, default=200, help="members sampled (who liked or saved enough)"
    )
    parser.add_argument("--pages", type=int, default=1, help="first Discover pages scored together")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--max-items", type=int, default=0, help="model_train(max_items=...); 0: the production default"
    )
    parser.add_argument("--regenerate", action="store_true", help="generate a new world even if one matches")
    args = parser.parse_args(argv)

    if not os.environ.get("HAVEN_DATABASE_URL") and not os.environ.get("HAVEN_DATA_DIR"):
        os.environ["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix="haven-recs-")
    django_setup()
    guard_database()
    from django.db import connection

    hidden = prepare(args.size, args.seed, args.regenerate)
    world = World(hidden)
    members = sample_members(args.members, args.seed)
    label = db_label()
    print(
        f"\nproduct path, size {args.size}, {connection.vendor} ({label}), {len(members)} members "
        f"with >= {MIN_ENGAGED} likes+saves, first {args.pages} page(s) of {PAGE}",
        flush=True,
    )
    print(f"  {'ranking':<22} " + "  ".join(f"{k[:8]:>8}" for k in METRICS) + "  model", flush=True)

    pool = random_pool()
    rng = random.Random(args.seed)

    def random_page(viewer: Any) -> tuple[list[int], str]:
        from haven.notes.models import Note

        own = set(Note.objects.filter(author_id=viewer.pk).values_list("id", flat=True))
        choices = [pk for pk in pool if pk not in own]
        return rng.sample(choices, min(len(choices), PAGE * args.pages)), "random"

    from haven.recommend import serving

    results = []
    set_recommender("v0")
    results.append(measure("random (floor)", world, members, args.pages, random_page))
    results.append(
        measure(
            "popularity (v0, np)",
            world,
            members,
            args.pages,
            lambda v: discover_pages(v, args.pages, non_personalized=True),
        )
    )
    results.append(measure("v0", world, members, args.pages, lambda v: discover_pages(v, args.pages)))
    training: dict[str, Any] = {}
    try:
        from haven.recommend.training import model_train
    except ImportError as exc:  # the trained ranking has not landed
        training = {"error": f"haven.recommend.training missing: {exc}"}
        print(f"  (trained ranking skipped: {exc})")
    else:
        from django.core.cache import cache

        from haven.recommend.models import RecommenderModel

        RecommenderModel.objects.filter(is_active=True).update(is_active=False)  # start from no model
        cache.delete(serving.ACTIVE_VERSION_KEY)
        serving.forget_loaded()
        set_recommender("trained")
        results.append(
            measure(
                "recommend, no model", world, members, args.pages, lambda v: discover_pages(v, args.pages)
            )
        )
        started = time.perf_counter()
        model = model_train(max_items=args.max_items) if args.max_items else model_train()
        seconds = time.perf_counter() - started
        serving.forget_loaded()
        if model is None:
            training = {"error": "model_train() returned None (too little engagement)"}
            print("  (model_train() returned None: too little engagement)")
        else:
            training = {
                "max_items": args.max_items or "default",
                "version": model.version,
                "seconds": round(seconds, 2),
                "stats": model.stats,
            }
            print(f"  trained {model.version} in {seconds:.1f} s", flush=True)
            results.append(
                measure("trained", world, members, args.pages, lambda v: discover_pages(v, args.pages))
            )
            # Ablation: the trained item-item model with the prior ranker weights instead of the learned
            # ones (what the learned weights add or take away).
            from haven.recommend.features import PRIOR_WEIGHTS

            learned = dict(model.ranker)
            RecommenderModel.objects.filter(pk=model.pk).update(ranker={"weights": dict(PRIOR_WEIGHTS)})
            serving.forget_loaded()
            results.append(
                measure(
                    "trained, prior weights",
                    world,
                    members,
                    args.pages,
                    lambda v: discover_pages(v, args.pages),
                )
            )
            RecommenderModel.objects.filter(pk=model.pk).update(ranker=learned)
            serving.forget_loaded()
            training["learned_weights"] = learned.get("weights", {})
    by_name = {r["name"]: r for r in results}
    comparison = {}
    if "trained" in by_name:
        for key in ("precision", "fresh_precision", "coverage"):
            comparison[key] = paired_difference(by_name["v0"]["rows"], by_name["trained"]["rows"], key)
        print(
            "  trained - v0 (95 % interval): "
            + ", ".join(
                f"{k} {v['mean']:+.3f} [{v['low']:+.3f}, {v['high']:+.3f}]" for k, v in comparison.items()
            )
        )
    report = {
        "size": args.size,
        "database": label,
        "vendor": connection.vendor,
        "members": len(members),
        "pages": args.pages,
        "page_size": PAGE,
        "world_generated_at": hidden.get("generated_at"),
        "training": training,
        "trained_minus_v0": comparison,
        "rankings": [{k: v for k, v in r.items() if k != "rows"} for r in results],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"recs-product-path-{label}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"  wrote {out}")


if __name__ == "__main__":
    main()
