"""Landscapes: layered mountains under a sun or moon, a seaside, a city at dusk."""

from __future__ import annotations

import math
from dataclasses import dataclass

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    RGB,
    WHITE,
    Color,
    Palette,
    Point,
    alpha,
    dark,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.pen import (
    Pen,
    bezier,
)


@dataclass(frozen=True)
class Sky:
    top: RGB
    mid: RGB
    low: RGB
    sun: RGB
    far: RGB
    near: RGB
    night: bool = False


def _sky(top: str, mid: str, low: str, sun: str, far: str, near: str, *, night: bool = False) -> Sky:
    return Sky(
        hex_rgb(top), hex_rgb(mid), hex_rgb(low), hex_rgb(sun), hex_rgb(far), hex_rgb(near), night=night
    )


SKIES: dict[str, Sky] = {
    "sunset": _sky("#4B4E8C", "#E58F65", "#FFD3A5", "#FFF3DC", "#C98A95", "#2E2A4F"),
    "dawn": _sky("#9DBDE6", "#F4CFDC", "#FFE8D6", "#FFFFFF", "#B2B7DA", "#46557A"),
    "day": _sky("#4F9BE0", "#9ACCF0", "#E6F3FA", "#FFFBEA", "#9CC0D2", "#2E5A4E"),
    "night": _sky("#101936", "#26386A", "#56699E", "#F4F1DE", "#34457A", "#0C1226", night=True),
    "golden": _sky("#F0A86A", "#F8C99B", "#FFF0CF", "#FFFFFF", "#E09C76", "#6E4536"),
    "mint": _sky("#7CC6C0", "#CDEBD9", "#FFF6E0", "#FFFFFF", "#9FCBB5", "#2F5D57"),
    "lilac": _sky("#8D86C9", "#D7B8E0", "#FBE3E8", "#FFF8F0", "#B49FCC", "#3D3563"),
}


def sky_backdrop(c: Canvas, sky: Sky, horizon: float) -> None:
    c.gradient([(0.0, sky.top), (0.62 * horizon / c.h, sky.mid), (horizon / c.h, sky.low), (1.0, sky.low)])
    if sky.night:
        rng = c.rng
        for _i in range(int(60 * c.w / 1000)):
            x, y = rng.uniform(0, c.w), rng.uniform(0, horizon * 0.8)
            c.pen.circle(x, y, rng.uniform(0.12, 0.35) * c.u, alpha(WHITE, rng.randint(90, 230)))


def sun(c: Canvas, sky: Sky, x: float, y: float, r: float) -> None:
    c.glow(x, y, r * 4.2, light(sky.sun, 0.2), 0.55)
    c.pen.circle(x, y, r, sky.sun)
    if sky.night:  # a moon: a few soft craters
        for dx, dy, k in ((-0.3, -0.2, 0.22), (0.25, 0.15, 0.16), (-0.05, 0.38, 0.12)):
            c.pen.circle(x + dx * r, y + dy * r, k * r, alpha(dark(sky.sun, 0.3), 45))


def clouds(c: Canvas, color: RGB, count: int, y_range: tuple[float, float], opacity: int = 170) -> None:
    rng = c.rng
    with c.soft(blur=0.8 * c.u) as pen:
        for _i in range(count):
            x, y = rng.uniform(-0.1, 1.0) * c.w, rng.uniform(*y_range)
            width = rng.uniform(14, 30) * c.u
            pen.rrect(x, y, x + width, y + 3.2 * c.u, 1.6 * c.u, alpha(color, opacity))
            for _k in range(rng.randint(2, 4)):
                r = rng.uniform(2.5, 5.5) * c.u
                pen.circle(
                    x + rng.uniform(0.2, 0.8) * width, y + 3.2 * c.u - r * 0.6, r, alpha(color, opacity)
                )


def away(c: Canvas, x: float) -> float:
    """An x on the other side of the picture from `x` (so birds never sit on the sun like eyes)."""
    return (c.rng.uniform(0.62, 0.85) if x < c.w / 2 else c.rng.uniform(0.15, 0.38)) * c.w


