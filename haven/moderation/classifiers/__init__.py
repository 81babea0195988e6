"""Moderation text classifiers: abuse (Chinese, English) and spam probabilities for notes and comments."""

from haven.moderation.classifiers.runtime import MODEL_VERSION, score_text, thresholds, warm_up

__all__ = ["MODEL_VERSION", "score_text", "thresholds", "warm_up"]
