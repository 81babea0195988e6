"""Search speed at size: index build time and size, and latency of `haven.search.selectors.search`.

    .venv/bin/python -m bench.search.speed --size XS            # 10,000 notes, both backends
    .venv/bin/python -m bench.search.speed --size M --backend postgres
    .venv/bin/python -m bench.search.speed --size M --backend postgres --reuse   # queries again, same index
    .venv/bin/python -m bench.search.speed --size M --backend postgres --reuse --ab   # and without eras

For each backend (a fresh SQLite file in a temporary folder; the PostgreSQL database
``haven_bench_search_<size>``, dropped and created) the child process:

1. writes a few thousand authors and the notes in bulk (bench.generate's writer: COPY / executemany,
   secondary indexes dropped during the load): bilingual notes composed from bench.generate's text
   pools, with a long tail of words taken from the demo content, word choice Zipf-distributed so some
   words are in most notes and most words in few (see docs/search-bench.md);
2. builds the search index with the app's own code (`haven.search.index.reindex("note")`, batches of
   500 through the searchables registry and the text analysis) and times it, then the index size;
3. times `selectors.search(None, q, kind="note", limit=20)` (anonymous viewer, warm: every query set is
   run once before it is timed) for one- and two-term queries in Chinese and English, split into the
   time spent in the index and the rest (visibility, cards), beside the `icontains` floor: the same
   query as `Note` title/body `icontains` the raw query, published and public, newest first, LIMIT 20.

Figures are printed and written to bench/out/search-speed-<size>.json. No assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bench.common import OUT
from bench.search import runner

SIZES = {"XS": 10_000, "S": 100_000, "M": 1_000_000}
AUTHORS = {"XS": 500, "S": 2_000, "M": 5_000}
QUERIES_PER_SET = 200
SET_SECONDS = 150.0  # a query set stops early when its timed queries pass this (the count is reported)
ZIPF_S = 1.0
SEED = 2026
ZH_SHARE = 0.45
TAGGED_SHARE = 0.5
PLACED_SHARE = 0.15
WINDOW_DAYS = 365
SETS = ("en-1", "en-2", "zh-1", "zh-2")


# ----------------------------------------------------------------------------------------------
# The corpus


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _strings(getattr(value, name))


_EN_RE = re.compile(r"[a-z]{3,}")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_SLOT_RE = re.compile(r"\{\w+\}")


def vocabulary() -> tuple[list[str], list[str]]:
    """(English words, Chinese words): bench.generate's pools first (the frequent head), then the other
    words of the demo content by how often the demo uses them (the tail). Deterministic."""
    import jieba

    from bench.generate import text
    from haven.demo.content import BANKS
    from haven.demo.content import words as demo_words
    from haven.demo.content.bilingual import NOTES
    from haven.search.analysis import STOPWORDS

    strings = [
        _SLOT_RE.sub(" ", s)
        for s in _strings([BANKS, NOTES, demo_words.CITIES, demo_words.SPOTS, demo_words.PICTURED])
    ]
    en_counts: Counter[str] = Counter()
    zh_counts: Counter[str] = Counter()
    for s in strings:
        en_counts.update(w for w in _EN_RE.findall(s.lower()) if w not in STOPWORDS)
        for run in _HAN_RE.findall(s):
            zh_counts.update(w for w in jieba.cut(run, HMM=False) if len(w) >= 2)
    en_head = [w for w in text.EN_WORDS if w not in STOPWORDS]
    zh_head = list(text.ZH_PHRASES)
    en = en_head + [w for w, _n in sorted(en_counts.items(), key=lambda x: (-x[1], x[0])) if w not in en_head]
    zh = zh_head + [w for w, _n in sorted(zh_counts.items(), key=lambda x: (-x[1], x[0])) if w not in zh_head]
    return en, zh


def zipf_weights(n: int, s: float = ZIPF_S) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


class Composer:
    """Notes from the pools: titles from bench.generate's templates, bodies of Zipf-chosen words."""

    def __init__(self, rng: random.Random) -> None:
        from bench.generate import text

        self.rng = rng
        self.text = text
        self.en, self.zh = vocabulary()
        self.en_cum = self._cumulative(len(self.en))
        self.zh_cum = self._cumulative(len(self.zh))
        self.df: dict[str, Counter[str]] = {"en": Counter(), "zh": Counter()}
        self.cities = [
            c for pair in __import__("haven.demo.content.words", fromlist=["CITIES"]).CITIES for c in pair
        ]

    @staticmethod
    def _cumulative(n: int) -> list[float]:
        total, out = 0.0, []
        for w in zipf_weights(n):
            total += w
            out.append(total)
        return out

    def words(self, language: str, k: int) -> list[str]:
        pool, cum = (self.en, self.en_cum) if language == "en" else (self.zh, self.zh_cum)
        return self.rng.choices(pool, cum_weights=cum, k=k)

    def note(self, i: int) -> tuple[str, str, str, str, int]:
        """(language, title, body, location, tag index or -1)."""
        rng, text = self.rng, self.text
        language = "zh" if rng.random() < ZH_SHARE else "en"
        a, b = self.words(language, 2)
        template = rng.choice(text.ZH_TITLES if language == "zh" else text.EN_TITLES)
        title = template.format(a=a, b=b)[:100]
        sentences = []
        used: set[str] = {a, b}
        for _s in range(rng.randint(2, 5)):
            if language == "zh":
                chosen = self.words("zh", rng.randint(4, 9))
                sentences.append("".join(chosen) + "。")
            else:
                chosen = self.words("en", rng.randint(5, 11))
                sentences.append(" ".join(chosen).capitalize() + ".")
            used.update(chosen)
        body = ("" if language == "zh" else " ").join(sentences)
        tag = rng.randrange(len(text.TAGS)) if rng.random() < TAGGED_SHARE else -1
        if tag >= 0:
            body += f"\n\n#{text.TAGS[tag]}"
        location = rng.choice(self.cities) if rng.random() < PLACED_SHARE else ""
        self.df[language].update(used)
        return language, title, body, location, tag


