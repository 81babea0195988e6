"""Image screeners for trust and safety (nudity detector, perceptual-hash blocklist); blocklist services.

Both screeners run in the media processing worker through the `haven.media.screening` hook, on the
pixels that will be served (the decoded detail rendition); `register_image_screening()` registers
them (from `ModerationConfig.ready()`). A holding verdict leaves the image `screen_state="held"`;
moderation holds a note that uses it when the note is published (`haven.media.selectors.held_image_ids`).

- "nudity": nudenet's NudeDetector (its ONNX model ships inside the wheel; nothing is downloaded),
  loaded once per process on first use, run on an RGBA array of a copy downscaled to the model's
  input size (320 px). It holds when an exposed-genitalia, female-breast, buttocks or anus detection
  scores at least `settings.HAVEN_NSFW_HOLD_SCORE` (default 0.6, `NSFW_HOLD_SCORE_DEFAULT`).
  Covered parts, faces, bellies, feet, armpits and male chests never hold.
- "blocklist": a 64-bit pHash (imagehash) of the image, of the image with plain borders trimmed and
  of their mirror images, compared with every `BlockedImageHash` row (read at most every 60 s per
  process); a Hamming distance <= the row's `max_distance` holds, with the row's label as detail.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imagehash
import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from haven.accounts.models import User
from haven.core import images
from haven.core.errors import HavenError, InvalidInput
from haven.media import screening
from haven.media import services as media_services
from haven.media.screening import Verdict
from haven.moderation.models import BlockedImageHash

logger = logging.getLogger(__name__)

__all__ = [
    "BLOCKLIST_TTL_SECONDS",
    "NSFW_HOLD_CLASSES",
    "NSFW_HOLD_SCORE_DEFAULT",
    "blocked_hash_add",
    "blocked_hash_remove",
    "blocklist_invalidate",
    "image_phashes",
    "nsfw_detector",
    "register_image_screening",
    "screen_blocklist",
    "screen_nudity",
]

#: Default of `settings.HAVEN_NSFW_HOLD_SCORE`: the detection score at which an image is held.
NSFW_HOLD_SCORE_DEFAULT = 0.6
#: nudenet classes that hold an image. MALE_BREAST_EXPOSED (beach, sport) and covered parts do not.
NSFW_HOLD_CLASSES = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
#: The nudenet model's input side (its 320n.onnx); images are downscaled to it before detection.
NSFW_INPUT_SIDE = 320

#: How long a process keeps the blocklist before reading it again (additions reach every worker by then).
BLOCKLIST_TTL_SECONDS = 60.0
#: Images are hashed from a copy at most this large (pHash itself looks at 32 x 32 grey pixels).
HASH_SIDE = 256
#: A hash with fewer (or more) set bits than this is of a plain image (one colour, a smooth gradient):
#: it would match every other plain image, so it is neither blocklisted nor matched.
PLAIN_HASH_MIN_BITS = 8
#: Border pixels differing from the corner colour by at most this (0..255, summed channels / 3) are trimmed.
BORDER_TOLERANCE = 12
#: Trimming that would keep less than this share of the image is not done (the "border" is the picture).
BORDER_MIN_KEEP = 0.25

#: Longest blocklist label (BlockedImageHash.label).
LABEL_MAX = 120
#: Largest accepted `max_distance` of a blocklisted hash (unrelated photos are 12 or more apart).
MAX_DISTANCE_LIMIT = 10

SCREENER_NUDITY = "nudity"
SCREENER_BLOCKLIST = "blocklist"


# --- Nudity: nudenet --------------------------------------------------------------------------------

_detector: Any = None
_detector_lock = threading.Lock()


def nsfw_detector() -> Any:
    """The process's nudenet NudeDetector, created on first use (thread-safe); onnxruntime sessions
    may run concurrently from several threads. Uses `settings.HAVEN_NSFW_THREADS` CPU threads (default 1)."""
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = _load_detector(int(getattr(settings, "HAVEN_NSFW_THREADS", 1)))
    return _detector


def _load_detector(threads: int) -> Any:
    import onnxruntime
    from nudenet import nudenet

    class _Detector(nudenet.NudeDetector):  # type: ignore[misc]
        """NudeDetector with a bounded number of CPU threads (its own __init__ takes every core)."""

        def __init__(self) -> None:
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = max(1, threads)
            options.inter_op_num_threads = 1
            model = str(Path(nudenet.__file__).with_name("320n.onnx"))
            self.onnx_session = onnxruntime.InferenceSession(
                model, sess_options=options, providers=["CPUExecutionProvider"]
            )
            self.input_width = self.input_height = NSFW_INPUT_SIDE
            self.input_name = self.onnx_session.get_inputs()[0].name

    started = time.perf_counter()
    detector = _Detector()
    logger.info("nudenet detector loaded in %.2f s (%s threads)", time.perf_counter() - started, threads)
    return detector


def nsfw_input(img: Image.Image) -> np.ndarray[Any, Any]:
    """An RGBA uint8 array (R, G, B, A order) of `img` flattened onto white and downscaled to the model's
    input side. nudenet converts an array with COLOR_RGBA2BGR and then swaps R and B again, so the
    model receives RGB, as it was trained (notAI-tech/NudeNet#203: its file-path input does not)."""
    small = _flattened(img)
    small.thumbnail((NSFW_INPUT_SIDE, NSFW_INPUT_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(small.convert("RGBA"))


def screen_nudity(img: Image.Image) -> Verdict:
    """Category "sexual": the highest score of the holding classes found (0 when none), held at
    `settings.HAVEN_NSFW_HOLD_SCORE` (default 0.6); detail lists them as "CLASS:score", highest first."""
    threshold = float(getattr(settings, "HAVEN_NSFW_HOLD_SCORE", NSFW_HOLD_SCORE_DEFAULT))
    found: dict[str, float] = {}
    for detection in nsfw_detector().detect(nsfw_input(img)):
        label = str(detection.get("class", ""))
        if label in NSFW_HOLD_CLASSES:
            found[label] = max(found.get(label, 0.0), float(detection.get("score", 0.0)))
    score = max(found.values(), default=0.0)
    detail = ",".join(f"{label}:{value:.2f}" for label, value in sorted(found.items(), key=lambda kv: -kv[1]))
    return Verdict(hold=score >= threshold, category="sexual", score=score, detail=detail)


# --- Perceptual-hash blocklist ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Blocklist:
    hashes: np.ndarray[Any, Any]  # uint64
    max_distances: np.ndarray[Any, Any]  # int
    labels: tuple[str, ...]
    expires: float


_blocklist: _Blocklist | None = None
_blocklist_lock = threading.Lock()


def blocklist_invalidate() -> None:
    """Forget this process's copy of the blocklist (other processes refresh within BLOCKLIST_TTL_SECONDS)."""
    global _blocklist
    with _blocklist_lock:
        _blocklist = None


def _current_blocklist() -> _Blocklist:
    global _blocklist
    now = time.monotonic()
    current = _blocklist
    if current is not None and current.expires > now:
        return current
    with _blocklist_lock:
        if _blocklist is not None and _blocklist.expires > now:
            return _blocklist
        rows = list(BlockedImageHash.objects.order_by("pk").values_list("phash", "max_distance", "label"))
        valid = [(int(h, 16), d, label) for h, d, label in rows if _is_hex16(h)]
        _blocklist = _Blocklist(
            hashes=np.array([h for h, _d, _l in valid], dtype=np.uint64),
            max_distances=np.array([d for _h, d, _l in valid], dtype=np.int64),
            labels=tuple(label for _h, _d, label in valid),
            expires=now + BLOCKLIST_TTL_SECONDS,
        )
        return _blocklist


def image_phashes(img: Image.Image) -> list[int]:
    """The 64-bit pHashes compared with the blocklist: of the image, of the image with plain borders
    trimmed (when there are any), and of the mirror image of each; plain images give none.
    The first is the one stored for a blocklisted image (`blocked_hash_add`)."""
    small = _flattened(img)
    small.thumbnail((HASH_SIDE, HASH_SIDE), Image.Resampling.BOX)
    variants = [small]
    trimmed = _trim_borders(small)
    if trimmed is not None:
        variants.insert(0, trimmed)
    hashes: list[int] = []
    for variant in variants:
        for candidate in (variant, ImageOps.mirror(variant)):
            value = int(str(imagehash.phash(candidate)), 16)
            if not _is_plain(value) and value not in hashes:
                hashes.append(value)
    return hashes


def screen_blocklist(img: Image.Image) -> Verdict | None:
    """Category "blocklist", detail the matching row's label, score 1 - distance / 64 of the nearest
    row within its `max_distance`; None when nothing matches (or the blocklist is empty)."""
    blocklist = _current_blocklist()
    if not len(blocklist.hashes):
        return None
    best: tuple[int, int] | None = None  # (distance, row index)
    for value in image_phashes(img):
        distances = np.bitwise_count(blocklist.hashes ^ np.uint64(value)).astype(np.int64)
        within = np.flatnonzero(distances <= blocklist.max_distances)
        if within.size:
            index = int(within[np.argmin(distances[within])])
            if best is None or int(distances[index]) < best[0]:
                best = (int(distances[index]), index)
    if best is None:
        return None
    distance, index = best
    return Verdict(
        hold=True, category="blocklist", score=1.0 - distance / 64.0, detail=blocklist.labels[index]
    )


def blocked_hash_add(
    *,
    image_bytes: bytes | None = None,
    phash: str | None = None,
    label: str,
    added_by: User | None = None,
    max_distance: int | None = None,
) -> BlockedImageHash:
    """Blocklist an image by its bytes (hashed as processing would see it) or by a 16-hex-digit pHash.

    Idempotent: an already blocked hash is returned, with the label (and max_distance) given now.
    Refused with InvalidInput: neither or both of image_bytes and phash ("blocklist_input"), a hash that is
    not 16 hex digits ("invalid_phash"), an image that cannot be decoded ("invalid_image"), a plain image or
    hash that would match every plain image ("image_too_plain"), a label over 120 characters
    ("label_too_long"), a max_distance outside 0..MAX_DISTANCE_LIMIT ("invalid_max_distance").
    """
    if (image_bytes is None) == (phash is None):
        raise InvalidInput(_("Give either an image or a hash to block."), code="blocklist_input")
    label = (label or "").strip()
    if len(label) > LABEL_MAX:
        raise InvalidInput(_("The label is too long."), code="label_too_long")
    if max_distance is not None and not 0 <= max_distance <= MAX_DISTANCE_LIMIT:
        raise InvalidInput(
            _("The match distance must be between 0 and %(limit)s.") % {"limit": MAX_DISTANCE_LIMIT},
            code="invalid_max_distance",
        )
    value = _hash_of_upload(image_bytes) if image_bytes is not None else _parse_phash(phash or "")
    if _is_plain(value):
        raise InvalidInput(
            _("This image is too plain to be recognised reliably; it cannot be blocked."),
            code="image_too_plain",
        )
    text = f"{value:016x}"
    defaults: dict[str, Any] = {"label": label, "added_by": added_by}
    if max_distance is not None:
        defaults["max_distance"] = max_distance
    with transaction.atomic():
        row, created = BlockedImageHash.objects.get_or_create(phash=text, defaults=defaults)
        if not created:
            changes: dict[str, Any] = {"label": label} if label else {}
            if max_distance is not None:
                changes["max_distance"] = max_distance
            if changes:
                BlockedImageHash.objects.filter(pk=row.pk).update(**changes)
                row.refresh_from_db()
        _audit(added_by, "blocklist.add", {"phash": text, "label": row.label, "created": created})
    blocklist_invalidate()  # this thread sees the change now, the others once it is committed
    transaction.on_commit(blocklist_invalidate)
    return row


def blocked_hash_remove(*, phash: str, removed_by: User | None = None) -> bool:
    """Take a hash off the blocklist; False when it was not on it. InvalidInput "invalid_phash" for a
    value that is not 16 hex digits."""
    text = f"{_parse_phash(phash):016x}"
    with transaction.atomic():
        deleted, _rows = BlockedImageHash.objects.filter(phash=text).delete()
        if deleted:
            _audit(removed_by, "blocklist.remove", {"phash": text})
    blocklist_invalidate()
    transaction.on_commit(blocklist_invalidate)
    return bool(deleted)


def register_image_screening() -> None:
    """Register the nudity and blocklist screeners with haven.media.screening (idempotent)."""
    screening.register_screener(SCREENER_BLOCKLIST, screen_blocklist)
    screening.register_screener(SCREENER_NUDITY, screen_nudity)


# --- Helpers ----------------------------------------------------------------------------------------


def _hash_of_upload(data: bytes) -> int:
    """The stored hash of an image file: validated, re-encoded and decoded as processing does."""
    try:
        img = images.open_validated(data)
        rendition = images.render(img, max_side=media_services.DETAIL_MAX_SIDE)
        img.close()
    except HavenError as exc:
        raise InvalidInput(
            _("This file is not an image that can be read."),
            code="invalid_image",
            details={"reason": exc.code},
        ) from None
    hashes = image_phashes(screening.decode_rendition(rendition))
    if not hashes:
        raise InvalidInput(
            _("This image is too plain to be recognised reliably; it cannot be blocked."),
            code="image_too_plain",
        )
    return hashes[0]


def _parse_phash(text: str) -> int:
    text = (text or "").strip().lower()
    if not _is_hex16(text):
        raise InvalidInput(_("A hash is 16 hexadecimal digits."), code="invalid_phash")
    return int(text, 16)


def _is_hex16(text: str) -> bool:
    return len(text) == 16 and all(c in "0123456789abcdefABCDEF" for c in text)


def _is_plain(value: int) -> bool:
    return not PLAIN_HASH_MIN_BITS <= value.bit_count() <= 64 - PLAIN_HASH_MIN_BITS


def _flattened(img: Image.Image) -> Image.Image:
    """An RGB copy of `img`, transparent parts flattened onto white (as a light page shows them)."""
    if img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def _trim_borders(img: Image.Image) -> Image.Image | None:
    """`img` without plain borders of its top-left corner's colour (letterboxing, padding); None when
    there are none, or when trimming would leave less than BORDER_MIN_KEEP of it."""
    pixels = np.asarray(img, dtype=np.int16)
    corner = pixels[0, 0]
    differs = np.abs(pixels - corner).sum(axis=2) > BORDER_TOLERANCE * 3
    rows = np.flatnonzero(differs.any(axis=1))
    cols = np.flatnonzero(differs.any(axis=0))
    if not rows.size or not cols.size:
        return None
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    height, width = differs.shape
    if (top, bottom, left, right) == (0, height, 0, width):
        return None
    if (bottom - top) * (right - left) < BORDER_MIN_KEEP * width * height:
        return None
    return img.crop((left, top, right, bottom))


def _audit(actor: User | None, action: str, detail: dict[str, Any]) -> None:
    # Imported here: moderation.services may come to call this module (holding notes at publish time).
    from haven.moderation.services import audit

    audit(actor=actor, action=action, target_kind="image_hash", **detail)