def birds(c: Canvas, x: float, y: float, color: RGB) -> None:
    rng = c.rng
    for _i in range(rng.randint(2, 5)):
        bx, by = x + rng.uniform(-12, 12) * c.u, y + rng.uniform(-6, 6) * c.u
        s = rng.uniform(0.9, 1.6) * c.u
        c.pen.line([(bx - s, by - 0.5 * s), (bx - 0.3 * s, by), (bx, by + 0.15 * s)], color, 0.28 * c.u)
        c.pen.line([(bx, by + 0.15 * s), (bx + 0.3 * s, by), (bx + s, by - 0.6 * s)], color, 0.28 * c.u)


def ridge_line(c: Canvas, base: float, amp: float, rough: float) -> list[Point]:
    """A mountain skyline: broad sines plus midpoint-displacement detail."""
    rng = c.rng
    n = 64
    heights = [0.0] * (n + 1)
    heights[0], heights[n] = rng.uniform(-1, 1), rng.uniform(-1, 1)
    step, scale = n, 1.0
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            heights[i] = (heights[i - half] + heights[i + half]) / 2 + rng.uniform(-1, 1) * scale
        step, scale = half, scale * rough
    p1, p2, f1 = rng.uniform(0, 6.28), rng.uniform(0, 6.28), rng.uniform(1.2, 2.6)
    pts: list[Point] = []
    for i in range(n + 1):
        x = c.w * i / n
        broad = 0.6 * math.sin(f1 * math.pi * i / n + p1) + 0.3 * math.sin(4.3 * math.pi * i / n + p2)
        pts.append((x, base - amp * (broad + 0.45 * heights[i])))
    return pts


def pine(pen: Pen, x: float, y: float, h: float, color: Color) -> None:
    for k in range(3):
        top = y - h * (0.45 + 0.22 * k)
        wdt = h * (0.32 - 0.07 * k)
        pen.poly([(x, top - h * 0.3), (x + wdt, top + h * 0.18), (x - wdt, top + h * 0.18)], color)
    pen.rect(x - h * 0.03, y - h * 0.3, x + h * 0.03, y, color)


