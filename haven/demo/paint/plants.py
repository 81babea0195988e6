"""House plants in pots (side view, base at y=0) and a small desk plant (top view)."""

from __future__ import annotations

import math
import random

from haven.demo.paint.colors import (
    RGB,
    WHITE,
    alpha,
    dark,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.flatlay import (
    Draw,
)
from haven.demo.paint.pen import (
    Pen,
    bezier,
    leaf_pts,
)

GREENS = [hex_rgb(x) for x in ("#3F7D4E", "#5A9A5B", "#2F6B4F", "#7DB36A", "#4E8C6A")]
POTS = [hex_rgb(x) for x in ("#C8694A", "#F4F0EA", "#E3C9A8", "#2F3A40", "#D9A48F", "#8FAF8B", "#F2D492")]


def pot(w: float, h: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.poly([(-w / 2, -h), (w / 2, -h), (w * 0.38, 0), (-w * 0.38, 0)], color)
        p.rect(-w * 0.54, -h, w * 0.54, -h * 0.82, dark(color, 0.08))
        p.poly(
            [(-w * 0.3, -h * 0.8), (-w * 0.18, -h * 0.8), (-w * 0.12, -h * 0.05), (-w * 0.24, -h * 0.05)],
            alpha(WHITE, 45),
        )

    return draw


def plant(rng: random.Random, w: float, kind: str | None = None) -> Draw:
    """A potted plant `w` wide at the pot (monstera, snake plant, pilea, cactus or a trailing pothos)."""
    kind = kind or rng.choice(["monstera", "snake", "pilea", "cactus", "pothos"])
    pot_draw = pot(w, w * rng.uniform(0.8, 1.05), rng.choice(POTS))
    seed, green = rng.random(), rng.choice(GREENS)
    ph = w * 0.9

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        top = -ph
        if kind == "monstera":
            for _k in range(6):
                a = math.radians(g.uniform(-150, -30))
                d = g.uniform(0.9, 1.6) * w
                x, y = math.cos(a) * d, top + math.sin(a) * d
                p.line([(0, top), (x * 0.5, top + (y - top) * 0.7), (x, y)], dark(green, 0.1), w * 0.04)
                with p.at(x, y, math.degrees(a) + g.uniform(-20, 20)):
                    p.poly(leaf_pts(w * 0.75, w * 0.32), mix(green, GREENS[3], g.uniform(0, 0.4)))
                    p.line([(w * 0.05, 0), (w * 0.65, 0)], alpha(light(green, 0.4), 160), w * 0.02)
        elif kind == "snake":
            for k in range(7):
                hgt = g.uniform(1.3, 2.4) * w
                x = (k - 3) * w * 0.11
                with p.at(x, top + w * 0.05, -90 + (k - 3) * 6 + g.uniform(-4, 4)):
                    p.poly(leaf_pts(hgt, w * 0.1), hex_rgb("#D8C85A"))
                    p.poly(leaf_pts(hgt * 0.97, w * 0.075), mix(green, hex_rgb("#2E5A3A"), 0.4))
        elif kind == "pilea":
            for _k in range(11):
                a = math.radians(g.uniform(-165, -15))
                d = g.uniform(0.6, 1.3) * w
                x, y = math.cos(a) * d, top + math.sin(a) * d * 0.9
                p.line([(g.uniform(-0.1, 0.1) * w, top), (x, y)], dark(green, 0.2), w * 0.025)
                p.circle(x, y, w * g.uniform(0.16, 0.24), light(green, g.uniform(0, 0.25)))
        elif kind == "cactus":
            cg = mix(green, hex_rgb("#7FA88A"), 0.5)
            p.rrect(-w * 0.18, top - w * 1.3, w * 0.18, top + 2, w * 0.18, cg)
            for side in (-1, 1):
                y0 = top - w * g.uniform(0.4, 0.9)
                p.rrect(side * w * 0.15, y0 - w * 0.07, side * w * 0.42, y0 + w * 0.07, w * 0.07, cg)
                p.rrect(
                    side * w * 0.42 - w * 0.08,
                    y0 - w * 0.45,
                    side * w * 0.42 + w * 0.08,
                    y0 + w * 0.07,
                    w * 0.08,
                    cg,
                )
            p.circle(0, top - w * 1.32, w * 0.08, hex_rgb("#F28FA5"))
        else:  # pothos trailing over the edge
            for side in (-1, 1):
                pts = bezier(
                    (side * w * 0.3, top),
                    (side * w * 0.9, top - w * 0.2),
                    (side * w * 0.8, top + w * 0.8),
                    (side * w * g.uniform(0.6, 0.9), top + w * g.uniform(1.4, 2.2)),
                    10,
                )
                p.line(pts, dark(green, 0.2), w * 0.02)
                for i, (x, y) in enumerate(pts[1:], 1):
                    with p.at(x, y, side * (40 + i * 9)):
                        p.poly(leaf_pts(w * 0.3, w * 0.12), mix(green, hex_rgb("#B5D36A"), (i % 3) / 4))
            for _k in range(6):
                with p.at(g.uniform(-0.3, 0.3) * w, top, g.uniform(-160, -20)):
                    p.poly(leaf_pts(w * 0.4, w * 0.15), green)
        pot_draw(p)

    return draw


def desk_plant(rng: random.Random, r: float) -> Draw:
    seed, green, pot_c = rng.random(), rng.choice(GREENS), rng.choice(POTS)

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r, pot_c)
        p.circle(0, 0, r * 0.85, hex_rgb("#6B4F3A"))
        for k in range(9):
            with p.at(0, 0, k * 40 + g.uniform(-10, 10)):
                p.poly(leaf_pts(r * g.uniform(1.1, 1.5), r * 0.32), mix(green, GREENS[3], g.random() * 0.5))

    return draw
