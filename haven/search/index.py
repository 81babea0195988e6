"""The index: picks the backend by database vendor, turns registered documents into rows, keeps the typo
vocabulary, searches, re-indexes and checks drift between what is indexable and what is indexed."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched

from django.db import connection
from django.db.models import Count

from haven.core import searchables
from haven.core.text import base_language
from haven.search import analysis
from haven.search.backends.base import Backend, Filters, Hit, Row
from haven.search.models import SearchEntry, SearchGram, SearchTerm

KIND_SHIFT = 40  # entry id = code << 40 | pk: up to 2**40 objects per kind
BATCH = 500
MAX_CORRECTIONS = 2
GRAM_CANDIDATES = 60


def backend() -> Backend:
    """The backend for the default database (SQLite: FTS5; PostgreSQL: tsvector + GIN)."""
    if connection.vendor == "postgresql":
        from haven.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from haven.search.backends.fts5 import Fts5Backend

        return Fts5Backend()
    raise RuntimeError(f"no search backend for database vendor {connection.vendor!r}")


def entry_id(kind: str, pk: int) -> int:
    return (searchables.kinds()[kind].code << KIND_SHIFT) | int(pk)


def kind_range(kind: str) -> tuple[int, int]:
    code = searchables.kinds()[kind].code
    return code << KIND_SHIFT, ((code + 1) << KIND_SHIFT) - 1


def object_id(entry: int) -> int:
    return entry & ((1 << KIND_SHIFT) - 1)


def boost_of(popularity: int) -> float:
    """1 + 0.1 * ln(1 + popularity): engagement lifts a document, gently (docs/search.md)."""
    return 1.0 + 0.1 * math.log1p(max(0, popularity))


def _row(kind: str, pk: int, doc: searchables.Document) -> Row:
    return Row(
        id=entry_id(kind, pk),
        kind=kind,
        object_id=pk,
        language=base_language(doc.language)[:8],
        at=int(doc.at.timestamp()) if doc.at is not None else None,
        boost=boost_of(doc.popularity),
        head=analysis.analysed_text(doc.head, head=True),
        body=analysis.analysed_text(doc.body),
    )


def index_objects(kind: str, pks: Sequence[int], *, related: bool = True) -> dict[str, int]:
    """Index the objects of `kind` among `pks` and remove the rest of them (idempotent)."""
    searchable = searchables.get(kind)
    if searchable is None:
        return {"indexed": 0, "removed": 0}
    indexed = removed = 0
    for chunk in batched(sorted({int(p) for p in pks}), BATCH):
        docs = searchables.documents(kind, chunk)
        rows = [_row(kind, pk, doc) for pk, doc in docs.items()]
        engine = backend()
        engine.upsert(rows)
        gone = [entry_id(kind, pk) for pk in chunk if pk not in docs]
        engine.delete(gone)
        _learn_words(word for doc in docs.values() for word in analysis.vocabulary_words(doc.head + doc.body))
        indexed += len(rows)
        removed += len(gone)
        if related and searchable.related is not None:
            for other, ids in searchable.related(list(chunk)).items():
                if ids and searchables.get(other) is not None:
                    index_objects(other, ids, related=False)
    return {"indexed": indexed, "removed": removed}


def remove_objects(kind: str, pks: Sequence[int]) -> None:
    backend().delete([entry_id(kind, pk) for pk in pks])


def reindex(kind: str, *, clear: bool = False) -> dict[str, int]:
    """Index every indexable object of `kind` in batches; `clear` empties the kind first."""
    if clear:
        backend().delete_range(*kind_range(kind))
    totals = {"indexed": 0, "removed": 0}
    for chunk in batched(searchables.kinds()[kind].all_ids(), BATCH):
        counts = index_objects(kind, chunk, related=False)
        totals["indexed"] += counts["indexed"]
        totals["removed"] += counts["removed"]
    backend().refresh_statistics()
    return totals


# ----------------------------------------------------------------------------------------------
# Drift


@dataclass
class Drift:
    kind: str
    indexable: int = 0
    indexed: int = 0
    missing: list[int] = field(default_factory=list)  # indexable, no entry
    extra: list[int] = field(default_factory=list)  # entry, not indexable (or gone)
    textless: list[int] = field(default_factory=list)  # entry without full text (SQLite)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.textless)


def _diff(left: Iterator[int], right: Iterator[int]) -> Iterator[tuple[int | None, int | None]]:
    """Merge two ascending id streams: (id, None) only left, (None, id) only right."""
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a < b):
            yield a, None
            a = next(left, None)
        elif a is None or b < a:
            yield None, b
            b = next(right, None)
        else:
            a, b = next(left, None), next(right, None)


def drift(kind: str, *, sample: int = 1000) -> Drift:
    """Compare the ids of indexable objects with the index entries (streams, no big sets in memory)."""
    low, high = kind_range(kind)
    report = Drift(kind=kind)

    def indexable() -> Iterator[int]:
        for pk in searchables.kinds()[kind].all_ids():
            report.indexable += 1
            yield int(pk)

    def indexed() -> Iterator[int]:
        rows = (
            SearchEntry.objects.filter(id__gte=low, id__lte=high).order_by("id").values_list("id", flat=True)
        )
        for entry in rows.iterator(chunk_size=5000):
            report.indexed += 1
            yield object_id(entry)

    for only_left, only_right in _diff(indexable(), indexed()):
        target = report.missing if only_left is not None else report.extra
        if len(target) < sample:
            target.append(int(only_left if only_left is not None else only_right))  # type: ignore[arg-type]
    text = set(backend().text_ids(low, high))
    entries = SearchEntry.objects.filter(id__gte=low, id__lte=high).values_list("id", flat=True)
    report.textless = sorted(object_id(e) for e in entries if e not in text)[:sample]
    return report


def repair(report: Drift) -> None:
    """Fix what a drift report found (re-index missing and textless objects, remove extra entries)."""
    if report.extra:
        remove_objects(report.kind, report.extra)
    if report.missing or report.textless:
        index_objects(report.kind, sorted(set(report.missing) | set(report.textless)), related=False)


# ----------------------------------------------------------------------------------------------
# Typo vocabulary


def _learn_words(words: Iterable[str]) -> None:
    wanted = sorted(set(words))
    for chunk in batched(wanted, BATCH):
        known = set(SearchTerm.objects.filter(term__in=chunk).values_list("term", flat=True))
        new = [w for w in chunk if w not in known]
        if not new:
            continue
        SearchTerm.objects.bulk_create([SearchTerm(term=w) for w in new], ignore_conflicts=True)
        ids = dict(SearchTerm.objects.filter(term__in=new).values_list("term", "pk"))
        SearchGram.objects.bulk_create(
            [SearchGram(gram=g, term_id=ids[w]) for w in new if w in ids for g in analysis.trigrams(w)],
            ignore_conflicts=True,
        )


_SUFFIXES = ("", "s", "es", "e", "ed", "d", "ing", "er", "ers", "ly", "y", "ies", "ied")


def stem_siblings(word: str) -> list[str]:
    """Likely surface forms sharing `word`'s stem (hike -> hikes, hiked, hiking; happi -> happy), to
    look up in the vocabulary, which keeps surface words only."""
    root = analysis.stem(word)
    bases = {root, word}
    if root.endswith("i"):
        bases.add(root[:-1])
    if root.endswith("e"):
        bases.add(root[:-1])
    forms = {base + suffix for base in bases for suffix in _SUFFIXES}
    if root[-1:].isalpha() and root[-1:] not in "aeiouy":
        forms |= {root + root[-1] + suffix for suffix in ("ed", "ing", "er")}  # run -> running
    return sorted(f for f in forms if f and analysis.stem(f) == root)


def known_words(words: Sequence[str], *, kind: str | None = None) -> set[str]:
    """The words among `words` that are real words of the index: in the vocabulary as they are, or by
    their stem (another surface form with the same stem), or, for `kind`, matching any document as
    searched (pinyin, words longer than the vocabulary keeps, words with digits)."""
    words = list(dict.fromkeys(words))
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    rest = [w for w in words if w not in known]
    siblings = {w: stem_siblings(w) for w in rest}
    wanted = sorted({f for forms in siblings.values() for f in forms})
    seen = set(SearchTerm.objects.filter(term__in=wanted).values_list("term", flat=True)) if wanted else set()
    for word, forms in siblings.items():
        if seen.intersection(forms):
            known.add(word)
    if kind is not None and searchables.get(kind) is not None:
        for word in rest:
            if word not in known:
                probe = analysis.Query(groups=[analysis.word_group(word)])
                if search_hits(kind, probe, limit=1):
                    known.add(word)
    return known


def _distance(word: str, term: str, limit: int) -> int:
    """Edit distance of the words; for words of 6+ letters, 1 when their stems (4+ letters) are 1 apart
    (hikking and hikes as hikk / hike, closer than picking at 2). Short words compare as they are."""
    distance = analysis.edit_distance(word, term, limit)
    a, b = analysis.stem(word), analysis.stem(term)
    long_enough = len(word) > 5 and min(len(a), len(b)) >= analysis.MIN_TYPO_LENGTH
    if distance > 1 and long_enough and analysis.edit_distance(a, b, 1) <= 1:
        distance = 1
    return distance


def corrections(words: Sequence[str], *, kind: str | None = None) -> dict[str, list[str]]:
    """Vocabulary words close to each unknown Latin word of a query (trigram candidates, then edit
    distance <= 1 for words up to 5 letters and <= 2 beyond, on the words or their stems):
    {word: [best, second]}, one word per stem, only those at the smallest distance found. A word is
    unknown only when neither it nor its stem is in the vocabulary and, given `kind`, it matches no
    document of that kind: so a correction never joins a word that finds anything by itself, and
    corrected results cannot outrank real matches."""
    candidates = [w for w in dict.fromkeys(words) if len(w) >= analysis.MIN_TYPO_LENGTH]
    if not candidates:
        return {}
    known = known_words(candidates, kind=kind)
    found: dict[str, list[str]] = {}
    for word in candidates:
        if word in known:
            continue
        grams = sorted(analysis.trigrams(word) | analysis.trigrams(analysis.stem(word)))
        term_ids = [
            row["term_id"]
            for row in SearchGram.objects.filter(gram__in=grams)
            .values("term_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "term_id")[:GRAM_CANDIDATES]
        ]
        limit = analysis.allowed_distance(word)
        scored = []
        for term, seen in SearchTerm.objects.filter(pk__in=term_ids).values_list("term", "seen"):
            distance = _distance(word, term, limit)
            if distance <= limit:
                scored.append((distance, -analysis.similarity(word, term), -seen, term))
        best: dict[str, str] = {}
        closest = min(scored)[0] if scored else 0
        for distance, *_rest, term in sorted(scored):
            if distance > closest:  # only the closest: hikking -> hikes (1 by stem), not picking (2)
                break
            best.setdefault(analysis.stem(term), term)
            if len(best) == MAX_CORRECTIONS:
                break
        if best:
            found[word] = list(best.values())
    return found


# ----------------------------------------------------------------------------------------------
# Searching


def search_hits(
    kind: str,
    query: analysis.Query,
    *,
    language: str | None = None,
    since: int | None = None,
    now: int | None = None,
    after: tuple[float, int] | None = None,
    limit: int = 60,
    head_only: bool = False,
) -> list[Hit]:
    low, high = kind_range(kind)
    filters = Filters(low=low, high=high, language=language, since=since, head_only=head_only)
    return backend().search(query, filters, now=now or int(time.time()), after=after, limit=limit)
