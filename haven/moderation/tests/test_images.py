"""Tests of image screening for trust and safety: the hash blocklist, the nudity screener, the command."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import imagehash
import numpy as np
import pytest
from django.core.management import CommandError, call_command
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from haven.core.errors import InvalidInput
from haven.media import screening, selectors, services
from haven.media.models import MediaImage
from haven.media.tests.factories import UserFactory, upload
from haven.moderation import images
from haven.moderation.models import AuditEntry, BlockedImageHash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings, monkeypatch):
    """Tasks run inline; screeners and the blocklist copy are this test's own."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(screening, "_screeners", {})
    images.blocklist_invalidate()
    yield
    images.blocklist_invalidate()


@functools.cache
def photo(seed: int, size: tuple[int, int] = (720, 540)) -> Image.Image:
    """A photo-like picture: smooth colour waves under blurred shapes; other seeds give unrelated ones."""
    rng = np.random.default_rng(seed)
    width, height = size
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    channels = []
    for _channel in range(3):
        field = np.zeros((height, width))
        for _wave in range(4):
            fx, fy = rng.uniform(0.5, 5, 2)
            field += np.sin(2 * np.pi * (fx * x + fy * y) + rng.uniform(0, 6.3))
        channels.append(field)
    pixels = np.stack(channels, axis=2)
    pixels = (pixels - pixels.min()) / (np.ptp(pixels) or 1) * 200 + 25
    img = Image.fromarray(pixels.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(img)
    for _shape in range(12):
        x0, y0 = int(rng.integers(0, width - 40)), int(rng.integers(0, height - 40))
        x1, y1 = x0 + int(rng.integers(30, width // 3)), y0 + int(rng.integers(30, height // 3))
        color = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=color)
    return img.filter(ImageFilter.GaussianBlur(1))


def encoded(img: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def crop(img: Image.Image, share: float) -> Image.Image:
    dx, dy = int(img.width * share), int(img.height * share)
    return img.crop((dx, dy, img.width - dx, img.height - dy))


def processed(data: bytes, capture) -> MediaImage:
    with capture(execute=True):
        image = services.image_upload(owner=UserFactory(), file=upload(data))
    image.refresh_from_db()
    assert image.state == "ready"
    return image


# --- Blocklist through the media pipeline -----------------------------------------------------------

ALTERED = {
    "identical": lambda img: encoded(img, quality=92),
    "resized and re-compressed": lambda img: encoded(img.resize((480, 360)), quality=45),
    "webp": lambda img: encoded(img, "WEBP", quality=60),
    "small crop": lambda img: encoded(crop(img, 0.02), quality=85),
    "mirrored": lambda img: encoded(ImageOps.mirror(img), quality=85),
    "letterboxed": lambda img: encoded(ImageOps.expand(img, border=(0, 90), fill=(0, 0, 0)), quality=85),
    "brighter png": lambda img: encoded(img.point(lambda v: min(255, int(v * 1.15))), "PNG"),
}


@pytest.mark.parametrize("alteration", ALTERED)
def test_a_blocklisted_image_and_altered_copies_are_held(alteration, django_capture_on_commit_callbacks):
    images.register_image_screening()
    original = photo(1)
    images.blocked_hash_add(image_bytes=encoded(original, quality=95), label="known harmful #1")

    image = processed(ALTERED[alteration](original), django_capture_on_commit_callbacks)

    assert image.screen_state == "held"
    blocklist = [v for v in image.screen_detail["verdicts"] if v["screener"] == "blocklist"]
    assert blocklist == [
        {
            "hold": True,
            "category": "blocklist",
            "score": blocklist[0]["score"],
            "detail": "known harmful #1",
            "screener": "blocklist",
        }
    ]
    assert blocklist[0]["score"] >= 1 - 6 / 64
    assert selectors.held_image_ids([image.pk]) == {image.pk: image.screen_detail["verdicts"]}


def test_unrelated_images_are_clear(django_capture_on_commit_callbacks):
    images.register_image_screening()
    images.blocked_hash_add(image_bytes=encoded(photo(1)), label="known harmful #1")
    images.blocked_hash_add(image_bytes=encoded(photo(2)), label="known harmful #2")

    clear = [processed(encoded(photo(seed)), django_capture_on_commit_callbacks) for seed in (3, 4, 5)]
    held = processed(encoded(photo(2)), django_capture_on_commit_callbacks)

    assert [image.screen_state for image in clear] == ["clear"] * 3
    assert all(v["screener"] != "blocklist" for image in clear for v in image.screen_detail["verdicts"])
    assert clear[0].screen_detail["screeners"] == ["blocklist", "nudity"]
    assert held.screen_state == "held"
    assert selectors.held_image_ids([image.pk for image in [*clear, held]]).keys() == {held.pk}


def test_a_hash_added_by_value_matches_within_its_max_distance():
    value = int(str(imagehash.phash(photo(7))), 16)
    near = value ^ 0b111  # three bits apart
    images.blocked_hash_add(phash=f"{near:016X}", label="imported", max_distance=3)
    assert BlockedImageHash.objects.get().phash == f"{near:016x}"  # stored in lower case
    verdict = images.screen_blocklist(photo(7))
    assert verdict is not None and verdict.hold and verdict.detail == "imported"
    assert verdict.score == pytest.approx(1 - 3 / 64)

    images.blocked_hash_add(phash=f"{near:016x}", label="", max_distance=2)  # the label is kept
    assert images.screen_blocklist(photo(7)) is None
    assert BlockedImageHash.objects.get().label == "imported"


def test_the_blocklist_is_read_again_after_its_ttl(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(images.time, "monotonic", lambda: clock[0])
    assert images.screen_blocklist(photo(1)) is None  # empty list, now cached
    BlockedImageHash.objects.create(phash=str(imagehash.phash(photo(1))), label="written elsewhere")
    assert images.screen_blocklist(photo(1)) is None  # another process's write: not seen yet
    clock[0] += images.BLOCKLIST_TTL_SECONDS + 1
    verdict = images.screen_blocklist(photo(1))
    assert verdict is not None and verdict.detail == "written elsewhere"


def test_this_process_sees_its_own_additions_and_removals_at_once():
    assert images.screen_blocklist(photo(1)) is None
    row = images.blocked_hash_add(image_bytes=encoded(photo(1)), label="x")
    assert images.screen_blocklist(photo(1)) is not None
    assert images.blocked_hash_remove(phash=row.phash) is True
    assert images.screen_blocklist(photo(1)) is None
    assert images.blocked_hash_remove(phash=row.phash) is False


def test_plain_images_are_neither_blocked_nor_matched():
    """A one-colour image hashes to a near-empty pattern shared by every other one: never blocked."""
    for colour in ((30, 120, 200), (0, 0, 0), (255, 255, 255)):
        plain = Image.new("RGB", (300, 200), colour)
        assert images.image_phashes(plain) == []
        with pytest.raises(InvalidInput) as error:
            images.blocked_hash_add(image_bytes=encoded(plain, "PNG"), label="plain")
        assert error.value.code == "image_too_plain"
    for value in ("8000000000000000", "0000000000000000", "ffffffffffffffff"):
        with pytest.raises(InvalidInput) as error:
            images.blocked_hash_add(phash=value, label="plain")
        assert error.value.code == "image_too_plain"
    assert not BlockedImageHash.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"phash": "12345"}, "invalid_phash"),
        ({"phash": "zz00000000000000"}, "invalid_phash"),
        ({"image_bytes": b"not an image at all"}, "invalid_image"),
        ({"image_bytes": b"GIF89a" + b"\0" * 64}, "invalid_image"),
        ({}, "blocklist_input"),
        ({"phash": "0f0f0f0f0f0f0f0f", "image_bytes": b"x"}, "blocklist_input"),
        ({"phash": "0f0f0f0f0f0f0f0f", "max_distance": 11}, "invalid_max_distance"),
    ],
)
def test_bad_blocklist_input_is_refused_with_a_stable_code(kwargs, code):
    with pytest.raises(InvalidInput) as error:
        images.blocked_hash_add(label="x", **kwargs)
    assert error.value.code == code
    with pytest.raises(InvalidInput) as too_long:
        images.blocked_hash_add(phash="0f0f0f0f0f0f0f0f", label="x" * 121)
    assert too_long.value.code == "label_too_long"
    assert not BlockedImageHash.objects.exists()


