"""Providers through their real code: a tiny local CTranslate2 model and in-process HTTP servers."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from config.env import TranslationProviderConfig
from haven.translation.providers import (
    ProviderError,
    build_provider,
    configured_providers,
    local,
    route_for,
    segments,
)
from haven.translation.providers.base import pair_matches
from haven.translation.tests.conftest import hang, libretranslate_ok, openai_ok, provider


def make(entry: dict[str, Any]) -> Any:
    return build_provider(TranslationProviderConfig.model_validate(entry))


class TestLocalModel:
    def test_translates_through_the_real_model(self, tiny_model_dir: Path) -> None:
        p = make({"id": "tiny", "kind": "ctranslate2", "path": str(tiny_model_dir), "pairs": ["zh-en"]})
        out = p.translate_batch(["今天天气很好", "我们去喝咖啡。好！"], "zh", "en", timeout=30)
        assert len(out) == 2 and all(isinstance(t, str) and t for t in out)
        assert out == p.translate_batch(["今天天气很好", "我们去喝咖啡。好！"], "zh", "en", timeout=30)

    def test_keeps_tags_mentions_links_and_emoji(self, tiny_model_dir: Path) -> None:
        p = make({"id": "tiny", "kind": "ctranslate2", "path": str(tiny_model_dir)})
        (out,) = p.translate_batch(
            ["今天喝咖啡 😋 #咖啡# @amy_b https://example.com/a\n\n周末"], "zh", "en", timeout=30
        )
        for kept in ("😋", "#咖啡#", "@amy_b", "https://example.com/a", "\n\n"):
            assert kept in out

    def test_model_is_loaded_once_per_process_across_threads(self, tiny_model_dir: Path) -> None:
        loaded = [local.load_model(str(tiny_model_dir)) for _ in range(2)]
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda: results.append(local.load_model(str(tiny_model_dir))))
            for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(m is loaded[0] for m in loaded + results)
        assert loaded[0].append_eos  # OPUS-MT layout: source tokens end with </s>

    def test_argos_package_layout(self, tiny_argos_dir: Path) -> None:
        model = local.load_model(str(tiny_argos_dir))
        assert not model.append_eos
        p = make({"id": "argos", "kind": "ctranslate2", "path": str(tiny_argos_dir)})
        assert len(p.translate_batch(["hello world", "today we drink tea"], "en", "zh", timeout=30)) == 2

    def test_batching_respects_max_batch_size(self, tiny_model_dir: Path) -> None:
        p = make(
            {
                "id": "b",
                "kind": "ctranslate2",
                "path": str(tiny_model_dir),
                "max_batch_size": 2,
                "beam_size": 1,
            }
        )
        texts = [f"今天 {i}" for i in range(7)]
        assert len(p.translate_batch(texts, "zh", "en", timeout=30)) == 7

    def test_source_prefix_token(self, tiny_model_dir: Path) -> None:
        entry = {
            "id": "p",
            "kind": "ctranslate2",
            "path": str(tiny_model_dir),
            "source_prefix": ">>cmn_Hans<<",
        }
        assert len(make(entry).translate_batch(["today we drink tea"], "en", "zh", timeout=30)) == 1

    def test_missing_model_is_a_provider_error(self, tmp_path: Path) -> None:
        p = make({"id": "nope", "kind": "ctranslate2", "path": str(tmp_path)})
        with pytest.raises(ProviderError) as err:
            p.translate_batch(["今天"], "zh", "en", timeout=5)
        assert err.value.code == "translation_failed"


class TestLibreTranslate:
    def test_protocol(self, serve: Any) -> None:
        server = serve(libretranslate_ok)
        p = make(provider("libretranslate", server.url, api_key="k", codes={"zh": "zh-Hans"}))
        assert p.translate_batch(["你好", "早"], "zh-Hant", "en", timeout=5) == ["[en] 你好", "[en] 早"]
        assert server.paths == ["/translate"]
        assert server.requests[0] == {
            "q": ["你好", "早"],
            "source": "zh-Hans",
            "target": "en",
            "format": "text",
            "api_key": "k",
        }

    def test_private_address_refused_unless_trusted(self, serve: Any) -> None:
        server = serve(libretranslate_ok)
        p = make({"id": "lt", "kind": "libretranslate", "url": server.url, "trusted_local": False})
        with pytest.raises(ProviderError) as err:
            p.translate_batch(["你好"], "zh", "en", timeout=5)
        assert err.value.details == {"reason": "fetch_forbidden_address"}
        assert server.requests == []

    @pytest.mark.parametrize(
        "answer", [b"not json", b'{"translatedText": 3}', b'{"translatedText": ["a", "b", "c"]}', b"[]"]
    )
    def test_malformed_answers(self, serve: Any, answer: bytes) -> None:
        server = serve(lambda body: (200, answer))
        with pytest.raises(ProviderError) as err:
            make(provider("libretranslate", server.url)).translate_batch(["a", "b"], "zh", "en", timeout=5)
        assert err.value.code == "translation_failed"

    def test_error_status(self, serve: Any) -> None:
        server = serve(lambda body: (500, b'{"error": "boom"}'))
        with pytest.raises(ProviderError) as err:
            make(provider("libretranslate", server.url)).translate_batch(["a"], "zh", "en", timeout=5)
        assert err.value.details == {"status": 500}

    def test_huge_answer_is_refused(self, serve: Any) -> None:
        server = serve(lambda body: (200, json.dumps({"translatedText": ["x" * 1_000_000]}).encode()))
        with pytest.raises(ProviderError) as err:
            make(provider("libretranslate", server.url)).translate_batch(["你好"], "zh", "en", timeout=5)
        assert err.value.code == "translation_too_large"

    def test_hang_times_out(self, serve: Any) -> None:
        server = serve(hang(3))
        with pytest.raises(ProviderError) as err:
            make(provider("libretranslate", server.url)).translate_batch(["你好"], "zh", "en", timeout=0.5)
        assert err.value.code == "translation_timeout" and err.value.status == 504


class TestOpenAI:
    def test_protocol(self, serve: Any) -> None:
        server = serve(openai_ok)
        p = make(provider("openai", server.url, api_key="sk-test", model="qwen2.5"))
        assert p.translate_batch(["你好 #咖啡", "早"], "zh", "en", timeout=5) == ["EN: 你好 #咖啡", "EN: 早"]
        assert server.paths == ["/v1/chat/completions"] * 2
        body = server.requests[0]
        assert body["model"] == "qwen2.5" and body["temperature"] == 0
        assert body["messages"][0]["role"] == "system" and "#hashtag" in body["messages"][0]["content"]
        assert server.headers[0]["authorization"] == "Bearer sk-test"

    def test_base_url_with_v1(self, serve: Any) -> None:
        server = serve(openai_ok)
        make(provider("openai", server.url + "/v1")).translate_batch(["你好"], "zh", "en", timeout=5)
        assert server.paths == ["/v1/chat/completions"]

    def test_malformed(self, serve: Any) -> None:
        server = serve(lambda body: (200, b'{"choices": []}'))
        with pytest.raises(ProviderError):
            make(provider("openai", server.url)).translate_batch(["你好"], "zh", "en", timeout=5)


class TestRegistry:
    def test_pairs(self) -> None:
        assert pair_matches(("zh-en",), "zh-Hant", "en")
        assert not pair_matches(("zh-en",), "en", "zh")
        assert pair_matches(("*-en",), "ja", "en") and pair_matches(("*",), "en", "zh")
        assert not pair_matches(("*",), "zh-Hans", "zh-Hant")  # same base language
        assert not pair_matches(("*",), "und", "en")

    def test_routes_order_and_fallbacks(self, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = [
            {"id": "a", "kind": "libretranslate", "url": "http://127.0.0.1:1", "pairs": ["*"]},
            {"id": "b", "kind": "openai", "url": "http://127.0.0.1:1", "pairs": ["zh-en"]},
        ]
        settings.TRANSLATION_ROUTES = {"zh-en": ["b", "a", "missing"]}
        assert [p.id for p in route_for("zh-Hant", "en")] == ["b", "a"]
        assert [p.id for p in route_for("en", "zh")] == ["a"]
        assert set(configured_providers()) == {"a", "b"}

    def test_nothing_configured(self, settings: Any) -> None:
        settings.TRANSLATION_PROVIDERS = []
        assert route_for("zh", "en") == []


def test_segments_round_trip() -> None:
    text = "今天去了 Trader Joe's 😋 #好物分享# @amy_b https://x.com/a?b=1\n\n第二段。真的好吃！Wow. Great!!"
    pieces = segments.split(text)
    assert "".join(p.text for p in pieces) == text
    assert not any(
        p.translate for p in pieces if p.text in {"😋", "#好物分享#", "@amy_b", "https://x.com/a?b=1"}
    )
    assert segments.join(["Hello", "😋", "world"], "en") == "Hello 😋 world"
    assert segments.join(["你好", "世界"], "zh-Hans") == "你好世界"
