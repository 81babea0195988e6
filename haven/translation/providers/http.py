"""JSON over HTTP for remote providers, through haven.core.fetch.safe_fetch only."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from haven.core.fetch import FetchError, safe_fetch
from haven.translation.providers.base import ProviderError, provider_timeout, provider_too_large

#: Answers may be this many times the request's text, plus a fixed allowance for the JSON around it.
ANSWER_BYTES_FACTOR = 4
ANSWER_BYTES_ALLOWANCE = 64 * 1024


def answer_limit(texts: list[str]) -> int:
    return ANSWER_BYTES_FACTOR * sum(len(t.encode("utf-8")) for t in texts) + ANSWER_BYTES_ALLOWANCE


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    timeout: float,
    max_bytes: int,
    allow_private: bool,
) -> Any:
    """POST `payload` as JSON and return the decoded JSON answer; every failure is a ProviderError."""
    try:
        result = safe_fetch(
            url,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json", **(headers or {})},
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            timeout=timeout,
            max_bytes=max_bytes,
            allow_private=allow_private,
        )
    except FetchError as exc:
        if exc.code == "fetch_timeout":
            raise provider_timeout() from None
        if exc.code == "fetch_too_large":
            raise provider_too_large() from None
        raise ProviderError(
            _("The translation service could not be reached."), details={"reason": exc.code}
        ) from None
    if not 200 <= result.status < 300:
        raise ProviderError(
            _("The translation service refused the request."), details={"status": result.status}
        )
    try:
        return json.loads(result.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ProviderError(_("The translation service sent back something unreadable.")) from None


def malformed() -> ProviderError:
    return ProviderError(_("The translation service sent back something unreadable."))
