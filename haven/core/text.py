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
# Language detection (lingua + script counts). Codes are BCP-47-ish: "en", "ja", "ko", ...;
# Chinese is "zh-Hans" (Simplified) or "zh-Hant" (Traditional); "und" when undetermined.

_STRIP_FOR_DETECTION = re.compile(
    rf"https?://\S+|www\.\S+|{HASHTAG_RE.pattern}|@[A-Za-z0-9_]{{2,30}}", re.UNICODE
)
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:'[A-Za-z]+)?")

#: Fewer letters than this (outside CJK) is too little to tell a language from.
MIN_LATIN_LETTERS = 3
#: One Han character carries about as much as this many Latin letters (used to weigh mixed text).
HAN_WEIGHT = 3.0


@dataclass(frozen=True)
class DetectedLanguage:
    """`code` is the dominant language; `secondary` the other language of mixed text (zh + en), if any."""

    code: str
    confidence: float
    secondary: str | None = None

    @property
    def mixed(self) -> bool:
        return self.secondary is not None


UNDETERMINED = DetectedLanguage("und", 0.0)


def base_language(code: str) -> str:
    """The language without script or region: "zh-Hant" -> "zh", "en-GB" -> "en", "" -> "und"."""
    base = (code or "").replace("_", "-").split("-", 1)[0].lower()
    return base or "und"


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


def _chinese_variant(han: str) -> tuple[str, float]:
    """zh-Hant when Traditional-only characters outnumber Simplified-only ones, else zh-Hans."""
    import hanzidentifier

    traditional = simplified = 0
    for ch in han:
        is_trad, is_simp = hanzidentifier.is_traditional(ch), hanzidentifier.is_simplified(ch)
        if is_trad and not is_simp:
            traditional += 1
        elif is_simp and not is_trad:
            simplified += 1
    if traditional > simplified:
        return "zh-Hant", traditional / (traditional + simplified)
    if simplified:
        return "zh-Hans", simplified / (traditional + simplified)
    return "zh-Hans", 0.6  # only characters shared by both scripts: Simplified is the likelier reading


def _latin_language(text: str, letters: int) -> tuple[str, float]:
    """Lingua's best guess for alphabetic text; short social text leans to English when it is close."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return "und", 0.0
    best = values[0]
    code, confidence = best.language.iso_code_639_1.name.lower(), float(best.value)
    if code != "en" and letters < 12:
        english = next((float(v.value) for v in values if v.language.iso_code_639_1.name == "EN"), 0.0)
        if english >= 0.15:
            code, confidence = "en", english
    return code, confidence


def detect_language(text: str) -> DetectedLanguage:
    """Detect the dominant language of short social text; emoji, tags, mentions and URLs are ignored.

    Chinese is told apart as zh-Hans / zh-Hant; text mixing Chinese with a Latin-script language gets
    the other one as `secondary`; emoji-, tag- or URL-only and too-short text is "und".
    """
    stripped = _STRIP_FOR_DETECTION.sub(" ", (text or "")[:5000])
    letters = _letters(stripped)
    if not letters:
        return UNDETERMINED
    han = "".join(_HAN_RE.findall(letters))
    kana = len(_KANA_RE.findall(letters))
    hangul = len(_HANGUL_RE.findall(letters))
    latin_words = _LATIN_WORD_RE.findall(stripped)
    latin = sum(len(w) for w in latin_words)
    cjk = len(han) + kana + hangul
    if kana and kana >= 0.1 * (len(han) + kana):
        return DetectedLanguage("ja", round(min(1.0, 0.6 + 0.4 * (len(han) + kana) / len(letters)), 3))
    if hangul and hangul >= 0.5 * cjk:
        return DetectedLanguage("ko", round(min(1.0, 0.6 + 0.4 * cjk / len(letters)), 3))
    if len(han) >= 2 or (han and latin < MIN_LATIN_LETTERS and len(letters) > len(han)):
        han_weight, latin_weight = HAN_WEIGHT * len(han), float(latin)
        if han_weight >= latin_weight:
            code, script_share = _chinese_variant(han)
            share = han_weight / (han_weight + latin_weight)
            confidence = (0.5 + 0.5 * share) * (0.7 + 0.3 * script_share) * (1.0 if len(han) >= 4 else 0.8)
            secondary = None
            if latin >= MIN_LATIN_LETTERS:
                secondary = _latin_language(" ".join(latin_words), latin)[0] if latin >= 12 else "en"
            secondary = secondary if secondary != "und" else None
            return DetectedLanguage(code, round(min(1.0, confidence), 3), secondary)
    if latin < MIN_LATIN_LETTERS and len(letters) - len(han) < MIN_LATIN_LETTERS:
        return UNDETERMINED
    latin_text = _HAN_RE.sub(" ", stripped)
    code, confidence = _latin_language(latin_text, latin or len(letters))
    if code == "und":
        return UNDETERMINED
    secondary = _chinese_variant(han)[0] if len(han) >= 2 else None
    if secondary:
        confidence *= latin / (latin + HAN_WEIGHT * len(han))
    return DetectedLanguage(code, round(min(1.0, confidence), 3), secondary)
