"""Reads: which language pairs this server translates, and whether a text needs translating."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from haven.accounts.models import SUPPORTED_LANGUAGES
from haven.core.text import base_language
from haven.translation.providers import configured_providers, route_for


@dataclass(frozen=True)
class LanguagePair:
    source: str
    target: str
    providers: tuple[str, ...]  # provider ids in the order they are tried


@dataclass(frozen=True)
class ProviderInfo:
    id: str
    kind: str
    pairs: tuple[str, ...]


def providers_info() -> list[ProviderInfo]:
    """Configured providers without secrets (no URLs, keys or paths)."""
    return [ProviderInfo(id=p.id, kind=p.kind, pairs=p.pairs) for p in configured_providers().values()]


def available_pairs() -> list[LanguagePair]:
    """Every (source, target) pair of SUPPORTED_LANGUAGES some configured provider serves."""
    if not configured_providers():
        return []
    pairs = []
    for source in SUPPORTED_LANGUAGES:
        for target in SUPPORTED_LANGUAGES:
            if source != target:
                route = route_for(source, target)
                if route:
                    pairs.append(LanguagePair(source, target, tuple(p.id for p in route)))
    return pairs


def can_translate(source: str, target: str, *, private: bool = False) -> bool:
    """True when some provider serves source -> target (base codes compared: zh-Hant -> zh); with
    `private` (followers-only or only-me content), a provider allowed for private content."""
    src, tgt = base_language(source), base_language(target)
    if src == tgt or "und" in (src, tgt):
        return False
    return bool(route_for(src, tgt, private=private))


def machine_targets() -> set[str]:
    """Base codes of the languages some provider translates into (for the auto-translate setting)."""
    return {pair.target for pair in available_pairs()}


def is_private(visibility: str) -> bool:
    """Content that is not public goes only to providers allowed for private content (rule 15)."""
    return visibility != "public"


def needs_translation(text_language: str, reader_languages: Iterable[str]) -> bool:
    """True when a text in `text_language` is in none of the reader's languages (und never needs it)."""
    text = base_language(text_language)
    readers = {base_language(code) for code in reader_languages if code}
    return text != "und" and bool(readers) and text not in readers


def status_line() -> str:
    """One line for the operator (printed by `manage.py translation_status` when Haven starts)."""
    infos = providers_info()
    if not infos:
        return (
            "Machine translation: not configured (members get pinyin, dictionary glosses and authors' own "
            "translations); to add a translator, see docs/translation.md"
        )

    def pair(text: str) -> str:
        return "any→any" if text == "*" else text.replace("*", "any").replace("-", "→", 1)

    shown = "; ".join(f"{p.id} ({', '.join(pair(x) for x in p.pairs[:8])})" for p in infos[:6])
    return f"Machine translation: {shown} (manage providers at /admin/translation/providerconfig/)"
