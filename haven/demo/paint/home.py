"""Home: plants on a window sill and a cosy corner."""

from __future__ import annotations

import random
from collections.abc import Sequence

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    INK,
    RGB,
    WHITE,
    Palette,
    alpha,
    dark,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.flatlay import (
    Draw,
    placed,
)
from haven.demo.paint.landscapes import (
    SKIES,
    ridge_line,
)
from haven.demo.paint.pen import (
    Pen,
)
from haven.demo.paint.plants import plant


def books(rng: random.Random, width: float, height: float, colors: Sequence[RGB]) -> Draw:
    spines: list[tuple[float, float, RGB, float]] = []
    x = 0.0
    while x < width:
        bw = rng.uniform(0.06, 0.13) * width
        spines.append((x, bw, rng.choice(colors), rng.uniform(0.7, 1.0) * height))
        x += bw + 0.004 * width

    def draw(p: Pen) -> None:
        for bx, bw, color, bh in spines:
            p.rect(bx, -bh, bx + bw, 0, color)
            p.rect(bx + bw * 0.2, -bh * 0.8, bx + bw * 0.8, -bh * 0.74, alpha(WHITE, 110))

    return draw


def scene_home(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    wall = light(rng.choice([pal.ground2, pal.a3, pal.a2, hex_rgb("#E8DCCB")]), rng.uniform(0.3, 0.55))
    c.gradient([(0.0, light(wall, 0.25)), (1.0, dark(wall, 0.05))], angle=rng.uniform(60, 120))
    sill = h * rng.uniform(0.6, 0.7)
    wx0, wx1 = w * rng.uniform(0.12, 0.25), w * rng.uniform(0.75, 0.88)
    wy0 = h * rng.uniform(0.08, 0.14)
    sky = SKIES[rng.choice(["day", "dawn", "golden", "mint", "lilac", "sunset"])]
    c.gradient([(0.0, sky.top), (0.6, sky.mid), (1.0, sky.low)], box=(wx0, wy0, wx1, sill))
    hill = ridge_line(c, sill - 8 * u, 5 * u, 0.5)
    c.pen.poly(
        [(max(wx0, min(wx1, x)), y) for x, y in hill] + [(wx1, sill), (wx0, sill)], mix(sky.far, sky.low, 0.3)
    )
    if rng.random() < 0.5:
        c.glow(rng.uniform(wx0, wx1), rng.uniform(wy0, sill - 20 * u), 18 * u, light(sky.sun, 0.2), 0.5)
    frame = light(wall, 0.75)
    fw = 1.6 * u
    for x in (wx0, (wx0 + wx1) / 2, wx1):
        c.pen.rect(x - fw, wy0 - fw, x + fw, sill, frame)
    for y in (wy0, wy0 + (sill - wy0) * 0.45):
        c.pen.rect(wx0 - fw, y - fw, wx1 + fw, y + fw, frame)
    curtain = rng.choice([light(pal.a1, 0.55), light(pal.a3, 0.5), hex_rgb("#F4EFE6")])
    for side in ((0, wx0 + 4 * u), (wx1 - 4 * u, w)) if rng.random() < 0.6 else ((wx1 - 4 * u, w),):
        c.pen.rect(side[0], 0, side[1], h * 0.95, alpha(curtain, 235))
        for k in range(1, 5):
            x = side[0] + (side[1] - side[0]) * k / 5
            c.pen.line([(x, 0), (x, h * 0.95)], alpha(dark(curtain, 0.25), 70), 0.8 * u)
    c.pen.rect(wx0 - 5 * u, sill, wx1 + 5 * u, sill + 3 * u, light(wall, 0.85))
    c.pen.rect(wx0 - 5 * u, sill + 3 * u, wx1 + 5 * u, sill + 4 * u, alpha(dark(wall, 0.3), 90))
    c.shadow(
        lambda p: p.rect(wx0 - 5 * u, sill + 3 * u, wx1 + 5 * u, sill + 5 * u, INK),
        offset=(0, 1.5 * u),
        blur=1.5 * u,
        opacity=0.18,
    )
    x = wx0 + rng.uniform(4, 8) * u
    while x < wx1 - 8 * u:
        pw = rng.uniform(11, 17) * u
        draw = plant(rng, pw)
        c.shadow(
            placed(draw, x + pw / 2, sill),
            offset=(2 * u, 0),
            blur=1.5 * u,
            opacity=0.15,
        )
        with c.pen.at(x + pw / 2, sill):
            draw(c.pen)
        x += pw + rng.uniform(3, 10) * u
    if h > w * 1.05 or rng.random() < 0.5:  # a shelf of books below the window
        sy = sill + (h - sill) * rng.uniform(0.6, 0.75)
        c.pen.rect(w * 0.1, sy, w * 0.9, sy + 2 * u, light(wall, 0.85))
        c.shadow(
            lambda p: p.rect(w * 0.1, sy, w * 0.9, sy + 2 * u, INK),
            offset=(0, 1.2 * u),
            blur=1.2 * u,
            opacity=0.2,
        )
        with c.pen.at(w * 0.14, sy):
            books(rng, w * 0.42, 14 * u, [pal.a1, pal.a2, pal.a3, pal.deep, pal.ground2])(c.pen)
        with c.pen.at(w * 0.72, sy):
            plant(rng, 9 * u, "pothos")(c.pen)
    c.light_band(rng.uniform(20, 40), 0.1, count=1)
