"""Text utilities: hashtag and mention parsing, language detection, and safe rendering of plain text."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from django.urls import reverse

from haven.core.sanitize import sanitize

# A hashtag is '#' followed by letters/digits/underscore in any script (Chinese included), up to 64 chars.
# RedNote-style tags may also close with a second '#': "#咖啡#".
# Chained RedNote tags ("#咖啡#下午茶#") are one match whose group is split on '#'.
# A closing '#' is optional; a chained tag must itself be closed ("#a#b#" is two tags, "#a#b" one).
_TAG = r"[^\W_]\w{0,63}"
HASHTAG_RE = re.compile(rf"(?<![\w&/])#({_TAG}(?:#{_TAG}(?=#))*)#?", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{2,30})\b")
URL_RE = re.compile(r"https?://[^\s<>\"']{1,2000}")

MAX_TAGS_PER_TEXT = 30
MAX_MENTIONS_PER_TEXT = 20


def normalize_tag(tag: str) -> str:
    return unicodedata.normalize("NFKC", tag).casefold()


def parse_hashtags(text: str) -> list[str]:
    """Distinct normalized hashtags in order of first appearance (bounded)."""
    seen: dict[str, None] = {}
    for m in HASHTAG_RE.finditer(text or ""):
        for part in m.group(1).split("#"):
            if part:
                seen.setdefault(normalize_tag(part), None)
        if len(seen) >= MAX_TAGS_PER_TEXT:
            break
    return list(seen)[:MAX_TAGS_PER_TEXT]


def parse_mentions(text: str) -> list[str]:
    """Distinct lower-cased usernames mentioned with @ (bounded)."""
    seen: dict[str, None] = {}
    for m in MENTION_RE.finditer(text or ""):
        seen.setdefault(m.group(1).lower(), None)
        if len(seen) >= MAX_MENTIONS_PER_TEXT:
            break
    return list(seen)


def render_rich_text(text: str, *, known_usernames: set[str] | None = None) -> str:
    """Plain user text -> safe HTML with linked #hashtags, @mentions (of existing members) and URLs."""
    known = {u.lower() for u in (known_usernames or set())}
    escaped = html.escape(text or "")

    def link(m: re.Match[str]) -> str:
        token = m.group(0)
        if token.startswith("#"):
            links = []
            for part in m.group("tag").split("#"):
                if part:
                    url = reverse("feeds:topic", args=[normalize_tag(part)])
                    links.append(f'<a href="{url}">#{part}</a>')
            return "".join(links)
        if token.startswith("@"):
            name = m.group("user")
            if name.lower() in known:
                url = reverse("web:profile", args=[name.lower()])
                return f'<a href="{url}">{token}</a>'
            return token
        return f'<a href="{token}">{token}</a>'

    pattern = re.compile(
        r"(?P<url>https?://[^\s<>\"']{1,2000})"
        rf"|(?<![\w&/])#(?P<tag>{_TAG}(?:#{_TAG}(?=#))*)#?"
        r"|(?<![\w@/])@(?P<user>[A-Za-z0-9_]{2,30})\b",
        re.UNICODE,
    )
    linked = pattern.sub(link, escaped)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n{2,}", linked.strip()) if p]
    return sanitize("".join(f"<p>{p}</p>" for p in paragraphs))


# ----------------------------------------------------------------------------------------------
# Language detection (lingua). Codes are BCP-47-ish: "en", "zh", "ja", ...; "und" when unknown.

_STRIP_FOR_DETECTION = re.compile(
    r"https?://\S+|(?<![\w&/])#[^\W_][\w]{0,63}#?|@[A-Za-z0-9_]{2,30}", re.UNICODE
)
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")


@dataclass(frozen=True)
class DetectedLanguage:
    code: str
    confidence: float


UNDETERMINED = DetectedLanguage("und", 0.0)


@functools.cache
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    langs = [
        Language.ENGLISH,
        Language.CHINESE,
        Language.JAPANESE,
        Language.KOREAN,
        Language.SPANISH,
        Language.FRENCH,
        Language.GERMAN,
        Language.PORTUGUESE,
        Language.RUSSIAN,
        Language.ITALIAN,
        Language.VIETNAMESE,
        Language.THAI,
        Language.INDONESIAN,
        Language.ARABIC,
    ]
    return LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(0.0).build()


def _letters(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in {"L"})


def detect_language(text: str) -> DetectedLanguage:
    """Detect the dominant language of short social text; emoji, tags, mentions and URLs are ignored."""
    stripped = _STRIP_FOR_DETECTION.sub(" ", text or "")
    letters = _letters(stripped)
    if not letters:
        return UNDETERMINED
    han = len(_HAN_RE.findall(letters))
    if _KANA_RE.search(letters):
        pass  # let lingua decide between Japanese and Chinese
    elif han and han / len(letters) >= 0.3:
        return DetectedLanguage("zh", round(min(1.0, 0.5 + han / len(letters) / 2), 3))
    elif _HANGUL_RE.search(letters) and len(_HANGUL_RE.findall(letters)) / len(letters) >= 0.3:
        return DetectedLanguage("ko", 0.9)
    if len(letters) < 2:
        return UNDETERMINED
    values = _detector().compute_language_confidence_values(stripped)
    if not values:
        return UNDETERMINED
    best = values[0]
    iso = best.language.iso_code_639_1.name.lower()
    return DetectedLanguage(iso, round(float(best.value), 3))
