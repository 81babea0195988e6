"""Surfaces to lay things on: tablecloths, wood, marble, terrazzo; window-light leaf shadows."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    RGB,
    Palette,
    Point,
    alpha,
    dark,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.pen import (
    leaf_pts,
)


def gingham(c: Canvas, base: RGB, line: RGB, cell: float) -> None:
    c.flat(base)
    p = c.pen
    x = 0.0
    while x < max(c.w, c.h) * 1.5:
        p.rect(x, 0, x + cell, c.h, alpha(line, 90))
        p.rect(0, x, c.w, x + cell, alpha(line, 90))
        x += 2 * cell


def stripes(c: Canvas, base: RGB, line: RGB, width: float, angle: float = 0.0) -> None:
    c.flat(base)
    p = c.pen
    span = math.hypot(c.w, c.h)
    with p.at(c.w / 2, c.h / 2, angle):
        x = -span
        while x < span:
            p.rect(x, -span, x + width, span, alpha(line, 150))
            x += 2.6 * width


def dots(c: Canvas, base: RGB, dot: RGB, r: float, gap: float) -> None:
    c.flat(base)
    p = c.pen
    row = 0
    y = gap / 2
    while y < c.h + gap:
        x = gap / 2 + (gap / 2 if row % 2 else 0)
        while x < c.w + gap:
            p.circle(x, y, r, alpha(dot, 170))
            x += gap
        y += gap * 0.87
        row += 1


def wood(c: Canvas, base: RGB, *, vertical: bool = False, plank: float | None = None) -> None:
    rng = c.rng
    plank = plank or rng.uniform(16, 26) * c.u
    p = c.pen
    length = c.w if not vertical else c.h
    across = c.h if not vertical else c.w
    pos = -rng.uniform(0, plank)
    while pos < across:
        tone = mix(base, light(base, 0.5) if rng.random() < 0.5 else dark(base, 0.5), rng.uniform(0.0, 0.25))
        box = (0, pos, length, pos + plank) if not vertical else (pos, 0, pos + plank, length)
        c.flat(tone, (box[0], box[1], box[2], box[3]))
        for _g in range(rng.randint(3, 6)):
            off = rng.uniform(0.1, 0.9) * plank
            amp = rng.uniform(0.2, 1.2) * c.u
            ph = rng.uniform(0, 6.28)
            freq = rng.uniform(0.004, 0.012)
            pts: list[Point] = [
                (float(s), pos + off + amp * math.sin(s * freq + ph)) for s in range(0, int(length) + 40, 40)
            ]
            if vertical:
                pts = [(y, x) for x, y in pts]
            p.line(pts, alpha(dark(tone, 0.4), 40), 0.25 * c.u, caps=False)
        seam = alpha(dark(base, 0.5), 110)
        if vertical:
            p.rect(pos, 0, pos + 0.35 * c.u, length, seam)
        else:
            p.rect(0, pos, length, pos + 0.35 * c.u, seam)
        pos += plank


def marble(c: Canvas, base: RGB, vein: RGB) -> None:
    rng = c.rng
    c.gradient([(0.0, light(base, 0.4)), (1.0, base)], angle=rng.uniform(30, 150))
    with c.soft(blur=2.5 * c.u, opacity=0.55) as pen:
        for _i in range(rng.randint(3, 5)):
            pen.line(_wander(c, rng), alpha(vein, 160), rng.uniform(1.0, 2.2) * c.u)
    for _i in range(rng.randint(3, 6)):
        c.pen.line(_wander(c, rng), alpha(vein, 90), rng.uniform(0.12, 0.3) * c.u)


def _wander(c: Canvas, rng: random.Random) -> list[Point]:
    x, y = rng.uniform(-0.1, 0.6) * c.w, rng.uniform(-0.1, 1.1) * c.h
    heading = rng.uniform(-0.6, 0.6)
    pts = [(x, y)]
    for _s in range(40):
        heading += rng.uniform(-0.35, 0.35)
        x += math.cos(heading) * 3.5 * c.u
        y += math.sin(heading) * 3.5 * c.u
        pts.append((x, y))
    return pts


def terrazzo(c: Canvas, base: RGB, chips: Sequence[RGB]) -> None:
    rng = c.rng
    c.flat(base)
    p = c.pen
    n = int(c.w * c.h / (9 * c.u) ** 2)
    for _i in range(n):
        x, y = rng.uniform(0, c.w), rng.uniform(0, c.h)
        r = rng.uniform(0.5, 1.8) * c.u
        k = rng.randint(4, 7)
        pts = [
            (
                x + r * rng.uniform(0.6, 1.0) * math.cos(2 * math.pi * j / k + rng.uniform(-0.3, 0.3)),
                y + r * rng.uniform(0.6, 1.0) * math.sin(2 * math.pi * j / k + rng.uniform(-0.3, 0.3)),
            )
            for j in range(k)
        ]
        p.poly(pts, alpha(rng.choice(chips), 200))


def tabletop(c: Canvas, pal: Palette) -> None:
    """One of several table surfaces in the palette's colours."""
    rng = c.rng
    kind = rng.choice(["gingham", "gingham", "wood", "marble", "terrazzo", "linen", "stripes", "dots"])
    if kind == "gingham":
        gingham(c, light(pal.ground, 0.3), rng.choice(pal.accents), rng.uniform(4.5, 7.5) * c.u)
    elif kind == "wood":
        wood(c, rng.choice([hex_rgb("#C8A27C"), hex_rgb("#B98B63"), hex_rgb("#DDBB94"), hex_rgb("#A67B5B")]))
    elif kind == "marble":
        marble(c, light(pal.ground, 0.5), mix(pal.deep, pal.ground2, 0.5))
    elif kind == "terrazzo":
        terrazzo(c, light(pal.ground, 0.2), [pal.a1, pal.a2, pal.a3, pal.ground2])
    elif kind == "stripes":
        stripes(c, light(pal.ground, 0.2), pal.ground2, rng.uniform(3, 6) * c.u, rng.choice([0, 0, 90, 45]))
    elif kind == "dots":
        dots(c, pal.ground2, light(pal.ground, 0.4), rng.uniform(0.8, 1.4) * c.u, rng.uniform(6, 9) * c.u)
    else:
        c.gradient([(0.0, light(pal.ground2, 0.35)), (1.0, pal.ground2)], angle=rng.uniform(0, 180))


def leaf_shadows(c: Canvas, opacity: float = 0.18) -> None:
    """Soft shadows of a plant outside the frame, falling across the scene."""
    rng = c.rng
    with c.soft(blur=0.6 * c.u, opacity=opacity) as pen:
        x0, y0 = rng.choice([(-0.05, rng.uniform(0, 0.4)), (1.05, rng.uniform(0, 0.4))])
        for _k in range(rng.randint(4, 7)):
            stem_a = rng.uniform(-55, 55) + (0 if x0 < 0.5 else 180)
            length = rng.uniform(30, 50) * c.u
            with pen.at(x0 * c.w, y0 * c.h, stem_a):
                pen.line([(0, 0), (length, 0)], (40, 40, 40, 255), 0.6 * c.u)
                for j in range(1, 7):
                    for side in (-1, 1):
                        with pen.at(length * (0.1 + 0.8 * j / 6), 0, side * rng.uniform(30, 50)):
                            pen.poly(leaf_pts(length * 0.42 * (1 - j / 9), 3.2 * c.u), (40, 40, 40, 255))