# ----------------------------------------------------------------------------------------------
# Loading


def load(size: str) -> dict[str, Any]:
    """Authors, hashtags, notes and their hashtag links, in bulk; returns counts and seconds."""
    import numpy as np

    from bench.generate import text
    from bench.generate.__main__ import PASSWORD, Table, Writer, ts
    from haven.accounts.models import User
    from haven.notes.models import Hashtag, Note, NoteHashtag

    started = time.perf_counter()
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    writer = Writer()
    now = time.time()
    authors, notes = AUTHORS[size], SIZES[size]
    user_t = Table(
        User,
        ("id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
         "is_active", "date_joined", "display_name", "bio", "avatar", "avatar_blurhash", "languages",
         "region", "interface_language", "is_private", "data_region", "suspension_reason"),
    )  # fmt: skip
    note_t = Table(
        Note,
        ("id", "author", "title", "body", "body_html", "location_name", "visibility", "status",
         "cover_index", "language", "language_confidence", "like_count", "save_count", "comment_count",
         "created_at", "updated_at", "published_at", "moderation", "moderation_reason", "sensitive"),
    )  # fmt: skip
    tag_t = Table(Hashtag, ("id", "name", "created_at"))
    link_t = Table(NoteHashtag, ("note", "hashtag"))
    tables = [user_t.name, note_t.name, tag_t.name, link_t.name]
    writer.drop_secondary([note_t.name, link_t.name], f"search-{size}")
    from django.contrib.auth.hashers import make_password

    password = make_password(PASSWORD)
    joined = writer.tz(ts(now - nrng.random(authors) * 730 * 86400))
    people = [text.display_name(rng, i) for i in range(1, authors + 1)]
    writer.load(
        user_t,
        iter(
            [
                [
                    (i + 1, password, False, f"s{i + 1}", "", "", f"s{i + 1}@bench.invalid", False, True,
                     joined[i], people[i][0], "", "", "", json.dumps(people[i][1]), "", people[i][2], False,
                     "default", "")
                    for i in range(authors)
                ]
            ]
        ),
    )  # fmt: skip
    tag_at = writer.tz(ts(np.array([now - 400 * 86400])))[0]
    writer.load(tag_t, iter([[(k + 1, t, tag_at) for k, t in enumerate(text.TAGS)]]))

    composer = Composer(rng)
    published = np.sort(now - nrng.random(notes) * WINDOW_DAYS * 86400)
    stamps = writer.tz(ts(published))
    author_of = nrng.integers(1, authors + 1, notes).tolist()
    likes = np.minimum(nrng.pareto(1.2, notes) * 3, 5000).astype(int).tolist()
    links: list[tuple[int, int]] = []

    def chunks() -> Iterator[list[tuple[Any, ...]]]:
        for lo in range(0, notes, 50_000):
            rows = []
            for i in range(lo, min(notes, lo + 50_000)):
                language, title, body, location, tag = composer.note(i)
                if tag >= 0:
                    links.append((i + 1, tag + 1))
                rows.append(
                    (i + 1, author_of[i], title, body, "", location, "public", "published", 0, language, 0.9,
                     likes[i], 0, 0, stamps[i], stamps[i], stamps[i], "ok", "", False)
                )  # fmt: skip
            yield rows

    writer.load(note_t, chunks())
    writer.load(link_t, iter([links[lo : lo + 100_000] for lo in range(0, len(links), 100_000)]))
    writer.reset_sequences(tables)
    writer.rebuild_secondary()
    return {
        "authors": authors,
        "notes": notes,
        "tagged": len(links),
        "seconds": round(time.perf_counter() - started, 1),
        "df": {lang: dict(counter) for lang, counter in composer.df.items()},
        "vocabulary": {"en": len(composer.en), "zh": len(composer.zh)},
    }