def test_blocklist_changes_are_audited():
    operator = UserFactory()
    row = images.blocked_hash_add(phash="0F0F0F0F0F0F0F0F", label="csam-db 42", added_by=operator)
    images.blocked_hash_remove(phash="0f0f0f0f0f0f0f0f", removed_by=operator)
    entries = list(AuditEntry.objects.order_by("pk").values_list("actor", "action", "target_kind", "detail"))
    assert entries == [
        (
            operator.pk,
            "blocklist.add",
            "image_hash",
            {"phash": row.phash, "label": "csam-db 42", "created": True},
        ),
        (operator.pk, "blocklist.remove", "image_hash", {"phash": row.phash}),
    ]
    assert row.added_by == operator


def test_register_image_screening_is_idempotent():
    images.register_image_screening()
    images.register_image_screening()
    assert screening.registered_screeners() == ["blocklist", "nudity"]


# --- Nudity -----------------------------------------------------------------------------------------


def test_the_nudity_screener_finds_nothing_in_a_benign_image():
    verdict = images.screen_nudity(photo(3))
    assert (verdict.category, verdict.hold) == ("sexual", False)
    assert verdict.score < images.NSFW_HOLD_SCORE_DEFAULT
    assert images.nsfw_detector() is images.nsfw_detector()  # loaded once


