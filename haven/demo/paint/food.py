"""Food: a bowl of noodle soup, a brunch plate, macarons with strawberries (flat-lays on a table)."""

from __future__ import annotations

import math
import random

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    Palette,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.flatlay import (
    CERAMICS,
    GLAZES,
    Draw,
    Placed,
    avocado,
    berry,
    chopsticks,
    citrus_slice,
    flatlay,
    fried_egg,
    latte,
    macaron,
    noodle_bowl,
    plate,
    spoon,
    strawberry,
    toast,
)
from haven.demo.paint.pen import (
    Pen,
    leaf_pts,
)
from haven.demo.paint.surfaces import tabletop


def side_plate(rng: random.Random, r: float, kind: str) -> Draw:
    base = plate(r, rng.choice(CERAMICS), rng.choice(GLAZES) if rng.random() < 0.5 else None)
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        base(p)
        if kind == "meat":
            for k in range(5):
                with p.at(-r * 0.4 + k * r * 0.2, g.uniform(-0.1, 0.1) * r, 80):
                    p.ellipse(0, 0, r * 0.42, r * 0.13, hex_rgb("#D9787A"))
                    p.ellipse(0, -r * 0.02, r * 0.38, r * 0.05, hex_rgb("#F4D3CF"))
        elif kind == "tofu":
            for k in range(6):
                x, y = (k % 3 - 1) * r * 0.32, (k // 3 - 0.5) * r * 0.34
                p.rrect(x - r * 0.14, y - r * 0.14, x + r * 0.14, y + r * 0.14, r * 0.03, hex_rgb("#FBF3DD"))
        elif kind == "greens":
            for k in range(7):
                with p.at(g.uniform(-0.2, 0.2) * r, g.uniform(-0.2, 0.2) * r, k * 51):
                    p.poly(
                        leaf_pts(r * 0.62, r * 0.16), mix(hex_rgb("#4E9A3E"), hex_rgb("#9BCB6B"), g.random())
                    )
        elif kind == "mushroom":
            for _k in range(9):
                x, y = g.uniform(-0.45, 0.45) * r, g.uniform(-0.45, 0.45) * r
                p.circle(x, y, r * 0.14, hex_rgb("#8B5E3C"))
                p.circle(x, y, r * 0.06, hex_rgb("#E8D4B8"))
        elif kind == "dumplings":
            for k in range(5):
                with p.at(math.cos(k * 1.256) * r * 0.38, math.sin(k * 1.256) * r * 0.38, k * 72 + 90):
                    p.ellipse(0, 0, r * 0.24, r * 0.15, hex_rgb("#F7EEDC"))
                    p.arc(0, r * 0.02, r * 0.2, r * 0.1, 200, 340, hex_rgb("#E2D2B5"), r * 0.02)
        else:  # kimchi / pickles
            for _k in range(8):
                with p.at(g.uniform(-0.4, 0.4) * r, g.uniform(-0.4, 0.4) * r, g.uniform(0, 180)):
                    p.poly(
                        leaf_pts(r * 0.4, r * 0.14), mix(hex_rgb("#D9482B"), hex_rgb("#F08A4B"), g.random())
                    )

    return draw


def _food(c: Canvas, pal: Palette, kind: str) -> None:
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
    items: list[Placed] = []
    if kind == "noodles":
        items.append(
            (
                noodle_bowl(
                    rng,
                    30 * u,
                    rng.choice([hex_rgb("#D9A35B"), hex_rgb("#E8C48A"), hex_rgb("#C8552F")]),
                    rng.choice(CERAMICS),
                    rng.choice(GLAZES),
                ),
                cx,
                cy,
                0,
                1,
            )
        )
        items.append(
            (
                chopsticks(62 * u, rng.choice([hex_rgb("#3B2A20"), hex_rgb("#C79A66")])),
                cx + 36 * u,
                cy + 6 * u,
                rng.uniform(60, 80),
                1,
            )
        )
        items.append(
            (side_plate(rng, 12 * u, rng.choice(["kimchi", "dumplings"])), cx - 30 * u, cy - 34 * u, 0, 1)
        )
        items.append(
            (
                latte(8 * u, rng.choice(CERAMICS), art="plain", tea=True),
                cx + 28 * u,
                cy - 38 * u,
                rng.uniform(0, 90),
                1,
            )
        )
    elif kind == "breakfast":
        dish = plate(32 * u, rng.choice(CERAMICS), rng.choice(GLAZES) if rng.random() < 0.4 else None)
        egg, bread, avo = fried_egg(rng, 10 * u), toast(9 * u), avocado(9 * u)
        items.append((dish, cx, cy, 0, 1))
        items.append((bread, cx - 10 * u, cy - 6 * u, rng.uniform(-20, 20), 1))
        items.append((egg, cx + 10 * u, cy + 8 * u, 0, 1))
        items.append((avo, cx + 12 * u, cy - 14 * u, rng.uniform(20, 60), 1))
        items.append(
            (
                latte(10 * u, rng.choice(CERAMICS), art=rng.choice(["heart", "rosetta"])),
                cx + 30 * u,
                cy + 38 * u,
                rng.uniform(-60, 30),
                1,
            )
        )
        for _k in range(rng.randint(5, 9)):
            items.append(
                (
                    berry(rng.uniform(1.6, 2.4) * u, rng.choice([hex_rgb("#3B3F8C"), hex_rgb("#5B2A6E")])),
                    cx - 30 * u + rng.uniform(-6, 6) * u,
                    cy + 36 * u + rng.uniform(-6, 6) * u,
                    0,
                    1,
                )
            )
        items.append((spoon(30 * u, hex_rgb("#C9CDD2")), cx - 38 * u, cy - 10 * u, rng.uniform(80, 100), 1))
    elif kind == "dessert":
        items.append((plate(30 * u, rng.choice(CERAMICS), pal.a1), cx, cy, 0, 1))
        colors = [pal.a1, pal.a2, pal.a3, light(pal.a1, 0.4), hex_rgb("#F6C1CF"), hex_rgb("#C8E3B5")]
        for k in range(5):
            a = k * 72 + rng.uniform(-10, 10)
            items.append(
                (
                    macaron(7 * u, rng.choice(colors)),
                    cx + math.cos(math.radians(a)) * 14 * u,
                    cy + math.sin(math.radians(a)) * 14 * u,
                    0,
                    1,
                )
            )
        items.append((strawberry(5 * u), cx, cy, rng.uniform(-30, 30), 1))
        for _k in range(rng.randint(4, 7)):
            items.append(
                (
                    strawberry(rng.uniform(3.5, 5) * u),
                    rng.uniform(0.05, 0.95) * w,
                    rng.choice([rng.uniform(0.03, 0.18), rng.uniform(0.82, 0.97)]) * h,
                    rng.uniform(0, 360),
                    1,
                )
            )
        items.append(
            (
                latte(9 * u, rng.choice(CERAMICS), art="rosetta"),
                cx - 32 * u,
                cy + 36 * u,
                rng.uniform(0, 90),
                1,
            )
        )
        items.append((citrus_slice(6 * u, hex_rgb("#F2C230")), cx + 34 * u, cy - 30 * u, 0, 1))
    flatlay(c, items)


def scene_noodles(c: Canvas, pal: Palette) -> None:
    _food(c, pal, "noodles")


def scene_breakfast(c: Canvas, pal: Palette) -> None:
    _food(c, pal, "breakfast")


def scene_dessert(c: Canvas, pal: Palette) -> None:
    _food(c, pal, "dessert")