# ----------------------------------------------------------------------------------------------
# Index build and size


def build_index() -> dict[str, Any]:
    from django.db import connection

    from haven.search import analysis, index

    analysis.warm_up()
    started = time.perf_counter()
    counts = index.reindex("note", clear=True)
    seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return {"indexed": counts["indexed"], "seconds": round(seconds, 1), **index_size()}


def index_size() -> dict[str, Any]:
    from django.db import connection

    sizes: dict[str, Any] = {}
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT pg_total_relation_size('search_searchentry'), "
                "pg_relation_size('search_entry_document_gin'), "
                "pg_total_relation_size('search_searchterm') + pg_total_relation_size('search_searchgram'), "
                "pg_total_relation_size('notes_note')"
            )
            entry, gin, vocab, notes = cur.fetchone()
            sizes.update(index_bytes=entry, gin_bytes=gin, vocabulary_bytes=vocab, notes_bytes=notes)
        else:
            cur.execute(
                "SELECT SUM(CASE WHEN name LIKE 'search_fts%%' THEN pgsize ELSE 0 END), "
                "SUM(CASE WHEN name = 'search_searchentry' "
                "OR name LIKE 'sqlite_autoindex_search_searchentry%%' "
                "THEN pgsize ELSE 0 END), "
                "SUM(CASE WHEN name LIKE 'search_searchterm%%' OR name LIKE 'search_searchgram%%' "
                "OR name LIKE 'sqlite_autoindex_search_search%%m_%%' OR name = 'search_gram_unique' "
                "THEN pgsize ELSE 0 END), "
                "SUM(CASE WHEN name LIKE 'notes_note%%' AND name NOT LIKE 'notes_notehashtag%%' "
                "AND name NOT LIKE 'notes_noteimage%%' THEN pgsize ELSE 0 END) FROM dbstat"
            )
            fts, entry, vocab, notes = cur.fetchone()
            sizes.update(
                fts_bytes=fts, entry_bytes=entry, index_bytes=(fts or 0) + (entry or 0),
                vocabulary_bytes=vocab, notes_bytes=notes,
            )  # fmt: skip
    return sizes


# ----------------------------------------------------------------------------------------------
# Queries


def query_sets(df: dict[str, dict[str, int]], rng: random.Random) -> dict[str, list[str]]:
    """QUERIES_PER_SET queries per set; words picked with the same Zipf weights as the text (popular
    words are searched more), restricted to words present in the corpus."""
    en, zh = vocabulary()
    pools = {"en": [w for w in en if df["en"].get(w)], "zh": [w for w in zh if df["zh"].get(w)]}
    sets: dict[str, list[str]] = {}
    for name in SETS:
        language, terms = name.split("-")
        pool = pools[language]
        weights = zipf_weights(len(pool), 0.8)
        queries = []
        while len(queries) < QUERIES_PER_SET:
            words = rng.choices(pool, weights=weights, k=int(terms))
            if len(set(words)) == len(words):
                queries.append(" ".join(words))
        sets[name] = queries
    return sets


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _timed_index() -> tuple[list[float], Callable[[], None]]:
    """Wrap haven.search.index.search_hits to add up the time spent in the index per search."""
    from haven.search import index, selectors

    spent: list[float] = [0.0]
    original = index.search_hits

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    selectors.index.search_hits = wrapped  # type: ignore[attr-defined]

    def restore() -> None:
        selectors.index.search_hits = original  # type: ignore[attr-defined]

    return spent, restore


def icontains_page(q: str) -> list[int]:
    from django.db.models import Q

    from haven.notes.models import Note

    return list(
        Note.objects.filter(
            Q(title__icontains=q) | Q(body__icontains=q), status="published", visibility="public"
        )
        .order_by("-published_at", "-id")
        .values_list("id", flat=True)[:20]
    )


