"""Writes of admin-configured translation providers, and the "Test this provider" check."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from config.env import TranslationProviderConfig
from haven.core.errors import HavenError, NotFound
from haven.core.text import base_language
from haven.translation import providers
from haven.translation.models import ProviderConfig

#: What "Test this provider" translates, by source language (base codes); English for the rest.
SAMPLES = {
    "zh": "今天天气很好，我们去喝咖啡吧。",
    "en": "The weather is lovely today; let's go for a coffee.",
    "ja": "今日はいい天気ですね。",
    "ko": "오늘 날씨가 좋네요.",
}


@dataclass(frozen=True)
class ProviderTestResult:
    ok: bool
    source: str
    target: str
    sample: str
    output: str = ""
    latency_ms: int = 0
    code: str = ""  # a stable error code when not ok
    message: str = ""


def _changed() -> None:
    providers.invalidate()  # this process, and (through the shared cache) the others, at once
    transaction.on_commit(providers.invalidate)  # again once committed, so nobody keeps the old rows


def provider_config_save(*, config: ProviderConfig) -> ProviderConfig:
    """Validate (model validators and the provider schema) and save a provider; routing picks it up."""
    config.full_clean()
    try:
        TranslationProviderConfig.model_validate(providers.config_from_row(config))
    except ValidationError as exc:
        from django.core.exceptions import ValidationError as DjangoValidationError

        raise DjangoValidationError(str(exc.errors()[0].get("msg", exc))) from None
    config.save()
    _changed()
    return config


def provider_config_delete(*, config_id: int) -> None:
    deleted, _detail = ProviderConfig.objects.filter(pk=config_id).delete()
    if not deleted:
        raise NotFound(_("Not found."))
    _changed()


def sample_pair(pairs: list[str]) -> tuple[str, str]:
    """A concrete (source, target) the provider claims to serve: Chinese into English when it can."""
    for pair in pairs:
        if pair == "*":
            return "zh", "en"
        left, _sep, right = pair.partition("-")
        src = left if left != "*" else ("en" if right == "zh" else "zh")
        tgt = right if right != "*" else ("en" if src != "en" else "zh")
        if src != tgt:
            return src, tgt
    return "zh", "en"


def provider_test(*, config_id: int) -> ProviderTestResult:
    """Translate a short sample through the provider's real code path (the same checks and cleaning as
    members' translations, nothing cached). Works on disabled providers too, so staff test before
    enabling. Never raises for a provider failure: the result carries the stable error code."""
    row = ProviderConfig.objects.filter(pk=config_id).first()
    if row is None:
        raise NotFound(_("Not found."))
    from haven.translation.services import call_route

    entry = providers.config_from_row(row)
    source, target = sample_pair(entry["pairs"])
    sample = SAMPLES.get(base_language(source), SAMPLES["en"])
    try:
        provider = providers.build_provider(TranslationProviderConfig.model_validate(entry))
    except ValidationError:
        return ProviderTestResult(
            ok=False,
            source=source,
            target=target,
            sample=sample,
            code="invalid_provider_config",
            message=_("This configuration is not valid."),
        )
    started = time.monotonic()
    try:
        _provider, (output,) = call_route([provider], [sample], source, target)
    except HavenError as exc:
        return ProviderTestResult(
            ok=False,
            source=source,
            target=target,
            sample=sample,
            latency_ms=round((time.monotonic() - started) * 1000),
            code=exc.code,
            message=str(exc.message),
        )
    except Exception as exc:  # a broken local model or library: report it, never a 500 in the admin
        return ProviderTestResult(
            ok=False,
            source=source,
            target=target,
            sample=sample,
            latency_ms=round((time.monotonic() - started) * 1000),
            code="translation_failed",
            message=type(exc).__name__,
        )
    return ProviderTestResult(
        ok=True,
        source=source,
        target=target,
        sample=sample,
        output=output,
        latency_ms=round((time.monotonic() - started) * 1000),
    )
