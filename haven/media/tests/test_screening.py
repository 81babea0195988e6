"""Tests of the image screening hook: the registry, and screening inside image processing."""

from __future__ import annotations

import pytest
from PIL import Image

from haven.media import screening, selectors, services
from haven.media.models import MediaImage
from haven.media.screening import Verdict
from haven.media.tests.factories import MediaImageFactory, UserFactory, gps_jpeg, upload


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch):
    """Each test starts with no screeners and leaves the process's registry as it was."""
    monkeypatch.setattr(screening, "_screeners", {})


def uploaded(data: bytes, capture) -> MediaImage:
    with capture(execute=True):
        image = services.image_upload(owner=UserFactory(), file=upload(data))
    image.refresh_from_db()
    return image


def holds_blue(img: Image.Image) -> Verdict:
    red, _green, blue = img.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
    return Verdict(hold=blue > red, category="test", score=0.87654, detail="mostly blue")


def crashes(img: Image.Image) -> Verdict:
    raise RuntimeError("model missing")


# --- The registry -----------------------------------------------------------------------------------


def test_screen_image_runs_every_screener_in_order_and_names_its_verdicts() -> None:
    screening.register_screener("first", lambda img: Verdict(hold=False, category="a", score=0.1))
    screening.register_screener("silent", lambda img: None)
    screening.register_screener("last", lambda img: Verdict(hold=True, category="b", score=0.9, detail="x"))

    verdicts = screening.screen_image(Image.new("RGB", (8, 8)))

    assert verdicts == [
        Verdict(hold=False, category="a", score=0.1, screener="first"),
        Verdict(hold=True, category="b", score=0.9, detail="x", screener="last"),
    ]
    assert screening.registered_screeners() == ["first", "silent", "last"]


def test_registering_again_replaces_and_unregister_removes() -> None:
    screening.register_screener("s", lambda img: Verdict(hold=True, category="old", score=1))
    screening.register_screener("s", lambda img: Verdict(hold=False, category="new", score=0))
    assert [v.category for v in screening.screen_image(Image.new("RGB", (4, 4)))] == ["new"]
    screening.unregister_screener("s")
    screening.unregister_screener("never registered")
    assert screening.registered_screeners() == []
    with pytest.raises(ValueError):
        screening.register_screener("", holds_blue)


def test_a_crashing_or_misbehaving_screener_is_recorded_not_raised(caplog) -> None:
    screening.register_screener("crashes", crashes)
    screening.register_screener("wrong", lambda img: {"hold": True})  # type: ignore[arg-type,return-value]
    screening.register_screener("works", holds_blue)

    verdicts = screening.screen_image(Image.new("RGB", (4, 4), (0, 0, 255)))

    assert [(v.screener, v.category, v.hold, v.detail) for v in verdicts] == [
        ("crashes", "screening_error", False, "RuntimeError"),
        ("wrong", "screening_error", False, "bad_result"),
        ("works", "test", True, "mostly blue"),
    ]
    assert "image screener crashes failed" in caplog.text


def test_outcome_is_held_when_any_verdict_holds_and_scores_are_rounded() -> None:
    screening.register_screener("blue", holds_blue)
    state, detail = screening.screen_outcome(Image.new("RGB", (4, 4), (0, 0, 255)))
    assert state == "held"
    assert detail == {
        "verdicts": [
            {"hold": True, "category": "test", "score": 0.877, "detail": "mostly blue", "screener": "blue"}
        ],
        "screeners": ["blue"],
    }
    assert screening.screen_outcome(Image.new("RGB", (4, 4), (255, 0, 0)))[0] == "clear"


def test_verdict_is_frozen_and_long_details_are_cut() -> None:
    verdict = Verdict(hold=False, category="c", score=0.5, detail="x" * 500)
    with pytest.raises(AttributeError):
        verdict.hold = True  # type: ignore[misc]
    assert len(verdict.as_dict()["detail"]) == screening.DETAIL_MAX


# --- In processing ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_processing_screens_the_served_pixels_and_stores_the_outcome(
    django_capture_on_commit_callbacks,
) -> None:
    seen: list[Image.Image] = []

    def spy(img: Image.Image) -> Verdict:
        seen.append(img)
        return holds_blue(img)

    screening.register_screener("spy", spy)
    image = uploaded(gps_jpeg((1600, 1200)), django_capture_on_commit_callbacks)

    assert image.state == "ready"
    # The decoded detail rendition: re-encoded WebP at 1440 px, none of the upload's EXIF/GPS.
    assert len(seen) == 1
    assert (seen[0].format, seen[0].size) == ("WEBP", (1440, 1080))
    assert "exif" not in seen[0].info and not seen[0].getexif()
    assert image.screen_state == "held"  # gps_jpeg is mostly blue
    assert image.screen_detail["screeners"] == ["spy"]
    assert image.screen_detail["verdicts"][0]["category"] == "test"
    assert image.screen_detail["verdicts"][0]["score"] == 0.877


@pytest.mark.django_db
def test_a_crashing_screener_does_not_fail_processing(django_capture_on_commit_callbacks) -> None:
    screening.register_screener("crashes", crashes)
    image = uploaded(gps_jpeg((800, 600)), django_capture_on_commit_callbacks)
    assert image.state == "ready" and image.grid_path and image.detail_path
    assert image.screen_state == "clear"
    assert image.screen_detail["verdicts"] == [
        {
            "hold": False,
            "category": "screening_error",
            "score": 0.0,
            "detail": "RuntimeError",
            "screener": "crashes",
        }
    ]


@pytest.mark.django_db
def test_without_screeners_a_processed_image_is_clear(django_capture_on_commit_callbacks) -> None:
    image = uploaded(gps_jpeg((400, 300)), django_capture_on_commit_callbacks)
    assert (image.state, image.screen_state, image.screen_detail) == (
        "ready",
        "clear",
        {"verdicts": [], "screeners": []},
    )


@pytest.mark.django_db
def test_a_failed_image_is_not_screened(django_capture_on_commit_callbacks) -> None:
    calls: list[int] = []
    screening.register_screener("counts", lambda img: calls.append(1))  # type: ignore[arg-type,func-returns-value]
    image = MediaImageFactory(original_path="originals/missing.jpg")
    services.image_process(image_id=image.pk)
    image.refresh_from_db()
    assert (image.state, image.screen_state, image.screen_detail, calls) == ("failed", "pending", {}, [])


@pytest.mark.django_db
def test_held_image_ids_returns_only_held_images_with_their_verdicts() -> None:
    verdicts = [{"hold": True, "category": "blocklist", "score": 1.0, "detail": "x", "screener": "blocklist"}]
    held = MediaImageFactory(state="ready", screen_state="held", screen_detail={"verdicts": verdicts})
    clear = MediaImageFactory(state="ready", screen_state="clear", screen_detail={"verdicts": []})
    pending = MediaImageFactory()
    held_without_detail = MediaImageFactory(state="ready", screen_state="held")

    assert selectors.held_image_ids([held.pk, clear.pk, pending.pk, held_without_detail.pk, 10**9]) == {
        held.pk: verdicts,
        held_without_detail.pk: [],
    }
    assert selectors.held_image_ids([]) == {}
    assert selectors.held_image_ids(iter([clear.pk])) == {}
