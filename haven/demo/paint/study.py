"""Study and language exchange: a desk flat-lay."""

from __future__ import annotations

import math
import random

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    RGB,
    Palette,
    alpha,
    dark,
    hex_rgb,
    light,
)
from haven.demo.paint.flatlay import (
    CERAMICS,
    Draw,
    Placed,
    flatlay,
    latte,
)
from haven.demo.paint.pen import (
    Pen,
)
from haven.demo.paint.plants import desk_plant
from haven.demo.paint.surfaces import wood


def notebook(s: float, paper: RGB, ink: RGB, rng: random.Random, *, grid: bool) -> Draw:
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.rrect(-1.05 * s, -0.75 * s, 1.05 * s, 0.75 * s, 0.04 * s, dark(paper, 0.35))
        p.rect(-s, -0.72 * s, s, 0.72 * s, paper)
        p.rect(-0.02 * s, -0.72 * s, 0.02 * s, 0.72 * s, dark(paper, 0.12))
        for side in (-1, 1):
            x0 = -0.92 * s if side < 0 else 0.1 * s
            if grid and side > 0:  # practice grid with dashed centre lines
                cell = 0.19 * s
                for r_ in range(6):
                    for k in range(4):
                        bx, by = x0 + k * (cell + 0.02 * s), -0.62 * s + r_ * (cell + 0.03 * s)
                        p.rect(bx, by, bx + cell, by + cell, alpha(hex_rgb("#D9534F"), 40))
                        p.line(
                            [(bx + cell / 2, by), (bx + cell / 2, by + cell)],
                            alpha(hex_rgb("#D9534F"), 90),
                            0.004 * s,
                        )
                        p.line(
                            [(bx, by + cell / 2), (bx + cell, by + cell / 2)],
                            alpha(hex_rgb("#D9534F"), 90),
                            0.004 * s,
                        )
                continue
            for r_ in range(11):
                y = -0.6 * s + r_ * 0.12 * s
                p.line([(x0, y), (x0 + 0.82 * s, y)], alpha(hex_rgb("#7FA7D9"), 110), 0.006 * s)
                if g.random() < 0.8:
                    length = g.uniform(0.3, 0.8) * s
                    pts = [
                        (
                            x0 + 0.03 * s + t * 0.02 * s,
                            y - 0.035 * s - 0.018 * s * abs(math.sin(t * 1.7 + g.random())),
                        )
                        for t in range(int(length / (0.02 * s)))
                    ]
                    if len(pts) > 1:
                        p.line(pts, alpha(ink, 170), 0.008 * s)

    return draw


def pen_(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.06 * s, 0.8 * s, 0.06 * s, 0.05 * s, color)
        p.poly([(0.8 * s, -0.05 * s), (s, 0.0), (0.8 * s, 0.05 * s)], hex_rgb("#E9D9B8"))
        p.rect(-0.7 * s, -0.09 * s, -0.2 * s, -0.05 * s, hex_rgb("#D4AF37"))

    return draw


def sticky(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rect(-s, -s, s, s, color)
        p.rect(-s, -s, s, -0.7 * s, dark(color, 0.06))
        for k in range(3):
            p.line(
                [(-0.7 * s, -0.3 * s + k * 0.35 * s), ((0.6 - 0.4 * (k == 2)) * s, -0.3 * s + k * 0.35 * s)],
                alpha(hex_rgb("#3A3A4A"), 120),
                0.06 * s,
            )

    return draw


def laptop(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.68 * s, s, 0.68 * s, 0.06 * s, color)
        p.rrect(-0.9 * s, -0.58 * s, 0.9 * s, 0.2 * s, 0.02 * s, dark(color, 0.1))
        for r_ in range(5):
            for k in range(12):
                x, y = -0.86 * s + k * 0.145 * s, -0.54 * s + r_ * 0.145 * s
                p.rrect(x, y, x + 0.12 * s, y + 0.12 * s, 0.02 * s, dark(color, 0.2))
        p.rrect(-0.28 * s, 0.28 * s, 0.28 * s, 0.6 * s, 0.03 * s, dark(color, 0.05))

    return draw


def scene_study(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    if rng.random() < 0.5:
        wood(
            c,
            rng.choice([hex_rgb("#C8A27C"), hex_rgb("#DDBB94"), hex_rgb("#B98B63")]),
            vertical=rng.random() < 0.5,
        )
    else:
        c.gradient([(0.0, light(pal.ground, 0.2)), (1.0, pal.ground2)], angle=rng.uniform(40, 140))
    items: list[Placed] = []
    portrait = h > w
    items.append(
        (
            laptop(26 * u, rng.choice([hex_rgb("#D5D8DC"), hex_rgb("#BFC3C8"), hex_rgb("#E8D5CF")])),
            w * 0.5,
            h * (0.2 if portrait else 0.22),
            rng.uniform(-8, 8),
            1,
        )
    )
    items.append(
        (
            notebook(
                24 * u,
                hex_rgb("#FFFDF7"),
                rng.choice([hex_rgb("#2F3A66"), hex_rgb("#3A3A3A")]),
                rng,
                grid=rng.random() < 0.6,
            ),
            w * 0.48,
            h * (0.62 if portrait else 0.66),
            rng.uniform(-10, 10),
            1,
        )
    )
    items.append((pen_(14 * u, rng.choice(pal.accents)), w * 0.88, h * 0.62, rng.uniform(80, 110), 1))
    items.append(
        (
            latte(8 * u, rng.choice(CERAMICS), art=rng.choice(["heart", "rosetta"])),
            w * 0.12,
            h * (0.42 if portrait else 0.35),
            rng.uniform(0, 90),
            1,
        )
    )
    for k in range(rng.randint(2, 3)):
        items.append(
            (
                sticky(
                    5 * u,
                    rng.choice(
                        [hex_rgb("#FFE37A"), hex_rgb("#FFB4C2"), hex_rgb("#A8E0C8"), hex_rgb("#B5D2F5")]
                    ),
                ),
                w * (0.84 + 0.02 * k),
                h * (0.14 + 0.09 * k),
                rng.uniform(-15, 15),
                1,
            )
        )
    items.append((desk_plant(rng, 7 * u), w * 0.14, h * (0.88 if portrait else 0.82), 0, 1))
    flatlay(c, items, opacity=0.22, lift=0.8)
    if rng.random() < 0.6:
        c.light_band(rng.uniform(20, 40), 0.12, count=rng.randint(1, 2))