def _without_eras(run: Callable[[], Any]) -> Any:
    """`run()` with the PostgreSQL backend's own path choice off (the eras, the forced walk): every query
    as the planner would run it, as before eras existed."""
    from haven.search.backends import postgres

    kept = postgres.PostgresBackend._plan
    postgres.PostgresBackend._plan = lambda self, query, low, high: ("index", None)  # type: ignore[method-assign]
    try:
        return run()
    finally:
        postgres.PostgresBackend._plan = kept  # type: ignore[method-assign]


def _plain_timed(q: str) -> tuple[float, Any]:
    """(ms, page) of the search of `q` as the planner alone would run it (`_without_eras`)."""
    from haven.search import selectors

    t0 = time.perf_counter()
    page = _without_eras(lambda: selectors.search(None, q, kind="note", limit=20))
    return (time.perf_counter() - t0) * 1e3, page


def measure(
    sets: dict[str, list[str]], df: dict[str, dict[str, int]], notes: int, *, ab: bool = False
) -> dict[str, Any]:
    """Time every query set; with `ab` also each query with the era path off, right after it."""
    from haven.search import selectors

    spent, restore = _timed_index()
    out: dict[str, Any] = {}
    try:
        for name, queries in sets.items():
            language = name.split("-")[0]
            for q in queries[:20]:  # warm the code paths and caches
                selectors.search(None, q, kind="note", limit=20)
                icontains_page(q)
            rows = []
            started = time.perf_counter()
            for i, q in enumerate(queries):
                # With `ab`, the second of the two to run finds what the first read in memory: take turns.
                plain_first = ab and i % 2 == 1
                if plain_first:
                    plain_ms, plain = _plain_timed(q)
                spent[0] = 0.0
                t0 = time.perf_counter()
                page = selectors.search(None, q, kind="note", limit=20)
                total = time.perf_counter() - t0
                t1 = time.perf_counter()
                floor = icontains_page(q)
                scan = time.perf_counter() - t1
                share = max(df[language].get(w, 0) for w in q.split()) / notes
                rows.append(
                    {"q": q, "ms": total * 1e3, "index_ms": spent[0] * 1e3, "icontains_ms": scan * 1e3,
                     "hits": len(page.items), "icontains_hits": len(floor), "df": share}
                )  # fmt: skip
                if ab:
                    if not plain_first:
                        plain_ms, plain = _plain_timed(q)
                    rows[-1]["plain_ms"] = plain_ms
                    rows[-1]["same"] = [h.id for h in plain.items] == [h.id for h in page.items]
                if time.perf_counter() - started > SET_SECONDS:
                    break
            out[name] = summarise(rows)
            s = out[name]
            print(
                f"  {name:<5} n={s['n']:>3}  search p50 {s['p50_ms']:8.1f} ms  p99 {s['p99_ms']:8.1f} ms"
                f"  (index p50 {s['index_p50_ms']:7.1f} p99 {s['index_p99_ms']:7.1f})"
                f"  icontains p50 {s['icontains_p50_ms']:8.1f} p99 {s['icontains_p99_ms']:8.1f}",
                flush=True,
            )
            if ab:
                print(
                    f"        without eras: p50 {s['plain_p50_ms']:8.1f} ms  p99 {s['plain_p99_ms']:8.1f} ms"
                    f"  (same page for {s['same_pages']} of {s['n']})",
                    flush=True,
                )
    finally:
        restore()
    return out


BANDS = ((0.001, "<=0.1%"), (0.01, "0.1-1%"), (0.1, "1-10%"), (1.01, ">10%"))


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def stats(key: str, subset: list[dict[str, Any]]) -> tuple[float, float]:
        values = [r[key] for r in subset]
        return round(percentile(values, 50), 2), round(percentile(values, 99), 2)

    p50, p99 = stats("ms", rows)
    ip50, ip99 = stats("index_ms", rows)
    c50, c99 = stats("icontains_ms", rows)
    ab = {}
    if rows and "plain_ms" in rows[0]:
        a50, a99 = stats("plain_ms", rows)
        ab = {"plain_p50_ms": a50, "plain_p99_ms": a99, "same_pages": sum(1 for r in rows if r["same"])}
    bands = {}
    low = 0.0
    for high, label in BANDS:
        subset = [r for r in rows if low < r["df"] <= high or (low == 0.0 and r["df"] == 0.0)]
        if subset:
            b50, b99 = stats("ms", subset)
            bands[label] = {"n": len(subset), "p50_ms": b50, "p99_ms": b99}
            if ab:
                bands[label]["plain_p50_ms"], bands[label]["plain_p99_ms"] = stats("plain_ms", subset)
        low = high
    return {
        "n": len(rows),
        "p50_ms": p50,
        "p99_ms": p99,
        "mean_ms": round(statistics.fmean(r["ms"] for r in rows), 2),
        "index_p50_ms": ip50,
        "index_p99_ms": ip99,
        "icontains_p50_ms": c50,
        "icontains_p99_ms": c99,
        **ab,
        "empty_pages": sum(1 for r in rows if not r["hits"]),
        "icontains_empty_pages": sum(1 for r in rows if not r["icontains_hits"]),
        "by_term_share": bands,
        "slowest": sorted(rows, key=lambda r: -r["ms"])[:5],
    }


