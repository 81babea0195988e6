"""The shipped moderation classifiers load, score in the right direction, stay fast and small."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from haven.moderation import classifiers
from haven.moderation.classifiers import features, runtime

ABUSIVE_ZH = ["你这个傻逼，赶紧去死吧，垃圾东西", "黑鬼都是畜生，滚出中国"]
ABUSIVE_EN = [
    "You are a fucking idiot, shut up you stupid bitch",
    "go kill yourself you worthless piece of trash",
]
SPAM_ZH = [
    "加我微信 abc8899，每天动动手指日赚300元，宝妈学生党都可以做，点击链接 http://qq-money.top 免费领取",
    "恭喜您中奖了！请添加客服QQ 12345678 领取奖金 8888 元，名额有限马上联系",
]
SPAM_EN = [
    "WINNER!! You have been selected to receive a £900 prize reward! To claim call 09061701461.",
    "FREE entry to win a brand new iPhone! Text WIN to 87121 now or click http://win-prize.xyz to claim",
]
BENIGN_ZH = ["今天和朋友去公园散步，天气很好，心情也不错", "这家店的牛肉面很好吃，推荐大家去尝尝"]
BENIGN_EN = [
    "Had a lovely walk in the park with my sister this afternoon",
    "This pasta recipe is easy and delicious",
]


def test_shipped_artifacts_load_and_have_a_version():
    bundle = runtime.load_bundle()
    assert set(bundle.models) == {"abuse_zh", "abuse_en", "spam"}
    assert bundle.version == classifiers.MODEL_VERSION
    assert classifiers.MODEL_VERSION != "unavailable"


def test_artifacts_are_small_and_not_pickles():
    files = [p for p in runtime.ARTIFACTS_DIR.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 50 * 1024 * 1024
    assert {p.suffix for p in files} <= {".npz", ".json"}


def test_thresholds_are_ordered_per_category():
    th = classifiers.thresholds()
    assert set(th) == {"abuse", "spam"}
    for values in th.values():
        assert 0.0 < values["review"] < values["hold"] <= 1.0


@pytest.mark.parametrize(
    ("bad", "good", "lang"), [(ABUSIVE_ZH, BENIGN_ZH, "zh-Hans"), (ABUSIVE_EN, BENIGN_EN, "en")]
)
def test_abuse_scores_point_the_right_way(bad, good, lang):
    for language in (lang, None):
        bad_scores = [classifiers.score_text(t, language=language)["abuse"] for t in bad]
        good_scores = [classifiers.score_text(t, language=language)["abuse"] for t in good]
        assert min(bad_scores) > max(good_scores)
        assert min(bad_scores) > 0.5
        assert max(good_scores) < 0.5


@pytest.mark.parametrize(
    ("bad", "good", "lang"), [(SPAM_ZH, BENIGN_ZH, "zh-Hans"), (SPAM_EN, BENIGN_EN, "en")]
)
def test_spam_scores_point_the_right_way(bad, good, lang):
    bad_scores = [classifiers.score_text(t, language=lang)["spam"] for t in bad]
    good_scores = [classifiers.score_text(t, language=lang)["spam"] for t in good]
    assert min(bad_scores) > max(good_scores)
    assert min(bad_scores) > 0.5
    assert max(good_scores) < 0.5


def test_benign_texts_are_allowed():
    th = classifiers.thresholds()
    for text in BENIGN_ZH + BENIGN_EN:
        scores = classifiers.score_text(text)
        assert scores["abuse"] < th["abuse"]["review"]
        assert scores["spam"] < th["spam"]["review"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n", "🙂🙂🙂", "12345", "x", "Ｈｅｌｌｏ　ｗｏｒｌｄ", "混合 mixed 文本 text", "\x00\u200b"],
)
def test_scores_are_probabilities_for_odd_inputs(text):
    scores = classifiers.score_text(text, language="und")
    assert set(scores) == {"abuse", "spam"}
    assert all(0.0 <= v <= 1.0 for v in scores.values())


def test_blank_text_scores_zero():
    assert classifiers.score_text("") == {"abuse": 0.0, "spam": 0.0}
    assert classifiers.score_text(" \t\n") == {"abuse": 0.0, "spam": 0.0}


def test_very_long_text_is_bounded_and_fast():
    classifiers.warm_up()
    text = ("这是一段很长的文字 with some english words and http://example.com 13800138000 " * 2000)[:100_000]
    start = time.perf_counter()
    scores = classifiers.score_text(text)
    elapsed = time.perf_counter() - start
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert elapsed < 0.25  # generous for a shared CI machine; the training script measures the real figure
    assert len(features.clip(text)) <= features.MAX_CHARS + 1


def test_short_texts_are_fast():
    classifiers.warm_up()
    texts = BENIGN_EN + BENIGN_ZH + SPAM_EN + SPAM_ZH + ABUSIVE_EN + ABUSIVE_ZH
    start = time.perf_counter()
    for _ in range(10):
        for t in texts:
            classifiers.score_text(t)
    per_text = (time.perf_counter() - start) / (10 * len(texts))
    assert per_text < 0.02  # the script measures p99 on one quiet core; this only guards against regressions


def test_language_routing():
    assert runtime._abuse_models("anything", "zh-Hans") == ("abuse_zh",)
    assert runtime._abuse_models("anything", "en-GB") == ("abuse_en",)
    assert runtime._abuse_models("今天天气很好", None) == ("abuse_zh",)
    assert runtime._abuse_models("the weather is nice", "und") == ("abuse_en",)
    assert runtime._abuse_models("天气很好 weather nice", None) == ("abuse_zh", "abuse_en")
    assert runtime._abuse_models("🙂🙂", None) == ("abuse_zh", "abuse_en")


def test_mixed_text_takes_the_larger_abuse_score():
    bundle = runtime.load_bundle()
    text = "天气 weather, you stupid idiot"
    prep = features.prepare(text)
    both = max(bundle.models["abuse_zh"].proba(prep), bundle.models["abuse_en"].proba(prep))
    assert classifiers.score_text(text)["abuse"] == pytest.approx(both)


def test_scoring_is_deterministic_and_matches_batch_features():
    bundle = runtime.load_bundle()
    model = bundle.models["abuse_en"]
    text = "You are a stupid idiot"
    x = model.featurizer.transform([text])
    batch = float((x @ model.weight)[0]) + model.bias
    assert model.decision(features.prepare(text)) == pytest.approx(batch, rel=1e-4, abs=1e-4)


def test_loaded_once_across_threads(monkeypatch):
    monkeypatch.setattr(runtime, "_bundle", None)
    calls = []
    real = runtime.load_bundle

    def counting(directory: Path = runtime.ARTIFACTS_DIR) -> runtime.Bundle:
        calls.append(1)
        return real(directory)

    monkeypatch.setattr(runtime, "load_bundle", counting)
    threads = [threading.Thread(target=classifiers.score_text, args=("hello there",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1


def test_feature_version_mismatch_is_refused(tmp_path, monkeypatch):
    import json
    import shutil

    for p in runtime.ARTIFACTS_DIR.iterdir():
        shutil.copy(p, tmp_path / p.name)
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    meta["feature_version"] = features.FEATURE_VERSION + 1
    (tmp_path / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(RuntimeError):
        runtime.load_bundle(tmp_path)


def test_normalisation_maps_spam_markers_to_placeholders():
    norm = features.normalize(
        "Ｃａｌｌ ０９０６１７０１４６１ or visit www.win.com, mail a@b.co, £500 NOWWWW @bob"
    )
    for token in ("_phone_", "_url_", "_email_", "_money_", "_user_"):
        assert token in norm
    assert "nowww" not in norm
    assert features.cjk_share("中文abc") == pytest.approx(0.4)
