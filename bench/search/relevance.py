"""Search relevance: nDCG@10, MRR and recall@10 of Haven's search against a plain `icontains` scan.

    .venv/bin/python -m bench.search.relevance                   # both backends
    .venv/bin/python -m bench.search.relevance --backend sqlite

The corpus (bench/search/corpus.json: bilingual notes with hand-assigned concept grades) is written
into a fresh database per backend (a SQLite file in a temporary folder; the PostgreSQL database
``haven_bench_search``, dropped and created), indexed with the app's own code
(`haven.search.index.reindex`), and every query of bench/search/queries.json is run through
`haven.search.selectors.search(None, q, kind="note", limit=10)` (an anonymous viewer) and through the
baseline: notes whose title or body `icontains` the raw query, newest first, first 10. A note's grade
for a query comes from the judgements only (see queries.json's "about"), never from either system.

Prints one table per backend (overall and per slice) and writes bench/out/search-relevance-<backend>.json
with every query's ranked keys and grades.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import unicodedata
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import OUT
from bench.search import metrics, runner

HERE = Path(__file__).resolve().parent
K = 10
SLICES = ("zh", "en", "mixed", "pinyin", "typo", "trad", "width", "stem")
SYSTEMS = ("search", "icontains")


def load_set() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    corpus = json.loads((HERE / "corpus.json").read_text())["notes"]
    queries = json.loads((HERE / "queries.json").read_text())["queries"]
    return corpus, queries


def query_languages(query: dict[str, Any]) -> set[str]:
    """The languages a query is written in: zh when it has Han characters or is pinyin, en when it has
    Latin words (after NFKC, so full-width letters count)."""
    text = unicodedata.normalize("NFKC", query["q"])
    languages = set()
    if re.search(r"[\u3400-\u9fff]", text) or query["slice"] == "pinyin":
        languages.add("zh")
    if re.search(r"[A-Za-z]", text) and query["slice"] != "pinyin":
        languages.add("en")
    return languages


def judge(
    query: dict[str, Any], corpus: Sequence[dict[str, Any]], *, same_language: bool = False
) -> dict[str, int]:
    """{note key: grade} for every note with grade >= 1: the minimum over the query's `need` items of
    the maximum of the note's grades for the concepts of that item. `same_language` keeps only notes
    written in a language of the query (what a search without cross-language matching can reach)."""
    judged = {}
    languages = query_languages(query)
    for note in corpus:
        if same_language and note["language"] not in languages:
            continue
        grades = note["concepts"]
        grade = min(max(grades.get(concept, 0) for concept in item) for item in query["need"])
        if grade > 0:
            judged[note["key"]] = grade
    return judged


# ----------------------------------------------------------------------------------------------
# The child: one backend


def write_corpus(corpus: Sequence[dict[str, Any]]) -> dict[int, str]:
    """The corpus as published public notes of two authors; {note pk: key}."""
    from django.utils import timezone

    from haven.accounts.models import User
    from haven.core.text import parse_hashtags
    from haven.notes.models import Hashtag, Note, NoteHashtag

    now = timezone.now()
    authors = {
        "zh": User.objects.create(username="bench_zh", email="zh@bench.invalid", display_name="小林"),
        "en": User.objects.create(username="bench_en", email="en@bench.invalid", display_name="Alex"),
    }
    keys: dict[int, str] = {}
    for doc in corpus:
        at = now - timedelta(days=doc["days_ago"])
        note = Note.objects.create(
            author=authors[doc["language"]],
            title=doc["title"],
            body=doc["body"],
            location_name=doc["place"],
            language=doc["language"],
            language_confidence=0.9,
            status=Note.Status.PUBLISHED,
            published_at=at,
            like_count=doc["likes"],
        )
        for name in parse_hashtags(doc["body"]):
            tag, _created = Hashtag.objects.get_or_create(name=name)
            NoteHashtag.objects.create(note=note, hashtag=tag)
        keys[note.pk] = doc["key"]
    return keys


def icontains(q: str, keys: dict[int, str]) -> list[str]:
    from django.db.models import Q

    from haven.notes.models import Note

    pks = (
        Note.objects.filter(Q(title__icontains=q) | Q(body__icontains=q), status="published")
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)[:K]
    )
    return [keys[pk] for pk in pks]


def child(args: argparse.Namespace) -> None:
    from bench.common import django_setup, guard_database

    django_setup()
    guard_database()
    from django.db import connection

    from haven.search import analysis, index, selectors

    runner.migrate()
    corpus, queries = load_set()
    keys = write_corpus(corpus)
    analysis.warm_up()
    index.reindex("note", clear=True)
    rows = []
    for query in queries:
        t0 = time.perf_counter()
        page = selectors.search(None, query["q"], kind="note", limit=K)
        ms = (time.perf_counter() - t0) * 1e3
        rows.append(
            {
                "q": query["q"],
                "slice": query["slice"],
                "search": [keys[hit.id] for hit in page.items],
                "corrections": page.corrections,
                "search_ms": round(ms, 2),
                "icontains": icontains(query["q"], keys),
            }
        )
    Path(args.result).write_text(json.dumps({"vendor": connection.vendor, "rows": rows}, ensure_ascii=False))


# ----------------------------------------------------------------------------------------------
# Scoring and the report


def score(rows: Sequence[dict[str, Any]], corpus: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    queries = {q["q"]: q for q in load_set()[1]}
    scored = []
    for row in rows:
        judged = judge(queries[row["q"]], corpus)
        same = judge(queries[row["q"]], corpus, same_language=True)
        entry = {**row, "relevant": len(judged), "relevant_same_language": len(same)}
        for system in SYSTEMS:
            ranked = row[system]
            entry[f"{system}_grades"] = [judged.get(key, 0) for key in ranked]
            entry[f"{system}_ndcg"] = metrics.ndcg(ranked, judged, K)
            entry[f"{system}_rr"] = metrics.reciprocal_rank(ranked, judged, K)
            entry[f"{system}_recall"] = metrics.recall(ranked, judged, K)
            entry[f"{system}_ndcg_same"] = metrics.ndcg(ranked, same, K) if same else None
            entry[f"{system}_recall_same"] = metrics.recall(ranked, same, K) if same else None
        scored.append(entry)
    return scored


def summary(scored: Sequence[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """{slice or "all": {system: {ndcg, mrr, recall, empty, n}}}."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in ("all", *SLICES):
        subset = [r for r in scored if name == "all" or r["slice"] == name]
        if not subset:
            continue
        out[name] = {
            system: {
                "n": len(subset),
                "ndcg": round(statistics.fmean(r[f"{system}_ndcg"] for r in subset), 3),
                "mrr": round(statistics.fmean(r[f"{system}_rr"] for r in subset), 3),
                "recall": round(statistics.fmean(r[f"{system}_recall"] for r in subset), 3),
                "empty": sum(1 for r in subset if not r[system]),
                "ndcg_same": round(
                    statistics.fmean(
                        r[f"{system}_ndcg_same"] for r in subset if r[f"{system}_ndcg_same"] is not None
                    ),
                    3,
                ),
                "recall_same": round(
                    statistics.fmean(
                        r[f"{system}_recall_same"] for r in subset if r[f"{system}_recall_same"] is not None
                    ),
                    3,
                ),
            }
            for system in SYSTEMS
        }
    return out