# ----------------------------------------------------------------------------------------------
# Parent and child


def child(args: argparse.Namespace) -> None:
    from bench.common import django_setup, guard_database

    django_setup()
    guard_database()
    from django.db import connection

    kept = OUT / f"search-speed-{args.size}-{args.backend}-corpus.json"
    if args.reuse:
        # The corpus and index an earlier run left (PostgreSQL): only the queries are timed again.
        loaded, built = json.loads(kept.read_text())
        print(f"  reusing {loaded['notes']:,} notes and their index", flush=True)
    else:
        t0 = time.perf_counter()
        runner.migrate()
        print(f"  schema {time.perf_counter() - t0:.1f} s", flush=True)
        loaded = load(args.size)
        print(
            f"  loaded {loaded['notes']:,} notes, {loaded['authors']:,} authors in {loaded['seconds']} s",
            flush=True,
        )
        built = build_index()
        OUT.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps([loaded, built]))
    print(
        f"  index built: {built['indexed']:,} notes in {built['seconds']} s "
        f"({built['indexed'] / max(built['seconds'], 1e-9):,.0f} notes/s), "
        f"{built['index_bytes'] / 2**20:,.1f} MiB",
        flush=True,
    )
    sets = query_sets(loaded["df"], random.Random(SEED + 1))
    timings = measure(sets, loaded["df"], loaded["notes"], ab=args.ab)
    result = {
        "backend": args.backend,
        "vendor": connection.vendor,
        "size": args.size,
        "load": {k: v for k, v in loaded.items() if k != "df"},
        "index": built,
        "queries": timings,
        "examples": {name: queries[:8] for name, queries in sets.items()},
    }
    with open(args.result, "w") as fh:
        json.dump(result, fh)


def table(results: dict[str, Any]) -> str:
    lines = [
        "| backend | queries | n | search p50 ms | search p99 ms | in index p50 / p99 ms | icontains p50 ms "
        "| icontains p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        for name, s in result["queries"].items():
            lines.append(
                f"| {runner.vendor_label(backend)} | {name} | {s['n']} | {s['p50_ms']:.1f} "
                f"| {s['p99_ms']:.1f} "
                f"| {s['index_p50_ms']:.1f} / {s['index_p99_ms']:.1f} | {s['icontains_p50_ms']:.1f} "
                f"| {s['icontains_p99_ms']:.1f} |"
            )
    lines += [
        "",
        "| backend | notes | build s | notes/s | index MiB | of which full text MiB | vocabulary MiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        i = result["index"]
        text_bytes = i.get("fts_bytes") if backend == "sqlite" else i.get("gin_bytes")
        lines.append(
            f"| {runner.vendor_label(backend)} | {i['indexed']:,} | {i['seconds']:,.1f} "
            f"| {i['indexed'] / max(i['seconds'], 1e-9):,.0f} | {i['index_bytes'] / 2**20:,.1f} "
            f"| {(text_bytes or 0) / 2**20:,.1f} | {(i.get('vocabulary_bytes') or 0) / 2**20:,.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="XS")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL only: time the queries again on the database and index an earlier run left",
    )
    parser.add_argument(
        "--ab",
        action="store_true",
        help="PostgreSQL only: also time each query with the era path off, right after it",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.reuse and args.backend != "postgres":
        parser.error("--reuse needs --backend postgres (the SQLite file is temporary)")
    if args.ab and args.backend != "postgres":
        parser.error("--ab needs --backend postgres (eras are PostgreSQL's)")
    if args.child:
        child(args)
        return
    started = time.perf_counter()
    results = runner.run_children(
        "bench.search.speed",
        ["--size", args.size, *(["--reuse"] if args.reuse else []), *(["--ab"] if args.ab else [])],
        runner.backends_of(args.backend),
        database=f"{runner.PG_PREFIX}_{args.size.lower()}",
        reuse=args.reuse,
    )
    print()
    print(table(results))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"search-speed-{args.size}-{args.backend}.json"
    path.write_text(json.dumps({"size": args.size, "results": results}, indent=2, ensure_ascii=False))
    print(f"\nwrote {path} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
