"""Language detection on realistic social text: mixed zh/en, emoji, tags, short text, scripts."""

from __future__ import annotations

import pytest

from haven.core.text import DetectedLanguage, base_language, detect_language
from haven.translation.selectors import needs_translation


@pytest.mark.parametrize(
    ("text", "code", "secondary"),
    [
        ("今天去了 Trader Joe's 买了好多 snacks 😋", "zh-Hans", "en"),
        ("lol 这个太好笑了", "zh-Hans", "en"),
        ("周末去 Costco 囤货", "zh-Hans", "en"),
        ("我們今天去喝咖啡", "zh-Hant", None),
        ("這家店的蛋糕超好吃 recommend!!", "zh-Hant", "en"),
        ("我们今天去喝咖啡，天气很好", "zh-Hans", None),
        ("I love 火锅 so much, best dinner ever", "en", "zh-Hans"),
        ("Had the best brunch ever at this little place downtown", "en", None),
        ("東京でラーメンを食べました", "ja", None),
        ("오늘 날씨 좋다", "ko", None),
        ("Bonjour tout le monde, je suis à Paris pour le week-end", "fr", None),
        ("@amy_b 好看", "zh-Hans", None),
    ],
)
def test_detects_language_and_mix(text: str, code: str, secondary: str | None) -> None:
    detected = detect_language(text)
    assert (detected.code, detected.secondary) == (code, secondary)
    assert 0 < detected.confidence <= 1
    assert detected.mixed is (secondary is not None)


@pytest.mark.parametrize(
    "text",
    [
        "🔥🔥🔥",
        "#OOTD #穿搭",
        "#咖啡#下午茶#",
        "ok",
        "https://example.com/x",
        "@amy_b",
        "好",
        "",
        "   ",
        "!!!",
    ],
)
def test_undetermined(text: str) -> None:
    assert detect_language(text) == DetectedLanguage("und", 0.0)


def test_codes_fit_the_columns_and_old_callers() -> None:
    detected = detect_language("今天的拿铁很好喝")
    code, confidence = detected.code, detected.confidence  # what notes and engagement store
    assert len(code) <= 8 and isinstance(confidence, float)
    assert DetectedLanguage("en", 0.9).secondary is None


def test_mostly_chinese_is_more_confident_than_a_mix() -> None:
    assert (
        detect_language("今天我们去喝咖啡").confidence
        > detect_language("今天 coffee with friends").confidence
    )


@pytest.mark.parametrize(
    ("code", "base"),
    [("zh-Hant", "zh"), ("zh-Hans", "zh"), ("zh", "zh"), ("en-GB", "en"), ("", "und"), ("EN", "en")],
)
def test_base_language(code: str, base: str) -> None:
    assert base_language(code) == base


def test_needs_translation() -> None:
    assert needs_translation("zh-Hant", ["en"])
    assert not needs_translation("zh-Hant", ["zh", "en"])
    assert not needs_translation("und", ["en"])
    assert not needs_translation("en", [])