def table_same(summaries: dict[str, dict[str, dict[str, dict[str, float]]]]) -> str:
    """nDCG@10 and R@10 judged against the notes in the query's own language(s) only."""
    backends = list(summaries)
    lines = [
        "| slice | "
        + " | ".join(f"{runner.vendor_label(b)} nDCG@10 / R@10" for b in backends)
        + " | icontains nDCG@10 / R@10 |",
        "|---|" + "---:|" * (len(backends) + 1),
    ]
    for name, systems in summaries[backends[0]].items():
        cells = []
        for b in backends:
            s = summaries[b][name]["search"]
            cells.append(f"{s['ndcg_same']:.3f} / {s['recall_same']:.3f}")
        c = systems["icontains"]
        cells.append(f"{c['ndcg_same']:.3f} / {c['recall_same']:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(summaries: dict[str, dict[str, dict[str, dict[str, float]]]]) -> str:
    backends = list(summaries)
    head = "| slice | queries | " + " | ".join(
        f"{runner.vendor_label(b)} nDCG@10 / MRR / R@10 / empty" for b in backends
    )
    lines = [
        head + " | icontains nDCG@10 / MRR / R@10 / empty |",
        "|---|---:|" + "---:|" * (len(backends) + 1),
    ]
    first = summaries[backends[0]]
    for name, systems in first.items():
        cells = []
        for backend in backends:
            s = summaries[backend][name]["search"]
            cells.append(f"{s['ndcg']:.3f} / {s['mrr']:.3f} / {s['recall']:.3f} / {int(s['empty'])}")
        c = systems["icontains"]
        cells.append(f"{c['ndcg']:.3f} / {c['mrr']:.3f} / {c['recall']:.3f} / {int(c['empty'])}")
        lines.append(f"| {name} | {int(systems['search']['n'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument(
        "--show", type=float, default=0.5, help="list queries whose search nDCG@10 is below this"
    )
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    corpus, queries = load_set()
    results = runner.run_children(
        "bench.search.relevance", [], runner.backends_of(args.backend), runner.PG_PREFIX
    )
    summaries = {}
    OUT.mkdir(parents=True, exist_ok=True)
    for backend, result in results.items():
        scored = score(result["rows"], corpus)
        summaries[backend] = summary(scored)
        path = OUT / f"search-relevance-{backend}.json"
        path.write_text(
            json.dumps({"summary": summaries[backend], "queries": scored}, indent=1, ensure_ascii=False)
        )
        weak = [r for r in scored if r["search_ndcg"] < args.show]
        print(f"\n{runner.vendor_label(backend)}: {len(weak)} queries with search nDCG@10 < {args.show}")
        for r in weak:
            print(
                f"  {r['slice']:<6} {r['q']!r:<22} search {r['search_ndcg']:.2f} {r['search_grades']} "
                f"icontains {r['icontains_ndcg']:.2f} ({r['relevant']} relevant)"
            )
        print(f"  wrote {path}")
    print(f"\n{len(queries)} queries, {len(corpus)} notes; K = {K}\n")
    print("Judged in any language (the intent):\n")
    print(table(summaries))
    print("\nJudged against notes in the query's own language(s) only:\n")
    print(table_same(summaries))


if __name__ == "__main__":
    main()
