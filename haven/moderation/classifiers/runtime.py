"""Score texts for abuse and spam with the shipped CPU models (loaded lazily, once per process)."""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from haven.moderation.classifiers.features import FEATURE_VERSION, Featurizer, Prepared, cjk_share, prepare

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
METADATA_FILE = "metadata.json"
CATEGORIES = ("abuse", "spam")

# Language routing for the abuse models when the caller does not know the language: a text that is at
# least this CJK is Chinese, at most this much is English, anything between is scored by both (max).
ZH_SHARE = 0.5
EN_SHARE = 0.15


def _read_metadata(directory: Path) -> dict[str, Any]:
    path = directory / METADATA_FILE
    if not path.is_file():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# The metadata is a few kilobytes: reading it at import gives callers the version without the weights.
MODEL_VERSION: str = str(_read_metadata(ARTIFACTS_DIR).get("model_version", "unavailable"))


@dataclass(frozen=True)
class LinearModel:
    """A hashed-feature linear model with Platt calibration."""

    name: str
    featurizer: Featurizer
    weight: np.ndarray
    bias: float
    calib_a: float
    calib_b: float

    def decision(self, prep: Prepared) -> float:
        """The raw linear score of a prepared text."""
        idx, counts = self.featurizer.indices(prep)
        if not len(idx):
            return self.bias
        data = np.log1p(counts)
        norm = float(np.sqrt(data @ data))
        return float(data @ self.weight[idx]) / norm + self.bias

    def proba(self, prep: Prepared) -> float:
        """The calibrated probability of the positive class for a prepared text."""
        z = self.calib_a * self.decision(prep) + self.calib_b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def score(self, text: str) -> float:
        """The calibrated probability of the positive class for a text."""
        return self.proba(prepare(text))


@dataclass(frozen=True)
class Bundle:
    """Every model of one artifact set and its metadata."""

    version: str
    models: dict[str, LinearModel]
    thresholds: dict[str, dict[str, float]]
    metadata: dict[str, Any]


def load_bundle(directory: Path = ARTIFACTS_DIR) -> Bundle:
    """Load the metadata and weights of every model in an artifact folder (no pickles)."""
    meta = _read_metadata(directory)
    if not meta:
        raise FileNotFoundError(f"no moderation classifier metadata in {directory}")
    if int(meta["feature_version"]) != FEATURE_VERSION:
        raise RuntimeError(
            f"moderation artifacts use feature version {meta['feature_version']}, code has {FEATURE_VERSION}"
        )
    models: dict[str, LinearModel] = {}
    for name, spec in meta["models"].items():
        with np.load(directory / spec["file"], allow_pickle=False) as arrays:
            weight = np.ascontiguousarray(arrays["weight"], dtype=np.float32)
        featurizer = Featurizer(spec["features"])
        if weight.shape != (featurizer.n_features,):
            raise RuntimeError(
                f"moderation model {name}: weight shape {weight.shape} does not fit its features"
            )
        models[name] = LinearModel(
            name=name,
            featurizer=featurizer,
            weight=weight,
            bias=float(spec["bias"]),
            calib_a=float(spec["calibration"]["a"]),
            calib_b=float(spec["calibration"]["b"]),
        )
    thresholds = {
        cat: {"review": float(t["review"]), "hold": float(t["hold"])} for cat, t in meta["thresholds"].items()
    }
    return Bundle(version=str(meta["model_version"]), models=models, thresholds=thresholds, metadata=meta)


_lock = threading.Lock()
_bundle: Bundle | None = None


def _loaded() -> Bundle:
    global _bundle
    bundle = _bundle
    if bundle is None:
        with _lock:
            if _bundle is None:
                _bundle = load_bundle()
            bundle = _bundle
    return bundle


def _abuse_models(text: str, language: str | None) -> tuple[str, ...]:
    lang = (language or "").strip().lower()
    if lang.startswith("zh"):
        return ("abuse_zh",)
    if lang.startswith("en"):
        return ("abuse_en",)
    share = cjk_share(text)
    if share >= ZH_SHARE:
        return ("abuse_zh",)
    if share <= EN_SHARE and any(ch.isascii() and ch.isalpha() for ch in text[:2000]):
        return ("abuse_en",)
    return ("abuse_zh", "abuse_en")


def score_text(text: str, *, language: str | None = None) -> dict[str, float]:
    """Probabilities that a text is abusive and that it is spam or a scam, each in [0, 1].

    `language` is a BCP 47 tag as stored with the text ("zh-Hans", "en", "und"); "zh*" and "en*" pick the
    Chinese or English abuse model, anything else is routed by the share of CJK characters (mixed texts
    take the larger of both scores). Spam is one model for both languages. Blank text scores 0.
    """
    if not text or not text.strip():
        return {"abuse": 0.0, "spam": 0.0}
    bundle = _loaded()
    prep = prepare(text)
    abuse = max(bundle.models[name].proba(prep) for name in _abuse_models(text, language))
    spam = bundle.models["spam"].proba(prep)
    return {"abuse": abuse, "spam": spam}


def thresholds() -> dict[str, dict[str, float]]:
    """Per category, the probabilities from which a text is queued for review and held before distribution."""
    return {cat: dict(t) for cat, t in _loaded().thresholds.items()}


def warm_up() -> None:
    """Load the models and the Chinese segmenter now rather than on the first scored text."""
    score_text("warm up 预热 http://example.com 12345678")
