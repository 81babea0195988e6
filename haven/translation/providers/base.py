"""The provider interface every machine-translation backend implements, and its errors."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _

from haven.core.errors import HavenError
from haven.core.text import base_language


class ProviderError(HavenError):
    """A provider failed or misbehaved. Codes: translation_failed, translation_timeout,
    translation_too_large. The service falls back to the next provider of the route."""

    status = 502
    code = "translation_failed"


def provider_timeout(message: object = None) -> ProviderError:
    return ProviderError(
        str(message or _("The translation service took too long to answer.")),
        code="translation_timeout",
        status=504,
    )


def provider_too_large() -> ProviderError:
    return ProviderError(_("The translation service sent back too much text."), code="translation_too_large")


@runtime_checkable
class Provider(Protocol):
    """A machine-translation backend. `key` names the provider and its model version (for the cache)."""

    id: str
    kind: str
    key: str
    pairs: tuple[str, ...]

    def supports(self, source: str, target: str) -> bool: ...

    def translate_batch(self, texts: list[str], source: str, target: str, *, timeout: float) -> list[str]: ...


def pair_matches(pairs: tuple[str, ...], source: str, target: str) -> bool:
    """True when a configured pair ("zh-en", "*", "zh-*", "*-en") covers source -> target (base codes)."""
    src, tgt = base_language(source), base_language(target)
    if src == tgt or "und" in (src, tgt):
        return False
    for pair in pairs:
        if pair == "*":
            return True
        left, _sep, right = pair.partition("-")
        if left in ("*", src) and right in ("*", tgt):
            return True
    return False


def provider_code(codes: dict[str, str], language: str) -> str:
    """The code a provider expects for a Haven language: the operator's mapping, else the base code."""
    return codes.get(language) or codes.get(base_language(language)) or base_language(language)
