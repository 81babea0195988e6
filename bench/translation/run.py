"""Machine-translation benchmark: BLEU/chrF on FLORES-200 and WMT22, speed, and cache hit rates.

    .venv/bin/python -m bench.translation.run --tiny               # a tiny random model built on the spot
    .venv/bin/python -m bench.translation.run --provider local-zh-en --provider local-en-zh
    .venv/bin/python -m bench.translation.run --tiny --limit 200 --data /path/to/shared/data

Providers come from HAVEN_TRANSLATION_PROVIDERS (the server's own settings); `--tiny` builds the
test suite's random-weight CTranslate2 model instead, so the pipeline can be exercised end to end
(its scores are ~0 by design). Quality figures are printed beside the published scores of
`mt/flores200/published-scores.tsv`. Not part of the test suite; prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO / ".." / "shared" / "data"


@dataclass(frozen=True)
class TestSet:
    name: str  # as in published-scores.tsv ("flores-test") or "wmt22"
    direction: str  # "zh-en"
    sources: list[str]
    references: list[str]


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def load_sets(data: Path, directions: list[str], limit: int) -> list[TestSet]:
    mt = data / "mt"
    sets = []
    for direction in directions:
        src, tgt = direction.split("-")
        flores_src, flores_ref = (
            mt / "flores200" / f"flores-test.{src}",
            mt / "flores200" / f"flores-test.{tgt}",
        )
        wmt_src = mt / "wmt22" / f"generaltest2022.{direction}.src.{src}"
        wmt_ref = mt / "wmt22" / f"generaltest2022.{direction}.ref.A.{tgt}"
        for name, s, r in (("flores-test", flores_src, flores_ref), ("wmt22", wmt_src, wmt_ref)):
            if s.is_file() and r.is_file():
                sources, refs = read_lines(s), read_lines(r)
                if len(sources) != len(refs):
                    sys.exit(f"{s} and {r} are not line-aligned")
                if limit:
                    sources, refs = sources[:limit], refs[:limit]
                sets.append(TestSet(name, direction, sources, refs))
            else:
                print(f"  (missing {s.name} / {r.name}; skipped)")
    return sets


def published(data: Path) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(direction, set) -> [(system, bleu, comet)] from published-scores.tsv."""
    table: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    path = data / "mt" / "flores200" / "published-scores.tsv"
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                table[(row["direction"], row["set"])].append((row["system"], row["bleu"], row["comet"]))
    return table


def score(hypotheses: list[str], references: list[str], target: str) -> tuple[float, float]:
    import sacrebleu

    tokenize = "zh" if target == "zh" else "13a"
    bleu = sacrebleu.corpus_bleu(hypotheses, [references], tokenize=tokenize).score
    chrf = sacrebleu.corpus_chrf(hypotheses, [references]).score
    return bleu, chrf


def translate_all(provider: Any, texts: list[str], source: str, target: str, batch: int) -> list[str]:
    out: list[str] = []
    for start in range(0, len(texts), batch):
        out.extend(provider.translate_batch(texts[start : start + batch], source, target, timeout=600))
    return out


def quality(providers: dict[str, list[Any]], sets: list[TestSet], data: Path, batch: int) -> None:
    print("\n## Quality (sacrebleu: BLEU with the zh tokenizer into Chinese, 13a into English; chrF)\n")
    refs = published(data)
    for test in sets:
        src, tgt = test.direction.split("-")
        for provider in providers.get(test.direction, []):
            started = time.perf_counter()
            hyps = translate_all(provider, test.sources, src, tgt, batch)
            seconds = time.perf_counter() - started
            bleu, chrf = score(hyps, test.references, tgt)
            print(
                f"{test.direction} {test.name:<12} {provider.id:<14} BLEU {bleu:5.1f}  chrF {chrf:5.1f}"
                f"  ({len(test.sources)} sentences, {len(test.sources) / seconds:6.1f} sent/s)"
            )
        for system, bleu_pub, comet in sorted(refs.get((test.direction, test.name), [])):
            label = f"  published {system}"
            print(f"{test.direction} {test.name:<12} {label:<14} BLEU {float(bleu_pub):5.1f}  COMET {comet}")


