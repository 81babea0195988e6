"""Text analysis shared by indexing and queries in every backend: one function turns text into tokens.

The pipeline (docs/search.md):
1. NFKC (full-width ＣＯＦＦＥＥ -> COFFEE, compatibility forms folded), casefold, accents stripped from
   Latin letters; Traditional Chinese folded to Simplified with OpenCC ("t2s": 咖啡廳 -> 咖啡厅).
2. Runs of Han characters are segmented with jieba: search mode (every dictionary sub-word as well as the
   whole word) for documents, precise mode for queries, both without the HMM so a word segments the same
   way in a note and in a query.
3. Other letters and digits form words; English words are stemmed with Snowball ("running" -> "run").
   Head fields (titles, names, tags, places) keep the surface word beside its stem so prefixes of the
   whole word autocomplete; a handful of English stopwords are left out.
4. Head fields also get pinyin for their Chinese words: each toneless syllable alone, the syllables of
   one to three consecutive words joined ("咖啡" -> "kafei", "小红" -> "xiaohong"), and the whole run.

Tokens contain only letters and digits, so the SQLite FTS5 `unicode61` tokenizer and the PostgreSQL
tsvector (built from the same tokens) see exactly the same terms. A query is a list of groups: every
group must match (AND), any alternative inside a group may (OR).
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_TOKEN = 40  # longer "words" (hashes, runs of digits) are cut
MAX_TOKENS = 4000  # per field, after analysis
MAX_QUERY_GROUPS = 12
PINYIN_WORDS = 3  # consecutive words whose pinyin is also joined into one token

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN_RE = re.compile(rf"[{_HAN}]+")
# A token: letters and digits (any script but Han, handled above), no underscore or punctuation.
_SEGMENT_RE = re.compile(rf"([{_HAN}]+)|([^\W_]+)", re.UNICODE)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_ASCII_WORD_RE = re.compile(r"^[a-z]+$")
_LATIN_RE = re.compile(r"^[a-z0-9]+$")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "this",
        "that",
        "to",
        "was",
        "were",
        "with",
    ]
)

logger = logging.getLogger(__name__)


@functools.cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@functools.cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@functools.cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def warm_up() -> None:
    """Load the dictionaries now (jieba's takes about a second) rather than on the first search."""
    _jieba()
    _t2s()
    _stemmer()
    pinyin_of("中文")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def normalize(text: str) -> str:
    """NFKC, casefold, accents off, Traditional -> Simplified (the first step of every analysis)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    if not text.isascii():
        text = _strip_marks(text)
        if _HAN_RUN_RE.search(text):
            text = _t2s().convert(text)
    return text


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word)) if _ASCII_WORD_RE.match(word) else word


@functools.lru_cache(maxsize=20000)
def pinyin_of(word: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a Chinese word ("咖啡" -> ("ka", "fei")); ü is written v."""
    from pypinyin import Style, lazy_pinyin

    return tuple(s for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore") if _LATIN_RE.match(s))


def _cut(token: str) -> str:
    return token[:MAX_TOKEN]


def _han_words(run: str, *, search_mode: bool) -> list[str]:
    jieba = _jieba()
    words = jieba.cut_for_search(run, HMM=False) if search_mode else jieba.cut(run, HMM=False)
    return [w for w in words if w.strip()]


def _pinyin_tokens(run: str, words: Iterable[str]) -> Iterator[str]:
    """Pinyin of a Han run: each syllable, and the syllables of every 1 to 3 consecutive words joined
    (小/红/咖啡 -> xiao, hong, ka, fei, kafei, xiaohong, hongkafei, xiaohongkafei), then the whole run."""
    spelled = [syllables for syllables in (pinyin_of(w) for w in words) if syllables]
    seen: set[str] = set()
    for syllables in spelled:
        for syllable in syllables:
            if syllable not in seen:
                seen.add(syllable)
                yield syllable
    for start in range(len(spelled)):
        for end in range(start + 1, min(len(spelled), start + PINYIN_WORDS) + 1):
            joined = "".join("".join(s) for s in spelled[start:end])
            if joined not in seen:
                seen.add(joined)
                yield joined
    whole = "".join(pinyin_of(run))
    if whole and whole not in seen:
        yield whole


def analyse(text: str, *, head: bool = False) -> list[str]:
    """The tokens of a document field. `head` (titles, names, tags, places) adds surface words and pinyin."""
    tokens: list[str] = []
    for han, word in _SEGMENT_RE.findall(normalize(text)):
        if han:
            tokens.extend(_cut(w) for w in _han_words(han, search_mode=True))
            if head:
                tokens.extend(_cut(p) for p in _pinyin_tokens(han, _han_words(han, search_mode=False)))
        elif word:
            if word in STOPWORDS:
                continue
            stemmed = stem(word)
            tokens.append(_cut(stemmed))
            if head and stemmed != word:
                tokens.append(_cut(word))
        if len(tokens) >= MAX_TOKENS:
            break
    return tokens[:MAX_TOKENS]


def analysed_text(parts: Iterable[str], *, head: bool = False) -> str:
    """Fields joined and analysed into one space-separated string of tokens (what the index stores)."""
    tokens: list[str] = []
    for part in parts:
        if part:
            tokens.extend(analyse(part, head=head))
            if len(tokens) >= MAX_TOKENS:
                break
    return " ".join(tokens[:MAX_TOKENS])


def vocabulary_words(parts: Iterable[str]) -> set[str]:
    """Latin words (surface forms, 3..30 letters) that typo correction may suggest; pinyin of heads too."""
    words: set[str] = set()
    for part in parts:
        for _han, word in _SEGMENT_RE.findall(normalize(part)):
            if word and _ASCII_WORD_RE.match(word) and 3 <= len(word) <= 30 and word not in STOPWORDS:
                words.add(word)
    return words


# ----------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Group:
    """One query position: any of `terms` matches; `prefix` makes every term a prefix."""

    terms: tuple[str, ...]
    prefix: bool = False
    # Alternatives that are themselves conjunctions (a long Chinese word as its sub-words).
    conjunctions: tuple[tuple[str, ...], ...] = ()
    word: str = ""  # the surface word, for typo correction (Latin words only)


@dataclass
class Query:
    groups: list[Group] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups


def word_group(word: str) -> Group:
    """The group of one Latin query word: its stem and, when it differs, the word itself."""
    return _word_group(word)


def _word_group(word: str) -> Group:
    stemmed = stem(word)
    terms = (stemmed,) if stemmed == word else (stemmed, word)
    return Group(terms=tuple(_cut(t) for t in terms), word=word if _ASCII_WORD_RE.match(word) else "")


def _han_groups(run: str) -> list[Group]:
    groups = []
    for word in _han_words(run, search_mode=False):
        subwords = tuple(
            w for w in dict.fromkeys(_han_words(word, search_mode=True)) if w != word and len(w) >= 2
        )
        conjunctions = (subwords,) if subwords else ()
        groups.append(Group(terms=(_cut(word),), conjunctions=conjunctions))
    return groups


def parse_query(text: str, *, prefix: bool = False) -> Query:
    """A query as groups. With `prefix` the last word is matched as a prefix (autocomplete)."""
    groups: list[Group] = []
    segments = _SEGMENT_RE.findall(normalize(text))
    for index, (han, word) in enumerate(segments):
        last = index == len(segments) - 1
        if han:
            if prefix and last:
                groups.extend(_han_groups(han)[:-1])
                words = _han_words(han, search_mode=False)
                groups.append(Group(terms=(_cut(words[-1] if words else han),), prefix=True))
            else:
                groups.extend(_han_groups(han))
        elif word:
            if prefix and last:
                groups.append(Group(terms=(_cut(word),), prefix=True))
            elif word not in STOPWORDS:
                groups.append(_word_group(word))
    if not groups:  # a query of stopwords only: search them as they are
        groups = [Group(terms=(_cut(w),)) for w in _WORD_RE.findall(normalize(text))]
    return Query(groups=groups[:MAX_QUERY_GROUPS])


def with_corrections(query: Query, corrections: dict[str, list[str]]) -> Query:
    """The query with typo corrections of its Latin words added as alternatives (stemmed)."""
    if not corrections:
        return query
    groups = []
    for group in query.groups:
        extra = corrections.get(group.word, []) if group.word and not group.prefix else []
        if extra:
            terms = list(group.terms)
            for word in extra:
                for term in (stem(word), word):
                    if term not in terms:
                        terms.append(_cut(term))
            group = Group(terms=tuple(terms), conjunctions=group.conjunctions, word=group.word)
        groups.append(group)
    return Query(groups=groups)


def any_group(groups: Iterable[Group]) -> Group:
    """One group that matches when any of `groups` does (the OR of their alternatives)."""
    terms: list[str] = []
    conjunctions: list[tuple[str, ...]] = []
    for group in groups:
        terms.extend(t for t in group.terms if t not in terms)
        conjunctions.extend(c for c in group.conjunctions if c not in conjunctions)
    return Group(terms=tuple(terms), conjunctions=tuple(conjunctions))


# ----------------------------------------------------------------------------------------------
# Bilingual synonyms (data: haven/search/synonyms.txt)

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")


def _synonym_alternatives(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """How one synonym is searched: its terms, or a conjunction when it is several words."""
    groups = parse_query(text).groups
    if len(groups) == 1:
        return groups[0].terms, groups[0].conjunctions
    return (), ((tuple(g.terms[0] for g in groups),) if groups else ())


@functools.cache
def synonym_table() -> dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
    """{query term: (alternative terms, alternative conjunctions)} from the synonym file. Each line of the
    file is one set of equivalent words (Chinese and English, comma-separated); '#' starts a comment."""
    sets: list[list[str]] = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        words = [w.strip() for w in line.split("#", 1)[0].split(",") if w.strip()]
        if len(words) >= 2:
            sets.append(words)
    table: dict[str, tuple[list[str], list[tuple[str, ...]]]] = {}
    for words in sets:
        spelled = {w: _synonym_alternatives(w) for w in words}
        for word, (terms, _conjunctions) in spelled.items():
            for key in terms[:1]:  # the word's main term: its stem, or the Chinese word
                extra_terms, extra_conjunctions = table.setdefault(key, ([], []))
                for other, (other_terms, other_conjunctions) in spelled.items():
                    if other == word:
                        continue
                    extra_terms.extend(t for t in other_terms if t not in extra_terms)
                    extra_conjunctions.extend(c for c in other_conjunctions if c not in extra_conjunctions)
    return {k: (tuple(t), tuple(c)) for k, (t, c) in table.items()}


def with_synonyms(query: Query) -> Query:
    """The query with each group's bilingual synonyms added as alternatives (an unchanged query when
    none applies). Searched only after the words themselves found nothing (selectors.search)."""
    table = synonym_table()
    groups = []
    for group in query.groups:
        terms = list(group.terms)
        conjunctions = list(group.conjunctions)
        if not group.prefix:
            for term in group.terms:
                extra_terms, extra_conjunctions = table.get(term, ((), ()))
                terms.extend(t for t in extra_terms if t not in terms)
                conjunctions.extend(c for c in extra_conjunctions if c not in conjunctions)
        groups.append(
            Group(terms=tuple(terms), prefix=group.prefix, conjunctions=tuple(conjunctions), word=group.word)
        )
    return Query(groups=groups)


# ----------------------------------------------------------------------------------------------
# Typo tolerance: trigram similarity and edit distance over the vocabulary


def trigrams(word: str) -> set[str]:
    """Trigrams of a word padded like pg_trgm ("  c", " co", "cof", ..., "ee ")."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    ga, gb = trigrams(a), trigrams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a transposition costs 1), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


MIN_TYPO_LENGTH = 4
