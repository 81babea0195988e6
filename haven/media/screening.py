"""Image screening hook: higher apps register screeners; processing runs them on the re-encoded pixels.

Media is a low layer and knows nothing of moderation. The moderation app registers its screeners
(a sexual-content classifier, a perceptual-hash blocklist) with `register_screener()` from its
`AppConfig.ready()` (the registration-hook pattern of docs/adr/0001). `haven.media.services.image_process`
calls `screen_image()` on the pixels it will serve (the decoded detail rendition, never the raw
upload) and stores the outcome on the image (`screen_state`, `screen_detail`) in the same write that
marks it ready. A screener that raises never fails the upload: it is logged and recorded as a
non-holding "screening_error" verdict.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from PIL import Image

logger = logging.getLogger(__name__)

__all__ = [
    "CLEAR",
    "HELD",
    "PENDING",
    "SCREENING_ERROR",
    "Screener",
    "Verdict",
    "clear_screeners",
    "decode_rendition",
    "register_screener",
    "registered_screeners",
    "screen_detail_of",
    "screen_image",
    "screen_outcome",
    "screen_state_of",
    "unregister_screener",
]

#: `MediaImage.screen_state` values: not screened yet (not processed, or processed before screening
#: existed), screened with no holding verdict, or held by at least one verdict.
PENDING = "pending"
CLEAR = "clear"
HELD = "held"

#: The category of the verdict recorded for a screener that raised.
SCREENING_ERROR = "screening_error"
#: Decimal places kept of each score in `screen_detail`.
SCORE_DIGITS = 3
#: Longest `detail` kept per verdict in `screen_detail`.
DETAIL_MAX = 200


@dataclass(frozen=True)
class Verdict:
    """What one screener says about one image. `hold=True` holds the content that uses it for review.

    `category` is e.g. "sexual", "blocklist" or "screening_error"; `score` is the screener's
    confidence (0..1); `detail` a short machine-readable note (classes found, the blocklist label).
    `screener` is filled in by `screen_image()` with the name the screener was registered under.
    """

    hold: bool
    category: str
    score: float
    detail: str = ""
    screener: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON form kept in `MediaImage.screen_detail` (score rounded, detail cut short)."""
        data = asdict(self)
        data["score"] = round(float(self.score), SCORE_DIGITS)
        data["detail"] = self.detail[:DETAIL_MAX]
        return data


Screener = Callable[[Image.Image], Verdict | None]

_screeners: dict[str, Screener] = {}
_lock = threading.Lock()


def register_screener(name: str, fn: Screener) -> None:
    """Add (or replace) the screener called `name`; called from an AppConfig.ready(), so idempotent.

    `fn(img)` gets an RGB or RGBA image it must not modify (use a copy) and returns a Verdict, or None
    when it has nothing to say. Screeners run in registration order, in the processing worker.
    """
    if not name:
        raise ValueError("a screener needs a name")
    with _lock:
        _screeners[name] = fn


def unregister_screener(name: str) -> None:
    """Remove the screener called `name` (no-op when absent); for tests and operators' hooks."""
    with _lock:
        _screeners.pop(name, None)


def clear_screeners() -> None:
    """Remove every screener (tests)."""
    with _lock:
        _screeners.clear()


def registered_screeners() -> list[str]:
    """Names of the registered screeners, in the order they run."""
    with _lock:
        return list(_screeners)


def screen_image(img: Image.Image) -> list[Verdict]:
    """Run every registered screener on `img`; a screener that raises yields a non-holding
    "screening_error" verdict (logged) instead of failing the caller."""
    return _run(img)[0]


def screen_outcome(img: Image.Image) -> tuple[str, dict[str, Any]]:
    """Screen `img` and return what processing stores: (`screen_state`, `screen_detail`).

    `screen_detail` is {"verdicts": [Verdict.as_dict(), ...], "screeners": [names that ran]}; an image
    screened while no screener is registered is CLEAR with an empty "screeners" list.
    """
    verdicts, names = _run(img)
    return screen_state_of(verdicts), screen_detail_of(verdicts, screeners=names)


def _run(img: Image.Image) -> tuple[list[Verdict], list[str]]:
    with _lock:
        screeners = list(_screeners.items())
    verdicts: list[Verdict] = []
    for name, fn in screeners:
        try:
            verdict = fn(img)
        except Exception as exc:
            logger.exception("image screener %s failed", name)
            verdicts.append(
                Verdict(
                    hold=False, category=SCREENING_ERROR, score=0.0, detail=type(exc).__name__, screener=name
                )
            )
            continue
        if verdict is None:
            continue
        if not isinstance(verdict, Verdict):
            logger.error("image screener %s returned %r, not a Verdict", name, type(verdict).__name__)
            verdicts.append(
                Verdict(hold=False, category=SCREENING_ERROR, score=0.0, detail="bad_result", screener=name)
            )
            continue
        verdicts.append(replace(verdict, screener=name))
    return verdicts, [name for name, _fn in screeners]


def decode_rendition(data: bytes) -> Image.Image:
    """Decode a rendition this process just encoded (trusted bytes: our own WebP) into the image that
    processing screens. Callers hashing an image for a blocklist use it the same way, so both sides
    see the same pixels."""
    rendition = Image.open(io.BytesIO(data))
    rendition.load()
    return rendition


def screen_state_of(verdicts: Iterable[Verdict]) -> str:
    """HELD when any verdict holds, else CLEAR."""
    return HELD if any(v.hold for v in verdicts) else CLEAR


def screen_detail_of(verdicts: Iterable[Verdict], *, screeners: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON kept in `MediaImage.screen_detail`: {"verdicts": [...], "screeners": [names that ran]}."""
    return {"verdicts": [v.as_dict() for v in verdicts], "screeners": list(screeners)}
