"""Machine-translation providers: the registry built from settings (TRANSLATION_PROVIDERS) and from the
providers staff configure in the admin (ProviderConfig rows), merged."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache

from config.env import TranslationProviderConfig
from haven.translation.providers.base import Provider, ProviderError, pair_matches

__all__ = [
    "Provider",
    "ProviderError",
    "build_provider",
    "config_from_row",
    "configured_providers",
    "invalidate",
    "route_for",
]

logger = logging.getLogger(__name__)

#: Other processes see an admin change within this many seconds even when the cache is not shared.
DB_TTL_SECONDS = 30.0
#: Bumped (in the shared cache) whenever staff change a provider, so every process reloads at once.
VERSION_KEY = "translation:providers:version"

_lock = threading.Lock()
_registry: tuple[str, dict[str, Provider]] | None = None
# (version seen in the cache, loaded at (monotonic), provider entries from the database)
_db_rows: tuple[str, float, list[dict[str, Any]]] | None = None


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


def split_pairs(text: str) -> list[str]:
    """ "zh-en, en-zh" -> ["zh-en", "en-zh"] (commas, spaces or new lines between pairs)."""
    return [p for p in text.replace(",", " ").split() if p][:200]


def config_from_row(row: Any) -> dict[str, Any]:
    """A ProviderConfig row as a HAVEN_TRANSLATION_PROVIDERS entry."""
    return {
        "id": row.name,
        "kind": row.kind,
        "pairs": split_pairs(row.pairs) or ["*"],
        "version": row.version or "1",
        "path": row.model_path,
        "url": row.endpoint_url,
        "api_key": row.api_key,
        "model": row.model,
        "trusted_local": row.trusted_local,
        "allowed_for_private_content": row.allowed_for_private_content,
        "codes": dict(row.codes or {}),
    }


def _cache_version() -> str:
    """The providers' version in the shared cache (a fresh one is set when the key is missing, so a
    cleared cache reloads too); "cache-down" when the cache cannot be reached (the TTL still applies)."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # a cache that is down must not take translation (or the page) with it
        return "cache-down"
    return str(version)


def invalidate() -> None:
    """Staff changed a provider: every process reloads the database providers on its next call."""
    global _db_rows
    _db_rows = None
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("could not bump the translation provider version in the cache")


def _database_entries() -> list[dict[str, Any]]:
    """Enabled admin-configured providers, by priority; reloaded when the version key changes or
    after DB_TTL_SECONDS (so processes that do not share the cache catch up too)."""
    global _db_rows
    version = _cache_version()
    now = time.monotonic()
    current = _db_rows
    if current is not None and current[0] == version and now - current[1] < DB_TTL_SECONDS:
        return current[2]
    from haven.translation.models import ProviderConfig

    try:
        rows = [
            config_from_row(r) for r in ProviderConfig.objects.filter(enabled=True).order_by("priority", "id")
        ]
    except Exception:  # no table yet (before migrate) or the database is away: environment only
        logger.warning("translation providers could not be read from the database", exc_info=True)
        rows = []
    _db_rows = (version, now, rows)
    return rows


def configured_providers() -> dict[str, Provider]:
    """Providers by id: the environment's in configuration order, then the admin's by priority (an id
    set in the environment wins). Rebuilt only when either changes."""
    global _registry
    raw: list[Any] = list(getattr(settings, "TRANSLATION_PROVIDERS", []) or [])
    raw += _database_entries()
    fingerprint = json.dumps(raw, sort_keys=True, default=str)
    current = _registry
    if current is not None and current[0] == fingerprint:
        return current[1]
    with _lock:
        if _registry is not None and _registry[0] == fingerprint:
            return _registry[1]
        providers: dict[str, Provider] = {}
        for entry in raw:
            try:
                config = TranslationProviderConfig.model_validate(entry)
            except ValueError:
                logger.warning("translation provider %r is misconfigured; skipped", entry.get("id"))
                continue
            providers.setdefault(config.id, build_provider(config))
        _registry = (fingerprint, providers)
        return providers


def allows_private(provider: Provider) -> bool:
    config = getattr(provider, "config", None)
    return bool(getattr(config, "allowed_for_private_content", False))


def route_for(source: str, target: str, *, private: bool = False) -> list[Provider]:
    """Providers to try for source -> target, in order: the configured route for the pair (then
    "src-*", "*-tgt", "*"), else every provider that supports the pair, in configuration order.
    With `private` (followers-only or only-me content), only providers allowed for private content."""
    from haven.core.text import base_language

    providers = configured_providers()
    routes: dict[str, list[str]] = dict(getattr(settings, "TRANSLATION_ROUTES", {}) or {})
    src, tgt = base_language(source), base_language(target)
    chosen: list[Provider] | None = None
    for key in (f"{src}-{tgt}", f"{src}-*", f"*-{tgt}", "*"):
        if key in routes:
            chosen = [
                p for p in (providers[pid] for pid in routes[key] if pid in providers) if p.supports(src, tgt)
            ]
            break
    if chosen is None:
        chosen = [p for p in providers.values() if pair_matches(p.pairs, src, tgt)]
    if private:
        chosen = [p for p in chosen if allows_private(p)]
    return chosen
