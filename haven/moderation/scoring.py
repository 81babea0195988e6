"""Automated screening of new content after commit: text classifiers, held images, surge rules.

Per category the classifiers' thresholds (shipped in the model metadata; operators may override them
with HAVEN_MODERATION_THRESHOLDS) decide: below "review" the content is allowed; from "review" a case
is queued while the content stays visible; from "hold" the content is held before distribution until
a moderator decides. The classifiers run in-process on CPU (local models), so private content may be
scored (ARCHITECTURE.md rule 15).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from haven.core import reportables
from haven.moderation.models import Case

logger = logging.getLogger(__name__)

#: Category -> the report reason code a flagged case carries.
CATEGORY_REASONS = {"abuse": "harassment", "spam": "spam", "sexual": "sexual", "blocklist": "minor_safety"}


def enabled() -> bool:
    return bool(getattr(settings, "HAVEN", None) and settings.HAVEN.moderation_scoring)


def thresholds() -> dict[str, dict[str, float]]:
    from haven.moderation import classifiers

    merged = {k: dict(v) for k, v in classifiers.thresholds().items()}
    for category, override in (settings.HAVEN.moderation_thresholds or {}).items():
        merged.setdefault(category, {}).update(
            {k: float(v) for k, v in override.items() if k in ("review", "hold")}
        )
    return merged


def verdict(scores: dict[str, float]) -> tuple[str, str | None]:
    """("allow" | "review" | "hold", the deciding category) for classifier scores."""
    limits = thresholds()
    decision, category, best = "allow", None, -1.0
    for name, score in scores.items():
        limit = limits.get(name) or {}
        if score >= limit.get("hold", 2.0):
            if decision != "hold" or score > best:
                decision, category, best = "hold", name, score
        elif score >= limit.get("review", 2.0) and decision == "allow" and score > best:
            decision, category, best = "review", name, score
    return decision, category


def score_content(*, kind: str, pk: int) -> dict[str, Any]:
    """Score one note or comment and act on it; returns what was decided (idempotent)."""
    from haven.moderation import classifiers, services, surge

    reportable = reportables.get(kind)
    obj = reportable.load(pk) if reportable else None
    if reportable is None or obj is None:
        return {"decision": "gone"}
    target = reportable.describe(obj)
    if target.state != reportables.ModerationState.OK:
        return {"decision": "skipped", "state": target.state}
    surged = surge.screen(kind=kind, pk=pk, target=target)  # blocked links, near-duplicates, surge mode
    if surged is not None:
        return surged
    scores = classifiers.score_text(target.text, language=target.language) if target.text.strip() else {}
    decision, category = verdict(scores)
    held_images: dict[int, list[dict[str, Any]]] = {}
    if kind == "note":
        held_images = _held_images(obj)
        if held_images:
            decision = "hold"
            first = next(iter(held_images.values()))
            category = str(first[0].get("category", "sexual")) if first else "sexual"
    result: dict[str, Any] = {"decision": decision, "category": category, "scores": scores}
    if decision == "allow":
        return result
    source = Case.Source.IMAGE if held_images else Case.Source.CLASSIFIER
    case = services.case_flag(
        kind=kind,
        target_id=pk,
        source=source,
        reason=CATEGORY_REASONS.get(category or "", "other"),
        scores={**scores, **_image_scores(held_images)},
        hold=decision == "hold",
        detail=f"{category}",
    )
    result["case_id"] = case.pk if case else None
    return result


def _held_images(note: Any) -> dict[int, list[dict[str, Any]]]:
    """Verdicts of the screeners that held one of the note's images or its video's poster frame."""
    from haven.media.selectors import held_image_ids, held_video_ids

    ids = list(note.images.values_list("image_id", flat=True))
    held = held_image_ids(ids) if ids else {}
    if getattr(note, "video_id", None):
        held.update({-pk: verdicts for pk, verdicts in held_video_ids([note.video_id]).items()})
    return held


def _image_scores(held: dict[int, list[dict[str, Any]]]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for verdicts in held.values():
        for v in verdicts:
            name = f"image_{v.get('category', 'unknown')}"
            scores[name] = max(scores.get(name, 0.0), float(v.get("score", 1.0)))
    return scores


def on_content_created(kind: str, pk: int) -> None:
    """core.reportables listener (after commit): enqueue scoring in a worker, off the request path."""
    if not enabled() or kind not in ("note", "comment"):
        return
    from haven.moderation.tasks import score_content as task

    task.enqueue(kind, pk)


def on_notes_published(note_ids: list[int]) -> None:
    for pk in note_ids:
        on_content_created("note", pk)
