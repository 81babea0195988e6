"""Procedural, text-free pictures for demo notes, one painter per subject (Pillow only).

A subject names what a picture shows ("claypot_rice", "cat", "mountains"); demo notes declare theirs
so that a picture always depicts what its note's title says. `paint` renders one deterministically.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from functools import partial

from PIL import Image

from haven.demo.paint import (
    crafts,
    dishes,
    drinks,
    fashion,
    fitness,
    food,
    home,
    landscapes,
    pets,
    photography,
    skincare,
    study,
)
from haven.demo.paint.canvas import SIZES, Canvas, pick_size
from haven.demo.paint.colors import Palette, palette

__all__ = ["SIZES", "SUBJECTS", "paint", "paint_avatar", "paint_jpeg", "pick_size"]

Scene = Callable[[Canvas, Palette], None]


def _photo(kind: str) -> Scene:
    return lambda c, pal: photography.scene_photo(c, pal, kind, paint)


#: Every subject a demo picture can show, and the painter that draws it.
SUBJECTS: dict[str, Scene] = {
    # food and drink
    "noodles": food.scene_noodles,
    "breakfast": food.scene_breakfast,
    "dessert": food.scene_dessert,
    "hotpot": dishes.scene_hotpot,
    "claypot_rice": dishes.scene_claypot_rice,
    "dumplings": dishes.scene_dumplings,
    "wontons": dishes.scene_wontons,
    "latte": drinks.scene_latte,
    "matcha_latte": partial(drinks.scene_latte, matcha=True),
    "cafe_window": drinks.scene_cafe_window,
    "bubble_tea": drinks.scene_bubble_tea,
    "iced_coffee": drinks.scene_iced_coffee,
    # places
    "mountains": landscapes.scene_mountains,
    "seaside": landscapes.scene_seaside,
    "city": landscapes.scene_city,
    # things, animals, pastimes
    "outfit": fashion.scene_outfit,
    "clothes_rail": fashion.scene_rail,
    "skincare": skincare.scene_skincare,
    "plants": home.scene_home,
    "cat": partial(pets.scene_pet, animal_kind="cat"),
    "dog": partial(pets.scene_pet, animal_kind="dog"),
    "workout": fitness.scene_yoga,
    "running": fitness.scene_track,
    "study_desk": study.scene_study,
    "camera": _photo("camera"),
    "city_lights": _photo("bokeh"),
    "instant_photos": _photo("instant"),
    "knitting": partial(crafts.scene_crafts, kind="yarn"),
    "pottery": partial(crafts.scene_crafts, kind="pottery"),
    "embroidery": partial(crafts.scene_crafts, kind="hoop"),
}


def paint(subject: str, *, width: int, height: int, seed: int) -> Image.Image:
    """An RGB picture of `subject` (a key of SUBJECTS) of exactly width x height, deterministic per seed."""
    scene = SUBJECTS[subject]  # an unknown subject is a bug in the demo content: fail loudly
    rng = random.Random(f"{subject}:{seed}")
    c = Canvas(width, height, rng)
    scene(c, palette(rng))
    return c.finish(vignette=rng.uniform(0.08, 0.18))


def paint_jpeg(subject: str, *, width: int, height: int, seed: int, quality: int = 90) -> bytes:
    """`paint` encoded as a JPEG (what a phone would upload)."""
    buffer = io.BytesIO()
    paint(subject, width=width, height=height, seed=seed).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def paint_avatar(subject: str, *, seed: int, size: int = 480) -> bytes:
    """A square JPEG profile picture: a crop-friendly picture of one of the member's subjects."""
    buffer = io.BytesIO()
    paint(subject, width=size, height=size, seed=seed).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()
