"""LibreTranslate over HTTP: POST /translate with a list of texts."""

from __future__ import annotations

from config.env import TranslationProviderConfig
from haven.translation.providers.base import pair_matches, provider_code
from haven.translation.providers.http import answer_limit, malformed, post_json


class LibreTranslateProvider:
    """A LibreTranslate server (self-hosted or remote); one request per batch."""

    kind = "libretranslate"

    def __init__(self, config: TranslationProviderConfig) -> None:
        self.config = config
        self.id = config.id
        self.pairs = tuple(config.pairs)
        self.key = f"{config.id}:{config.version}"[:64]

    def supports(self, source: str, target: str) -> bool:
        return pair_matches(self.pairs, source, target)

    def translate_batch(self, texts: list[str], source: str, target: str, *, timeout: float) -> list[str]:
        payload: dict[str, object] = {
            "q": texts,
            "source": provider_code(self.config.codes, source),
            "target": provider_code(self.config.codes, target),
            "format": "text",
        }
        if self.config.api_key:
            payload["api_key"] = self.config.api_key
        answer = post_json(
            self.config.url.rstrip("/") + "/translate",
            payload,
            timeout=timeout,
            max_bytes=answer_limit(texts),
            allow_private=self.config.trusted_local,
        )
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str) and len(texts) == 1:
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise malformed()
        if not all(isinstance(t, str) for t in translated):
            raise malformed()
        return list(translated)
