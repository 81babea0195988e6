"""Machine-translation providers: the registry built from settings (TRANSLATION_PROVIDERS)."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.conf import settings

from config.env import TranslationProviderConfig
from haven.translation.providers.base import Provider, ProviderError, pair_matches

__all__ = ["Provider", "ProviderError", "build_provider", "configured_providers", "route_for"]

_lock = threading.Lock()
_registry: tuple[str, dict[str, Provider]] | None = None


def build_provider(config: TranslationProviderConfig) -> Provider:
    """One provider object for one configuration entry (models are loaded lazily, on first use)."""
    if config.kind == "ctranslate2":
        from haven.translation.providers.local import CTranslate2Provider

        return CTranslate2Provider(config)
    if config.kind == "libretranslate":
        from haven.translation.providers.libretranslate import LibreTranslateProvider

        return LibreTranslateProvider(config)
    from haven.translation.providers.openai import OpenAIProvider

    return OpenAIProvider(config)


def configured_providers() -> dict[str, Provider]:
    """Providers by id, in configuration order; rebuilt only when the settings change."""
    global _registry
    raw: list[Any] = list(getattr(settings, "TRANSLATION_PROVIDERS", []) or [])
    fingerprint = json.dumps(raw, sort_keys=True, default=str)
    current = _registry
    if current is not None and current[0] == fingerprint:
        return current[1]
    with _lock:
        if _registry is not None and _registry[0] == fingerprint:
            return _registry[1]
        providers: dict[str, Provider] = {}
        for entry in raw:
            config = TranslationProviderConfig.model_validate(entry)
            providers.setdefault(config.id, build_provider(config))
        _registry = (fingerprint, providers)
        return providers


def route_for(source: str, target: str) -> list[Provider]:
    """Providers to try for source -> target, in order: the configured route for the pair (then
    "src-*", "*-tgt", "*"), else every provider that supports the pair, in configuration order."""
    from haven.core.text import base_language

    providers = configured_providers()
    routes: dict[str, list[str]] = dict(getattr(settings, "TRANSLATION_ROUTES", {}) or {})
    src, tgt = base_language(source), base_language(target)
    for key in (f"{src}-{tgt}", f"{src}-*", f"*-{tgt}", "*"):
        if key in routes:
            chosen = [providers[pid] for pid in routes[key] if pid in providers]
            return [p for p in chosen if p.supports(src, tgt)]
    return [p for p in providers.values() if pair_matches(p.pairs, src, tgt)]
