"""OpenAI-compatible chat completions (OpenAI, vLLM, llama.cpp server, Ollama...) as a translator."""

from __future__ import annotations

import time

from config.env import TranslationProviderConfig
from haven.translation.providers.base import pair_matches, provider_code, provider_timeout
from haven.translation.providers.http import answer_limit, malformed, post_json

SYSTEM_PROMPT = (
    "You are a translation engine for a social network. Translate the user's message from {source} "
    "to {target}. Keep every #hashtag, @mention, URL and emoji exactly as written. Keep line breaks. "
    "Reply with the translation only: no explanations, no quotes, no notes."
)


class OpenAIProvider:
    """One chat-completion request per text (numbered-line batching proved brittle with small models)."""

    kind = "openai"

    def __init__(self, config: TranslationProviderConfig) -> None:
        self.config = config
        self.id = config.id
        self.pairs = tuple(config.pairs)
        self.key = f"{config.id}:{config.model or 'default'}:{config.version}"[:64]

    def supports(self, source: str, target: str) -> bool:
        return pair_matches(self.pairs, source, target)

    def endpoint(self) -> str:
        base = self.config.url.rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        return base + ("/chat/completions" if base.endswith("/v1") else "/v1/chat/completions")

    def translate_batch(self, texts: list[str], source: str, target: str, *, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        system = SYSTEM_PROMPT.format(
            source=provider_code(self.config.codes, source), target=provider_code(self.config.codes, target)
        )
        out: list[str] = []
        for text in texts:
            left = deadline - time.monotonic()
            if left <= 0:
                raise provider_timeout()
            payload = {
                "model": self.config.model or "default",
                "temperature": 0,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": text}],
            }
            answer = post_json(
                self.endpoint(),
                payload,
                headers=headers,
                timeout=left,
                max_bytes=answer_limit([text]),
                allow_private=self.config.trusted_local,
            )
            try:
                content = answer["choices"][0]["message"]["content"]
            except (KeyError, IndexError, TypeError):
                raise malformed() from None
            if not isinstance(content, str):
                raise malformed()
            out.append(content.strip())
        return out
