"""Translation in conversations: one message on request, or every message for a reader who turned on
auto-translate for the conversation.

Messages are private: they go only to providers the operator marked as allowed for private content
(ARCHITECTURE.md rule 15, `translate_texts(private=True)`); local models are, remote endpoints are
not unless the operator says so. A message mixing languages ("今天的 coffee 太好喝了! See you
tomorrow") is split into sentences, and each sentence is translated from its own language (the ones
already in the target language are kept). Results come from and go to the shared translation cache.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from haven.core.errors import HavenError
from haven.core.text import base_language, detect_language, render_rich_text
from haven.messaging import access
from haven.messaging.models import Message, Participant
from haven.translation.aids_selectors import reader_languages, text_language_code
from haven.translation.providers import segments
from haven.translation.selectors import needs_translation
from haven.translation.services import MAX_TEXTS, normalize_target, translate_texts

logger = logging.getLogger(__name__)

#: Auto-translate translates at most this many messages per page read (the rest on the next read).
AUTO_MAX = 30


@dataclass(frozen=True)
class MessageTranslation:
    message_id: int
    text: str
    html: str
    source_language: str
    target_language: str
    provider: str
    not_needed: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source_language": self.source_language,
            "target_language": self.target_language,
            "provider": self.provider,
            "not_needed": self.not_needed,
        }


def _translate_body(body: str, language: str, target: str, user: Any) -> tuple[str, str, bool]:
    """(text, provider, not_needed): sentence by sentence, each from its own detected language."""
    pieces = segments.split(body)
    translatable = [p.text for p in pieces if p.translate]
    if not translatable:
        return body, "", True
    if len(translatable) > MAX_TEXTS:  # a long message: translate it as one text
        (result,) = translate_texts(texts=[body], source=language, target=target, user=user, private=True)
        return (body, "", True) if result.not_needed else (result.text, result.provider, False)
    results = translate_texts(texts=translatable, source="", target=target, user=user, private=True)
    if all(r.not_needed for r in results):
        return body, "", True
    out: list[str] = []
    provider = ""
    answers = iter(results)
    for piece in pieces:
        if piece.translate:
            result = next(answers)
            out.append(piece.text if result.not_needed else result.text)
            provider = provider or result.provider
        else:
            out.append(piece.text)
    return segments.join(out, target), provider, False


def message_translate(*, viewer: Any, message_id: Any, target: str) -> MessageTranslation:
    """The message in `target`. NotFound when the viewer may not read it; TranslationUnavailable
    (503) when no provider allowed for private content serves the pair."""
    _participation, message = access.message_or_404(viewer, message_id)
    target = normalize_target(target)
    if not access.content_shown(message, int(viewer.pk)) or not message.body:
        return MessageTranslation(message.pk, "", "", message.language, target, "", True)
    text, provider, not_needed = _translate_body(message.body, message.language, target, viewer)
    return MessageTranslation(
        message_id=message.pk,
        text=text,
        html=render_rich_text(text),
        source_language=message.language,
        target_language=target,
        provider=provider,
        not_needed=not_needed,
    )


def reader_target(viewer: Any) -> str:
    return text_language_code(getattr(viewer, "interface_language", "en"))


def auto_translations(
    viewer: Any, participation: Participant, messages: Sequence[Message]
) -> dict[int, dict[str, Any]]:
    """Translations of the page's messages for a reader who turned on auto-translate here: only
    messages in none of the reader's languages, from others; a provider failure leaves them out
    (the reader still has the original and the translate button)."""
    if not participation.auto_translate:
        return {}
    target = reader_target(viewer)
    languages = reader_languages(viewer, getattr(viewer, "interface_language", "en"))
    out: dict[int, dict[str, Any]] = {}
    for message in messages:
        if len(out) >= AUTO_MAX:
            break
        if (
            message.sender_id == viewer.pk
            or not message.body
            or not access.content_shown(message, int(viewer.pk))
            or not _needs(message, languages)
        ):
            continue
        try:
            text, provider, not_needed = _translate_body(message.body, message.language, target, viewer)
        except HavenError as exc:
            logger.info("auto-translate skipped message %s: %s", message.pk, exc.code)
            break  # the same failure would repeat for the rest of the page
        if not not_needed:
            out[message.pk] = MessageTranslation(
                message.pk, text, render_rich_text(text), message.language, target, provider, False
            ).as_dict()
    return out


def _needs(message: Message, languages: list[str]) -> bool:
    if needs_translation(message.language, languages):
        return True
    # A mixed message whose main language the reader reads may still hold sentences they do not.
    read = {base_language(code) for code in languages}
    for piece in segments.split(message.body):
        if not piece.translate:
            continue
        detected = detect_language(piece.text)
        code = base_language(detected.code) if detected.confidence >= 0.5 else "und"
        if code != "und" and code not in read:
            return True
    return False
