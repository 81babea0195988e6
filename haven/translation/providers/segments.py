"""Splitting social text into translatable runs and verbatim pieces (tags, mentions, links, emoji)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from haven.core.text import HASHTAG_RE, MENTION_RE, URL_RE, base_language

#: Kept verbatim: links, #hashtags (RedNote chains too), @mentions, and runs of emoji / symbols.
_PROTECTED_RE = re.compile(
    rf"{URL_RE.pattern}|{HASHTAG_RE.pattern}|{MENTION_RE.pattern}"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+",
    re.UNICODE,
)
#: A sentence ends after these marks (kept with the sentence).
_SENTENCE_END_RE = re.compile(r"((?<=[。！？!?；;…])(?![。！？!?；;…])\s*|(?<=[.])\s+)")
_NO_SPACE_TARGETS = frozenset({"zh", "ja", "th"})


@dataclass(frozen=True)
class Piece:
    text: str
    translate: bool


def _has_letters(text: str) -> bool:
    return any(unicodedata.category(ch)[0] == "L" for ch in text)


def split(text: str) -> list[Piece]:
    """Pieces that concatenate back to `text`; `translate` marks sentences with letters to translate."""
    pieces: list[Piece] = []
    for line in re.split(r"(\n+)", text):
        if not line or line.startswith("\n"):
            if line:
                pieces.append(Piece(line, False))
            continue
        position = 0
        for match in _PROTECTED_RE.finditer(line):
            pieces.extend(_sentences(line[position : match.start()]))
            pieces.append(Piece(match.group(0), False))
            position = match.end()
        pieces.extend(_sentences(line[position:]))
    return pieces


def _sentences(run: str) -> list[Piece]:
    out: list[Piece] = []
    for part in _SENTENCE_END_RE.split(run):
        if not part:
            continue
        stripped = part.strip()
        if stripped and _has_letters(stripped):
            lead = part[: len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()) :]
            if lead:
                out.append(Piece(lead, False))
            out.append(Piece(stripped, True))
            if trail:
                out.append(Piece(trail, False))
        else:
            out.append(Piece(part, False))
    return out


def join(pieces: list[str], target: str) -> str:
    """Concatenate translated pieces, adding a space between words for targets that use spaces."""
    spaced = base_language(target) not in _NO_SPACE_TARGETS
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if spaced and out and not out[-1].isspace() and not piece[0].isspace() and piece[0] not in ",.!?;:)":
            out += " "
        out += piece
    return out