def scene_mountains(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    sky = SKIES[rng.choice(sorted(SKIES))]
    lake = rng.random() < 0.4
    floor = c.h * (rng.uniform(0.72, 0.8) if lake else 1.0)
    horizon = c.h * rng.uniform(0.5, 0.62)
    sky_backdrop(c, sky, horizon)
    sx, sy, sr = rng.uniform(0.2, 0.8) * c.w, horizon * rng.uniform(0.45, 0.85), rng.uniform(6, 10) * c.u
    sun(c, sky, sx, sy, sr)
    if not sky.night:
        clouds(c, light(sky.low, 0.5), rng.randint(2, 4), (0.08 * c.h, horizon * 0.7))
    layers = rng.randint(4, 5)
    nearest: list[Point] = []
    for i in range(layers):
        t = i / (layers - 1)
        base = horizon + (floor - horizon) * (0.05 + 0.62 * t) - (0 if lake else 0.04 * c.h)
        amp = c.h * (0.09 + 0.05 * (1 - t)) * rng.uniform(0.7, 1.2)
        color = mix(mix(sky.far, sky.low, 0.25 * (1 - t)), sky.near, t**1.3)
        pts = ridge_line(c, base, amp, rng.uniform(0.48, 0.6))
        c.pen.poly([*pts, (c.w, floor), (0, floor)], color)
        if i < layers - 1:
            with c.soft(blur=4 * c.u, opacity=0.35) as pen:
                pen.rect(0, base - 0.02 * c.h, c.w, base + 0.06 * c.h, alpha(sky.low, 200))
        nearest = pts
    if rng.random() < 0.6:
        tree = dark(sky.near, 0.25)
        for _k in range(rng.randint(5, 14)):
            i = rng.randint(0, len(nearest) - 1)
            x, y = nearest[i]
            pine(c.pen, x, y + 3 * c.u + rng.uniform(0, 0.06) * c.h, rng.uniform(5, 9) * c.u, tree)
    if lake:
        c.gradient([(0.0, mix(sky.low, sky.mid, 0.4)), (1.0, dark(sky.top, 0.15))], box=(0, floor, c.w, c.h))
        mirrored = [(x, 2 * floor - y) for x, y in nearest]
        c.pen.poly([(0, floor), *mirrored, (c.w, floor)], alpha(dark(sky.near, 0.1), 120))
        with c.soft(blur=1.5 * c.u) as pen:
            pen.ellipse(sx, floor + (floor - sy) * 0.35, sr * 0.9, sr * 2.4, alpha(sky.sun, 90))
        for _k in range(rng.randint(10, 18)):
            y = rng.uniform(floor + 1 * c.u, c.h)
            x = rng.uniform(0, c.w)
            half = rng.uniform(2, 9) * c.u
            c.pen.line([(x - half, y), (x + half, y)], alpha(WHITE, 70), 0.25 * c.u)
    if not sky.night and rng.random() < 0.6:
        birds(c, away(c, sx), horizon * rng.uniform(0.2, 0.5), dark(sky.near, 0.2))


def scene_seaside(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    sky = SKIES[rng.choice(["sunset", "dawn", "day", "golden", "mint", "lilac"])]
    horizon = c.h * rng.uniform(0.42, 0.55)
    sky_backdrop(c, sky, horizon)
    sx, sr = rng.uniform(0.25, 0.75) * c.w, rng.uniform(7, 11) * c.u
    sy = horizon - sr * rng.uniform(0.2, 2.5)
    sun(c, sky, sx, sy, sr)
    clouds(c, light(sky.low, 0.6), rng.randint(2, 4), (0.06 * c.h, horizon * 0.6))
    sea_top = mix(sky.low, sky.mid, 0.55)
    sea_deep = rng.choice([hex_rgb("#2F7FA3"), hex_rgb("#3A8C8C"), hex_rgb("#4C6FA8"), dark(sky.mid, 0.45)])
    c.gradient([(0.0, sea_top), (1.0, sea_deep)], box=(0, horizon, c.w, c.h))
    if rng.random() < 0.5:  # a far island
        ix = rng.uniform(-0.1, 0.6) * c.w
        iw = rng.uniform(20, 40) * c.u
        c.pen.poly(
            bezier(
                (ix, horizon),
                (ix + iw * 0.3, horizon - 5 * c.u),
                (ix + iw * 0.6, horizon - 4 * c.u),
                (ix + iw, horizon),
            ),
            mix(sky.far, sea_top, 0.3),
        )
    for k in range(26):  # the sun's path on the water
        y = horizon + (c.h - horizon) * (k / 26) ** 1.6 + 0.6 * c.u
        half = (2 + 10 * k / 26) * c.u * rng.uniform(0.6, 1.2)
        x = sx + rng.uniform(-2, 2) * c.u
        c.pen.line([(x - half, y), (x + half, y)], alpha(light(sky.sun, 0.3), 150 - 3 * k), 0.5 * c.u)
    shore = c.h * rng.uniform(0.78, 0.88)
    sand = rng.choice([hex_rgb("#F2DDBE"), hex_rgb("#EBD3B0"), hex_rgb("#F6E6D0")])
    edge = bezier(
        (0, shore), (c.w * 0.35, shore - 5 * c.u), (c.w * 0.65, shore + 5 * c.u), (c.w, shore - 2 * c.u)
    )
    c.pen.poly([*edge, (c.w, c.h), (0, c.h)], sand)
    c.pen.line([(x, y - 0.4 * c.u) for x, y in edge], alpha(WHITE, 200), 0.8 * c.u)
    c.pen.line([(x, y - 2.2 * c.u) for x, y in edge], alpha(WHITE, 90), 0.4 * c.u)
    if rng.random() < 0.6:  # a sailboat
        bx, by = rng.uniform(0.15, 0.85) * c.w, horizon + rng.uniform(1.5, 5) * c.u
        s = rng.uniform(0.6, 1.1) * c.u
        c.pen.poly(
            [(bx - 4 * s, by), (bx + 4 * s, by), (bx + 3 * s, by + 1.2 * s), (bx - 3 * s, by + 1.2 * s)],
            dark(sky.near, 0.1),
        )
        c.pen.poly([(bx, by - 9 * s), (bx, by - 0.5 * s), (bx + 4 * s, by - 0.5 * s)], light(sky.sun, 0.1))
        c.pen.poly(
            [(bx - 0.4 * s, by - 8 * s), (bx - 0.4 * s, by - 0.5 * s), (bx - 3 * s, by - 0.5 * s)],
            light(sky.low, 0.5),
        )
    if rng.random() < 0.5:
        birds(c, away(c, sx), horizon * rng.uniform(0.25, 0.6), dark(sky.near, 0.2))


def scene_city(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    sky = SKIES[rng.choice(["sunset", "night", "lilac", "golden", "dawn"])]
    ground = c.h * rng.uniform(0.8, 0.9)
    sky_backdrop(c, sky, ground)
    sun(c, sky, rng.uniform(0.2, 0.8) * c.w, ground * rng.uniform(0.2, 0.45), rng.uniform(5, 8) * c.u)
    if not sky.night:
        clouds(c, light(sky.low, 0.5), rng.randint(1, 3), (0.08 * c.h, ground * 0.45))
    warm = hex_rgb("#FFD88A")
    for row in range(3):
        t = row / 2
        color = mix(mix(sky.far, sky.low, 0.3), sky.near, 0.25 + 0.75 * t)
        x = -rng.uniform(0, 8) * c.u
        while x < c.w:
            bw = rng.uniform(9, 20) * c.u * (1.2 - 0.2 * t)
            bh = c.h * rng.uniform(0.18, 0.42) * (1.1 - 0.35 * t)
            top = ground - bh
            c.pen.rect(x, top, x + bw, ground, color)
            roof = rng.random()
            if roof < 0.15:
                c.pen.poly([(x + bw * 0.3, top), (x + bw * 0.5, top - bh * 0.25), (x + bw * 0.7, top)], color)
            elif roof < 0.3:
                c.pen.rect(x + bw * 0.2, top - 3 * c.u, x + bw * 0.8, top, color)
                c.pen.line([(x + bw / 2, top - 3 * c.u), (x + bw / 2, top - 9 * c.u)], color, 0.4 * c.u)
            elif roof < 0.38:
                c.pen.ellipse(x + bw / 2, top, bw * 0.4, bw * 0.3, color)
            if row > 0:
                lit = 0.35 if sky.night else 0.2
                wx = 1.6 * c.u
                gx = x + 1.5 * c.u
                while gx + wx < x + bw - 1.2 * c.u:
                    gy = top + 2 * c.u
                    while gy + 2 * c.u < ground - 2 * c.u:
                        if rng.random() < lit:
                            c.pen.rect(gx, gy, gx + wx, gy + 2 * c.u, alpha(warm, 230))
                        else:
                            c.pen.rect(gx, gy, gx + wx, gy + 2 * c.u, alpha(light(color, 0.25), 90))
                        gy += 3.6 * c.u
                    gx += wx + 1.4 * c.u
            x += bw + rng.uniform(0.3, 2.5) * c.u
    c.flat(dark(sky.near, 0.3), (0, ground, c.w, c.h))
    lamp = rng.uniform(8, 14) * c.u
    x = rng.uniform(2, 6) * c.u
    while x < c.w:  # street lamps and round trees along the pavement
        if rng.random() < 0.5:
            c.pen.line([(x, ground + 0.5 * c.u), (x, ground - lamp)], dark(sky.near, 0.4), 0.5 * c.u)
            c.glow(x, ground - lamp, 4 * c.u, warm, 0.7)
            c.pen.circle(x, ground - lamp, 0.9 * c.u, light(warm, 0.5))
        else:
            r = rng.uniform(3.5, 6) * c.u
            c.pen.rect(x - 0.4 * c.u, ground - r, x + 0.4 * c.u, ground + 0.5 * c.u, dark(sky.near, 0.4))
            c.pen.circle(x, ground - r * 1.6, r, dark(mix(sky.near, hex_rgb("#3E6B4F"), 0.5), 0.2))
        x += rng.uniform(12, 22) * c.u
    for _k in range(rng.randint(6, 14)):  # reflections on the wet street
        x, y = rng.uniform(0, c.w), rng.uniform(ground + 1.5 * c.u, c.h)
        c.pen.line([(x, y), (x + rng.uniform(2, 6) * c.u, y)], alpha(warm, 70), 0.35 * c.u)
