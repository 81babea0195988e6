"""Translation in conversations: private providers only, mixed-language messages, auto-translate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from haven.accounts.tests.factories import UserFactory
from haven.messaging import access, selectors, services
from haven.messaging.translate import auto_translations, message_translate
from haven.notes.tests.factories import follow
from haven.translation.services import TranslationUnavailable
from haven.translation.tests.conftest import FakeServer, provider

pytestmark = pytest.mark.django_db


def _fake(body: dict[str, Any]) -> tuple[int, bytes]:
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    out = [f"[{body['source']}-{body['target']}] {t}" for t in texts]
    return 200, json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}).encode()


@pytest.fixture
def server() -> Iterator[FakeServer]:
    cache.clear()
    fake = FakeServer(_fake)
    yield fake
    fake.close()
    cache.clear()


@pytest.fixture
def chat() -> tuple[Any, Any, int]:
    wang, amy = (
        UserFactory(interface_language="zh-hans", languages=["zh-Hans"]),
        UserFactory(languages=["en"]),
    )
    follow(amy, wang)
    follow(wang, amy)
    conv = services.direct_open(sender=wang, recipient=amy)
    return wang, amy, conv.pk


def test_private_messages_never_reach_a_provider_not_allowed_for_them(
    server: FakeServer, chat: Any, settings: Any
) -> None:
    wang, amy, conv = chat
    settings.TRANSLATION_PROVIDERS = [
        provider("libretranslate", server.url)
    ]  # not allowed for private content
    sent = services.message_send(
        sender=wang, conversation_id=conv, body="周末一起去爬山吧，天气预报说是晴天。"
    ).message
    with pytest.raises(TranslationUnavailable):
        message_translate(viewer=amy, message_id=sent.pk, target="en")
    assert server.requests == []
    response = Client()
    response.force_login(amy)
    answer = response.post(f"/api/v1/dm/items/{sent.pk}/translate")
    assert answer.status_code == 503 and answer.json()["code"] == "translation_unavailable"


def test_translate_one_message_and_mixed_language(server: FakeServer, chat: Any, settings: Any) -> None:
    wang, amy, conv = chat
    settings.TRANSLATION_PROVIDERS = [
        provider("libretranslate", server.url, allowed_for_private_content=True)
    ]
    sent = services.message_send(
        sender=wang, conversation_id=conv, body="周末一起去爬山吧，天气预报说是晴天。"
    ).message
    result = message_translate(viewer=amy, message_id=sent.pk, target="en")
    assert result.text.startswith("[zh") and not result.not_needed
    mixed = services.message_send(
        sender=wang, conversation_id=conv, body="今天的咖啡太好喝了！See you tomorrow at the station."
    ).message
    result = message_translate(viewer=amy, message_id=mixed.pk, target="en")
    # The Chinese sentence is translated, the English one kept as it was.
    assert "See you tomorrow at the station." in result.text
    assert "[zh" in result.text
    sent_texts = [t for r in server.requests for t in (r["q"] if isinstance(r["q"], list) else [r["q"]])]
    assert all("See you tomorrow" not in t for t in sent_texts)
    # Someone outside the conversation cannot have it translated.
    with pytest.raises(Exception) as exc:
        message_translate(viewer=UserFactory(), message_id=sent.pk, target="en")
    assert getattr(exc.value, "code", "") == "not_found"


def test_auto_translate_for_the_reader_only_and_cached(server: FakeServer, chat: Any, settings: Any) -> None:
    wang, amy, conv = chat
    settings.TRANSLATION_PROVIDERS = [
        provider("libretranslate", server.url, allowed_for_private_content=True)
    ]
    services.message_send(sender=wang, conversation_id=conv, body="我们明天早上九点在地铁站见面。")
    services.message_send(sender=amy, conversation_id=conv, body="Sounds good, see you there!")
    services.participation_update(user=amy, conversation_id=conv, auto_translate=True)
    mine = access.participation_or_404(amy, conv)
    rows, _ = selectors.messages_page(mine)
    translations = auto_translations(amy, mine, rows)
    assert list(translations) == [rows[0].pk]  # not her own English message
    calls = len(server.requests)
    again = auto_translations(amy, mine, rows)
    assert again == translations and len(server.requests) == calls  # from the cache
    payloads = selectors.message_payloads(amy, rows, translations=translations)
    assert payloads[0]["translation"]["target_language"] == "en" and payloads[0]["body"].startswith("我们")
    # Wang reads Chinese; turning it on for himself translates Amy's English into Chinese.
    services.participation_update(user=wang, conversation_id=conv, auto_translate=True)
    his = access.participation_or_404(wang, conv)
    theirs = auto_translations(wang, his, rows)
    assert list(theirs) == [rows[1].pk] and theirs[rows[1].pk]["target_language"] == "zh-Hans"