def speed(providers: dict[str, list[Any]], sets: list[TestSet], notes: int) -> None:
    print("\n## Speed: a note = 4 sentences; per-note latency and sentences/second\n")
    for test in sets:
        if test.name != "flores-test":
            continue
        src, tgt = test.direction.split("-")
        sentences = test.sources[: notes * 4]
        note_texts = ["\n".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        for provider in providers.get(test.direction, []):
            provider.translate_batch(note_texts[:1], src, tgt, timeout=600)  # load / warm up
            modes = {
                "one sentence per call": [[sentence] for sentence in sentences],
                "one note per call": [[note] for note in note_texts],
                "all notes in one call": [note_texts],
            }
            for label, calls in modes.items():
                started = time.perf_counter()
                for call in calls:
                    provider.translate_batch(call, src, tgt, timeout=600)
                seconds = time.perf_counter() - started
                print(
                    f"{test.direction} {provider.id:<14} {label:<22} {len(sentences) / seconds:8.1f} sent/s"
                    f"  {1000 * seconds / len(note_texts):8.1f} ms/note"
                )
            latencies = []
            for note in note_texts:
                started = time.perf_counter()
                provider.translate_batch([note], src, tgt, timeout=600)
                latencies.append(1000 * (time.perf_counter() - started))
            latencies.sort()
            p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            print(
                f"{test.direction} {provider.id:<14} per-note latency       "
                f"median {statistics.median(latencies):.1f} ms  p95 {p95:.1f} ms"
            )


def cache_replay(provider_configs: list[dict[str, Any]], sets: list[TestSet], views: int, pool: int) -> None:
    """Zipf-distributed note views through the real service (cache table in a throwaway database)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    from haven.translation import services
    from haven.translation.models import CachedTranslation

    print(f"\n## Cache: {views} translation views of {pool} notes, Zipf(s=1.1) popularity, replayed twice\n")
    call_command("migrate", verbosity=0, interactive=False)
    flores = next((t for t in sets if t.name == "flores-test" and t.direction == "zh-en"), None)
    if flores is None:
        print("  (no zh-en FLORES set; skipped)")
        return
    notes = [
        (
            flores.sources[(i * 3) % len(flores.sources)],
            " ".join(flores.sources[(i * 3 + 1) % len(flores.sources) :][:2]),
        )
        for i in range(pool)
    ]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(pool)]
    rng = random.Random(42)
    sequence = rng.choices(range(pool), weights=weights, k=views)
    with override_settings(
        TRANSLATION_PROVIDERS=provider_configs,
        TRANSLATION_MEMBER_QUOTA_PER_HOUR=10**9,
        TRANSLATION_INSTANCE_QUOTA_PER_HOUR=10**9,
    ):
        CachedTranslation.objects.all().delete()
        for round_ in (1, 2):
            hits = total = 0
            started = time.perf_counter()
            for index in sequence:
                title, body = notes[index]
                results = services.translate_texts(texts=[title, body], source="zh-Hans", target="en")
                hits += sum(r.cached for r in results if not r.not_needed)
                total += sum(not r.not_needed for r in results)
            seconds = time.perf_counter() - started
            print(
                f"replay {round_}: {hits}/{total} texts from the cache ({100 * hits / max(1, total):.1f}%),"
                f" {1000 * seconds / views:.2f} ms/view, {CachedTranslation.objects.count()} cached rows"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (holds mt/)")
    parser.add_argument("--tiny", action="store_true", help="build and use the tiny random-weight model")
    parser.add_argument("--provider", action="append", default=[], help="configured provider id (repeatable)")
    parser.add_argument("--directions", default="zh-en,en-zh")
    parser.add_argument("--limit", type=int, default=0, help="sentences per test set (0: all)")
    parser.add_argument("--batch", type=int, default=32, help="sentences per provider call for scoring")
    parser.add_argument("--notes", type=int, default=50, help="notes for the speed test")
    parser.add_argument("--views", type=int, default=5000, help="note views in the cache replay")
    parser.add_argument("--pool", type=int, default=300, help="distinct notes in the cache replay")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="haven-mt-bench-"))
    os.environ["HAVEN_DATA_DIR"] = str(workdir)  # a throwaway SQLite database for the cache replay
    os.environ.pop("HAVEN_DATABASE_URL", None)
    os.environ.pop("HAVEN_REDIS_URL", None)
    sys.path.insert(0, str(REPO))
    from bench.common import django_setup

    django_setup()
    from django.conf import settings

    from config.env import TranslationProviderConfig
    from haven.translation.providers import build_provider

    directions = [d.strip() for d in args.directions.split(",") if d.strip()]
    if args.tiny:
        from haven.translation.tests.tiny_model import build_tiny_model

        started = time.perf_counter()
        path = build_tiny_model(workdir / "tiny")
        print(f"built the tiny model in {time.perf_counter() - started:.1f}s at {path}")
        configs = [
            {
                "id": "tiny",
                "kind": "ctranslate2",
                "path": str(path),
                "pairs": ["*"],
                "max_decoding_length": 64,
            }
        ]
    else:
        configs = [c for c in settings.TRANSLATION_PROVIDERS if not args.provider or c["id"] in args.provider]
        if not configs:
            sys.exit("no provider configured: set HAVEN_TRANSLATION_PROVIDERS or pass --tiny")
    built = [build_provider(TranslationProviderConfig.model_validate(c)) for c in configs]
    by_direction = {d: [p for p in built if p.supports(*d.split("-"))] for d in directions}

    data = args.data.resolve()
    print(f"data: {data}")
    print(f"providers: {', '.join(f'{p.id} ({p.kind})' for p in built)}")
    sets = load_sets(data, directions, args.limit)
    quality(by_direction, sets, data, args.batch)
    speed(by_direction, sets, args.notes)
    cache_replay(configs, sets, args.views, args.pool)


if __name__ == "__main__":
    main()
