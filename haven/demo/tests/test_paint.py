"""Tests of the demo painter: one painter per picture subject, deterministic, sized, small modules."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

from haven.demo import paint


@pytest.mark.parametrize("subject", sorted(paint.SUBJECTS))
@pytest.mark.parametrize("size", sorted(paint.SIZES.values()))
def test_painter_makes_an_image_of_the_requested_size_for_each_subject(
    subject: str, size: tuple[int, int]
) -> None:
    image = paint.paint(subject, width=size[0] // 3, height=size[1] // 3, seed=5)

    assert image.mode == "RGB"
    assert image.size == (size[0] // 3, size[1] // 3)
    extrema = image.getextrema()
    assert any(high - low > 40 for low, high in extrema)  # a picture, not a flat colour


def test_the_subjects_asked_for_in_issue_7_have_painters() -> None:
    assert {"claypot_rice", "dumplings", "bubble_tea", "hotpot", "wontons", "noodles"} <= set(paint.SUBJECTS)


def test_an_unknown_subject_is_refused_not_painted_as_something_else() -> None:
    with pytest.raises(KeyError):
        paint.paint("food", width=90, height=120, seed=1)


def test_painter_is_deterministic_and_encodes_valid_jpegs() -> None:
    first = paint.paint_jpeg("latte", width=300, height=400, seed=9)
    again = paint.paint_jpeg("latte", width=300, height=400, seed=9)
    other = paint.paint_jpeg("latte", width=300, height=400, seed=10)

    assert first == again
    assert first != other
    with Image.open(io.BytesIO(first)) as decoded:
        assert decoded.format == "JPEG"
        assert decoded.size == (300, 400)
    with Image.open(io.BytesIO(paint.paint_avatar("cat", seed=1, size=200))) as avatar:
        assert avatar.size == (200, 200)


def test_picked_sizes_are_mostly_portrait() -> None:
    rng = random.Random(1)
    sizes = [paint.pick_size(rng) for _i in range(200)]

    assert sizes.count(paint.SIZES["portrait"]) > 100
    assert set(sizes) == set(paint.SIZES.values())


def test_demo_modules_stay_small_and_the_web_shell_has_no_demo_code() -> None:
    demo = Path(paint.__file__).parents[1]
    for module in demo.rglob("*.py"):
        if "tests" not in module.parts:
            assert len(module.read_text().splitlines()) < 400, module
    web = demo.parent / "web"
    assert not (web / "demo").exists()
    assert not (web / "management" / "commands" / "seed_demo.py").exists()