def test_the_nudity_model_receives_rgb_in_that_order():
    """nudenet's array path must hand the model R, G, B (pins notAI-tech/NudeNet#203 behaviour)."""
    from nudenet import nudenet

    array = images.nsfw_input(Image.new("RGB", (64, 48), (255, 0, 0)))
    assert array.shape == (48, 64, 4)
    blob = nudenet._read_image(array, images.NSFW_INPUT_SIDE)[0]
    assert blob.shape == (1, 3, images.NSFW_INPUT_SIDE, images.NSFW_INPUT_SIDE)
    assert blob[0, :, 0, 0].tolist() == [1.0, 0.0, 0.0]


def test_nudity_input_is_downscaled_and_transparency_flattened_onto_white():
    rgba = Image.new("RGBA", (1440, 960), (0, 0, 0, 0))
    array = images.nsfw_input(rgba)
    assert array.shape == (213, 320, 4)
    assert array[0, 0].tolist() == [255, 255, 255, 255]


class FakeDetector:
    def __init__(self, detections):
        self.detections = detections

    def detect(self, image):
        assert isinstance(image, np.ndarray)
        return self.detections


def test_nudity_holds_at_the_threshold_on_explicit_classes_only(monkeypatch, settings):
    found = [
        {"class": "FEMALE_BREAST_EXPOSED", "score": 0.61, "box": [0, 0, 1, 1]},
        {"class": "BUTTOCKS_EXPOSED", "score": 0.42, "box": [0, 0, 1, 1]},
        {"class": "MALE_BREAST_EXPOSED", "score": 0.97, "box": [0, 0, 1, 1]},
        {"class": "FEMALE_BREAST_COVERED", "score": 0.95, "box": [0, 0, 1, 1]},
        {"class": "FEMALE_BREAST_EXPOSED", "score": 0.3, "box": [0, 0, 1, 1]},
    ]
    monkeypatch.setattr(images, "_detector", FakeDetector(found))
    verdict = images.screen_nudity(photo(3))
    assert verdict == screening.Verdict(
        hold=True, category="sexual", score=0.61, detail="FEMALE_BREAST_EXPOSED:0.61,BUTTOCKS_EXPOSED:0.42"
    )
    settings.HAVEN_NSFW_HOLD_SCORE = 0.7
    assert images.screen_nudity(photo(3)).hold is False
    monkeypatch.setattr(images, "_detector", FakeDetector(found[2:4]))
    assert images.screen_nudity(photo(3)) == screening.Verdict(hold=False, category="sexual", score=0.0)


def test_a_held_nudity_verdict_holds_the_uploaded_image(monkeypatch, django_capture_on_commit_callbacks):
    images.register_image_screening()
    monkeypatch.setattr(
        images, "_detector", FakeDetector([{"class": "ANUS_EXPOSED", "score": 0.9, "box": []}])
    )
    image = processed(encoded(photo(4)), django_capture_on_commit_callbacks)
    assert image.screen_state == "held"
    assert image.screen_detail["verdicts"] == [
        {
            "hold": True,
            "category": "sexual",
            "score": 0.9,
            "detail": "ANUS_EXPOSED:0.90",
            "screener": "nudity",
        }
    ]


def test_a_broken_detector_does_not_fail_the_upload(monkeypatch, django_capture_on_commit_callbacks):
    images.register_image_screening()

    def broken(threads):
        raise RuntimeError("no onnxruntime here")

    monkeypatch.setattr(images, "_detector", None)
    monkeypatch.setattr(images, "_load_detector", broken)
    image = processed(encoded(photo(5)), django_capture_on_commit_callbacks)
    assert image.screen_state == "clear"
    assert [(v["screener"], v["category"]) for v in image.screen_detail["verdicts"]] == [
        ("nudity", "screening_error")
    ]


# --- The management command -------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("moderation_blockhash", *args, stdout=out)
    return out.getvalue()


def test_the_command_adds_lists_and_removes(tmp_path: Path):
    file = tmp_path / "known.jpg"
    file.write_bytes(encoded(photo(1)))
    added = run("add", str(file), "--label", "from a hash list")
    phash = added.split("\t")[0]
    assert len(phash) == 16 and added.strip().endswith("6\tfrom a hash list")
    run("add", "--phash", "0F0F0F0F0F0F0F0F", "--label", "imported", "--max-distance", "4")

    listed = run("list").splitlines()
    assert [line.split("\t")[:3] for line in listed] == [
        [phash, "6", "from a hash list"],
        ["0f0f0f0f0f0f0f0f", "4", "imported"],
    ]
    assert run("remove", phash).strip() == "removed"
    assert run("remove", phash).strip() == "not on the blocklist"
    assert list(BlockedImageHash.objects.values_list("phash", flat=True)) == ["0f0f0f0f0f0f0f0f"]


def test_the_command_reports_bad_input(tmp_path: Path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff garbage")
    with pytest.raises(CommandError, match="invalid_image"):
        run("add", str(broken), "--label", "x")
    with pytest.raises(CommandError, match="invalid_phash"):
        run("remove", "nothex")
    with pytest.raises(CommandError, match="either an image file or --phash"):
        run("add", "--label", "x")
    with pytest.raises(CommandError, match="no such file"):
        run("add", str(tmp_path / "missing.png"))
