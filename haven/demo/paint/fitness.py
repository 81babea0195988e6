"""Fitness: a yoga flat-lay, a running track at sunrise."""

from __future__ import annotations

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    RGB,
    WHITE,
    Palette,
    alpha,
    dark,
    hex_rgb,
    light,
    mix,
)
from haven.demo.paint.fashion import (
    sneaker,
)
from haven.demo.paint.flatlay import (
    Draw,
    Placed,
    citrus_slice,
    flatlay,
)
from haven.demo.paint.landscapes import (
    SKIES,
    away,
    birds,
    ridge_line,
    sky_backdrop,
    sun,
)
from haven.demo.paint.pen import (
    Pen,
)


def yoga_mat(length: float, width: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-length / 2, -width / 2, length / 2, width / 2, width * 0.05, color)
        p.rrect(
            length / 2 - width * 0.05,
            -width / 2,
            length / 2 + width * 0.28,
            width / 2,
            width * 0.14,
            dark(color, 0.12),
        )
        for k in range(4):
            p.line(
                [
                    (length / 2 + width * (0.02 + 0.06 * k), -width / 2 + 2),
                    (length / 2 + width * (0.02 + 0.06 * k), width / 2 - 2),
                ],
                dark(color, 0.25),
                width * 0.012,
            )
        p.line(
            [(-length / 2 + width * 0.1, -width * 0.38), (length / 2 - width * 0.2, -width * 0.38)],
            alpha(WHITE, 60),
            width * 0.02,
        )

    return draw


def dumbbell(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.1 * s, s, 0.1 * s, 0.05 * s, hex_rgb("#9AA1A8"))
        for side in (-1, 1):
            p.rrect(side * 0.62 * s - 0.2 * s, -0.48 * s, side * 0.62 * s + 0.2 * s, 0.48 * s, 0.1 * s, color)
            p.rect(
                side * 0.62 * s - 0.05 * s, -0.4 * s, side * 0.62 * s + 0.05 * s, 0.4 * s, alpha(WHITE, 60)
            )

    return draw


def water_bottle(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-0.35 * s, -s, 0.35 * s, s, 0.3 * s, color)
        p.rrect(-0.22 * s, -1.25 * s, 0.22 * s, -0.9 * s, 0.08 * s, dark(color, 0.3))
        p.rect(-0.22 * s, -0.7 * s, -0.12 * s, 0.8 * s, alpha(WHITE, 80))

    return draw


def towel(s: float, color: RGB, stripe: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.6 * s, s, 0.6 * s, 0.06 * s, color)
        for y in (-0.35 * s, -0.25 * s):
            p.rect(-s, y, s, y + 0.05 * s, stripe)
        p.line([(-s, 0.1 * s), (s, 0.1 * s)], dark(color, 0.1), 0.02 * s)

    return draw


def scene_yoga(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    c.gradient([(0.0, light(pal.ground, 0.2)), (1.0, pal.ground2)], angle=rng.uniform(40, 140))
    mat = rng.choice([pal.a1, pal.a2, pal.a3, hex_rgb("#8FAF8B"), hex_rgb("#9C89C9")])
    items: list[Placed] = [
        (
            yoga_mat(max(w, h) * 0.9, 32 * u, mat),
            w * 0.42,
            h * 0.5,
            rng.choice([-62, -58, 58, 62]) if h > w else rng.uniform(-15, 15),
            1,
        )
    ]
    weight = rng.choice([hex_rgb("#F28F79"), hex_rgb("#5DB599"), hex_rgb("#6C6BB8"), hex_rgb("#F4C430")])
    items.append((dumbbell(10 * u, weight), w * 0.78, h * 0.2, rng.uniform(-30, 30), 1))
    items.append((dumbbell(10 * u, weight), w * 0.8, h * 0.32, rng.uniform(-30, 30), 1))
    items.append(
        (
            water_bottle(13 * u, rng.choice([hex_rgb("#B9DCE5"), hex_rgb("#F7F3EC"), pal.a2])),
            w * 0.16,
            h * 0.2,
            rng.uniform(-30, 30),
            1,
        )
    )
    items.append(
        (
            towel(14 * u, rng.choice([hex_rgb("#FFFFFF"), light(pal.a3, 0.5)]), rng.choice(pal.accents)),
            w * 0.2,
            h * 0.84,
            rng.uniform(-20, 20),
            1,
        )
    )
    shoe = rng.choice([hex_rgb("#FAFAF7"), hex_rgb("#2B2B2B"), light(pal.a1, 0.3)])
    items.append((sneaker(10 * u, shoe, rng.choice(pal.accents)), w * 0.72, h * 0.8, rng.uniform(-25, -5), 1))
    items.append((sneaker(10 * u, shoe, rng.choice(pal.accents)), w * 0.86, h * 0.82, rng.uniform(5, 25), 1))
    items.append((citrus_slice(5 * u, hex_rgb("#F4A261")), w * 0.55, h * 0.12, 0, 1))
    flatlay(c, items, opacity=0.22, lift=0.8)
    c.light_band(rng.uniform(20, 40), 0.12, count=rng.randint(1, 2))


def scene_track(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    sky = SKIES[rng.choice(["dawn", "golden", "sunset", "day", "mint"])]
    horizon = h * rng.uniform(0.4, 0.5)
    sky_backdrop(c, sky, horizon)
    sx = rng.uniform(0.25, 0.75) * w
    sun(c, sky, sx, horizon - rng.uniform(5, 18) * u, rng.uniform(7, 10) * u)
    for i in range(3):
        pts = ridge_line(c, horizon - (2 - i) * 1.5 * u, 3 * u, 0.5)
        c.pen.poly(
            [*pts, (w, horizon + 2 * u), (0, horizon + 2 * u)],
            mix(sky.far, hex_rgb("#6E9E62"), 0.3 + 0.3 * i),
        )
    c.gradient([(0.0, hex_rgb("#8DBA6E")), (1.0, hex_rgb("#5E9A4E"))], box=(0, horizon, w, h))
    # A straight in perspective: lanes converge on a vanishing point at the horizon.
    vx = w * rng.uniform(0.35, 0.65)
    track = rng.choice([hex_rgb("#C8553D"), hex_rgb("#C96B4F"), hex_rgb("#4E7CB5")])
    lanes = 6
    left, right = -w * rng.uniform(0.1, 0.4), w * rng.uniform(1.1, 1.4)
    top_half = w * 0.03
    c.pen.poly([(vx - top_half, horizon + 1), (vx + top_half, horizon + 1), (right, h), (left, h)], track)
    for k in range(lanes + 1):
        t = k / lanes
        c.pen.line(
            [(vx - top_half + 2 * top_half * t, horizon + 1), (left + (right - left) * t, h)],
            alpha(WHITE, 220),
            0.5 * u,
        )
    for k in range(1, 8):  # start marks receding into the distance
        y = horizon + (h - horizon) * (k / 8) ** 2
        span = (y - horizon) / (h - horizon)
        x0 = vx - top_half + (left - vx + top_half) * span
        x1 = vx + top_half + (right - vx - top_half) * span
        if k == 5:
            c.pen.line([(x0, y), (x1, y)], alpha(WHITE, 200), 0.6 * u * span + 0.2 * u)
    with c.soft(blur=3 * u, opacity=0.5) as pen:
        pen.rect(0, horizon - 2 * u, w, horizon + 5 * u, alpha(sky.low, 220))
    if rng.random() < 0.6:
        birds(c, away(c, sx), horizon * 0.4, dark(sky.near, 0.2))
