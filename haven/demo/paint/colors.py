"""Colours and palettes of the demo pictures."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Color = RGB | RGBA
Point = tuple[float, float]


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Sequence[int], b: Sequence[int], t: float) -> RGB:
    """Linear blend of two colours (t=0 -> a, t=1 -> b)."""
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


WHITE: RGB = (255, 255, 255)
INK: RGB = (34, 28, 36)


def light(c: Sequence[int], t: float) -> RGB:
    return mix(c, WHITE, t)


def dark(c: Sequence[int], t: float) -> RGB:
    return mix(c, INK, t)


def alpha(c: Sequence[int], a: int) -> RGBA:
    return (c[0], c[1], c[2], max(0, min(255, a)))


@dataclass(frozen=True)
class Palette:
    """Six coordinated colours: two light grounds, three accents, one deep ink."""

    ground: RGB
    ground2: RGB
    a1: RGB
    a2: RGB
    a3: RGB
    deep: RGB

    @property
    def accents(self) -> tuple[RGB, RGB, RGB]:
        return (self.a1, self.a2, self.a3)


def _palette(*hexes: str) -> Palette:
    return Palette(*(hex_rgb(h) for h in hexes))


PALETTES: dict[str, Palette] = {
    "peach": _palette("#FBE9DD", "#F6CBB7", "#E8876B", "#7FB7A4", "#F3B562", "#5B4B49"),
    "sage": _palette("#EEF1E6", "#CFDCC4", "#8FAF8B", "#D9A48F", "#F2D492", "#3F4E45"),
    "lavender": _palette("#F1ECF7", "#D8CCEB", "#9C89C9", "#F4A7B9", "#FFD6A5", "#463F5E"),
    "ocean": _palette("#E6F2F5", "#B9DCE5", "#4E9BB9", "#F6C28B", "#F28F79", "#21405A"),
    "sunset": _palette("#FDE6CF", "#F9B99A", "#E56B6F", "#B56576", "#6D597A", "#355070"),
    "matcha": _palette("#F4F1E4", "#DDE5C2", "#9BB068", "#C98B5E", "#F0C987", "#3B4A2F"),
    "berry": _palette("#FCEEF0", "#F7C6D0", "#D94F70", "#7B2D43", "#F9A03F", "#3D2230"),
    "cream": _palette("#FAF3E8", "#EBDCC6", "#C69C72", "#8A9A7B", "#E3B5A4", "#4A3B31"),
    "mint": _palette("#E9F7F1", "#BFE6D6", "#5DB599", "#FFB4A2", "#FFDC8A", "#2E4A43"),
    "dusk": _palette("#E8E4F3", "#B7B5E4", "#6C6BB8", "#F2A490", "#FCD29F", "#2C2A4A"),
    "terracotta": _palette("#F7EDE4", "#EBC9B0", "#C8694A", "#6F8F72", "#E9B44C", "#4A2E25"),
    "sky": _palette("#EEF6FC", "#C7E2F5", "#6FA8DC", "#FFD972", "#F79D84", "#2F4A6B"),
    "rose": _palette("#FDF1EE", "#F3D1CB", "#D98C86", "#A3B18A", "#E9C46A", "#5E3B3B"),
    "lemon": _palette("#FFFBE6", "#FFF0A8", "#F4C430", "#7CB8A0", "#EF8B73", "#4B4A3A"),
    "cocoa": _palette("#F5EEE6", "#E2D0BE", "#9C6644", "#B5C99A", "#EDAE49", "#3E2C23"),
    "denim": _palette("#EDF1F7", "#CAD5E6", "#4A6FA5", "#E7A977", "#F2D0A4", "#1F2D44"),
}


def palette(rng: random.Random, names: Sequence[str] | None = None) -> Palette:
    return PALETTES[rng.choice(list(names) if names else sorted(PALETTES))]
