"""Pets: round cats and dogs with ears, on a cushion."""

from __future__ import annotations

import random

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
)
from haven.demo.paint.flatlay import (
    Draw,
    placed,
    yarn_ball,
)
from haven.demo.paint.pen import (
    Pen,
    bezier,
    heart_pts,
)

FURS = [
    (hex_rgb("#E9A25F"), hex_rgb("#C7773A"), hex_rgb("#FBE6CF")),  # ginger
    (hex_rgb("#9EA3AB"), hex_rgb("#6F747D"), hex_rgb("#E9EAEC")),  # grey
    (hex_rgb("#F7F2EA"), hex_rgb("#D9CFC2"), hex_rgb("#FFFFFF")),  # white
    (hex_rgb("#34323A"), hex_rgb("#1F1E24"), hex_rgb("#5A5862")),  # black
    (hex_rgb("#E3C29B"), hex_rgb("#B98A5E"), hex_rgb("#FAF0E2")),  # cream
    (hex_rgb("#B9835A"), hex_rgb("#8A5A3A"), hex_rgb("#F2DEC6")),  # brown
]
PINK = hex_rgb("#F2A7A8")


def face(p: Pen, s: float, fur: RGB, *, happy: bool, eye_gap: float = 0.36) -> None:
    ink = hex_rgb("#2A2424") if sum(fur) > 200 else hex_rgb("#F4EEE6")
    for side in (-1, 1):
        if happy:
            p.arc(side * eye_gap * s, -0.02 * s, 0.12 * s, 0.1 * s, 200, 340, ink, 0.05 * s)
        else:
            p.ellipse(side * eye_gap * s, 0, 0.1 * s, 0.12 * s, hex_rgb("#2A2424"))
            p.circle(side * eye_gap * s - 0.03 * s, -0.04 * s, 0.035 * s, WHITE)
        p.circle(side * 0.55 * s, 0.2 * s, 0.13 * s, alpha(PINK, 110))
    p.poly([(-0.07 * s, 0.14 * s), (0.07 * s, 0.14 * s), (0.0, 0.22 * s)], PINK)
    p.arc(-0.07 * s, 0.24 * s, 0.07 * s, 0.06 * s, 0, 160, ink, 0.03 * s)
    p.arc(0.07 * s, 0.24 * s, 0.07 * s, 0.06 * s, 20, 180, ink, 0.03 * s)


def cat(rng: random.Random, s: float) -> Draw:
    fur, stripe, belly = rng.choice(FURS)
    happy, tabby, tail_side = rng.random() < 0.5, rng.random() < 0.5, rng.choice((-1, 1))

    def draw(p: Pen) -> None:
        tail = bezier(
            (tail_side * 0.6 * s, 1.4 * s),
            (tail_side * 1.5 * s, 1.5 * s),
            (tail_side * 1.4 * s, 0.6 * s),
            (tail_side * 1.1 * s, 0.4 * s),
            16,
        )
        p.line(tail, fur, 0.22 * s)
        p.ellipse(0, 1.0 * s, 0.85 * s, 0.62 * s, fur)  # body
        p.ellipse(0, 1.05 * s, 0.45 * s, 0.45 * s, belly)
        for side in (-1, 1):
            p.ellipse(side * 0.32 * s, 1.55 * s, 0.2 * s, 0.12 * s, light(fur, 0.2))
            p.poly(
                [(side * 0.78 * s, -0.25 * s), (side * 0.62 * s, -0.95 * s), (side * 0.18 * s, -0.62 * s)],
                fur,
            )
            p.poly(
                [(side * 0.66 * s, -0.35 * s), (side * 0.58 * s, -0.78 * s), (side * 0.32 * s, -0.58 * s)],
                PINK,
            )
        p.ellipse(0, 0, 0.85 * s, 0.7 * s, fur)  # head
        if tabby:
            for k in (-1, 0, 1):
                p.line([(k * 0.16 * s, -0.62 * s), (k * 0.13 * s, -0.42 * s)], stripe, 0.07 * s)
            for side in (-1, 1):
                for k in range(2):
                    y = 0.0 + k * 0.13 * s
                    p.line([(side * 0.84 * s, y), (side * 0.66 * s, y + 0.03 * s)], stripe, 0.05 * s)
        p.ellipse(0, 0.22 * s, 0.32 * s, 0.2 * s, belly)
        face(p, s, fur, happy=happy)
        for side in (-1, 1):
            for k in (-1, 1):
                p.line(
                    [(side * 0.3 * s, 0.2 * s + k * 0.03 * s), (side * 1.0 * s, 0.16 * s + k * 0.1 * s)],
                    alpha(dark(fur, 0.4) if sum(fur) > 300 else light(fur, 0.6), 150),
                    0.015 * s,
                )

    return draw


def dog(rng: random.Random, s: float) -> Draw:
    fur, ear, belly = rng.choice(FURS)
    pointy, happy = rng.random() < 0.5, rng.random() < 0.5
    collar = rng.choice([hex_rgb("#D94F70"), hex_rgb("#4E9BB9"), hex_rgb("#F3B562"), hex_rgb("#5DB599")])

    def draw(p: Pen) -> None:
        p.ellipse(0, 1.05 * s, 0.8 * s, 0.65 * s, fur)
        p.ellipse(0, 1.15 * s, 0.4 * s, 0.45 * s, belly)
        for side in (-1, 1):
            p.ellipse(side * 0.35 * s, 1.62 * s, 0.2 * s, 0.12 * s, light(fur, 0.2))
        p.rrect(-0.5 * s, 0.5 * s, 0.5 * s, 0.64 * s, 0.07 * s, collar)
        p.circle(0, 0.72 * s, 0.08 * s, hex_rgb("#E8C25A"))
        if pointy:
            for side in (-1, 1):
                p.poly(
                    [(side * 0.8 * s, -0.2 * s), (side * 0.68 * s, -1.0 * s), (side * 0.2 * s, -0.6 * s)], ear
                )
                p.poly(
                    [(side * 0.68 * s, -0.32 * s), (side * 0.62 * s, -0.8 * s), (side * 0.34 * s, -0.56 * s)],
                    belly,
                )
        p.ellipse(0, 0, 0.85 * s, 0.72 * s, fur)
        if not pointy:
            for side in (-1, 1):
                with p.at(side * 0.78 * s, -0.1 * s, side * -18):
                    p.ellipse(0, 0.25 * s, 0.22 * s, 0.48 * s, ear)
        p.ellipse(0, 0.28 * s, 0.36 * s, 0.26 * s, belly)
        p.ellipse(0, 0.16 * s, 0.12 * s, 0.08 * s, hex_rgb("#2A2424"))
        for side in (-1, 1):
            p.ellipse(side * 0.34 * s, -0.06 * s, 0.09 * s, 0.11 * s, hex_rgb("#2A2424"))
            p.circle(side * 0.34 * s - 0.03 * s, -0.1 * s, 0.03 * s, WHITE)
            p.circle(side * 0.56 * s, 0.22 * s, 0.12 * s, alpha(PINK, 100))
        if happy:
            p.ellipse(0, 0.44 * s, 0.1 * s, 0.13 * s, hex_rgb("#EE7B8A"))
        p.arc(-0.08 * s, 0.3 * s, 0.08 * s, 0.07 * s, 0, 160, hex_rgb("#2A2424"), 0.03 * s)
        p.arc(0.08 * s, 0.3 * s, 0.08 * s, 0.07 * s, 20, 180, hex_rgb("#2A2424"), 0.03 * s)

    return draw


def scene_pet(c: Canvas, pal: Palette, animal_kind: str) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    back = rng.choice([pal.ground2, light(pal.a1, 0.45), light(pal.a2, 0.45), light(pal.a3, 0.45)])
    c.gradient([(0.0, light(back, 0.35)), (1.0, back)], angle=rng.uniform(60, 120))
    pattern = rng.random()
    if pattern < 0.35:
        for _k in range(int(w * h / (11 * u) ** 2)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            c.pen.circle(x, y, rng.uniform(0.5, 1.1) * u, alpha(light(back, 0.6), 200))
    elif pattern < 0.6:
        for _k in range(int(w * h / (16 * u) ** 2)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            with c.pen.at(x, y, rng.uniform(0, 360)):
                c.pen.poly(heart_pts(1.6 * u), alpha(light(back, 0.55), 200))
    floor = h * rng.uniform(0.7, 0.8)
    cushion = rng.choice(pal.accents)
    cx = w * rng.uniform(0.42, 0.58)
    c.shadow(lambda p: p.ellipse(cx, floor + 3 * u, 40 * u, 9 * u, INK), blur=3 * u, opacity=0.25)
    c.pen.ellipse(cx, floor, 40 * u, 10 * u, dark(cushion, 0.1))
    c.pen.ellipse(cx, floor - 1.5 * u, 37 * u, 8 * u, cushion)
    c.pen.ellipse(cx, floor - 2 * u, 30 * u, 5.5 * u, light(cushion, 0.2))
    s = rng.uniform(19, 24) * u
    animal = cat(rng, s) if animal_kind == "cat" else dog(rng, s)
    top = floor - 1.7 * s
    c.shadow(placed(animal, cx, top), offset=(1.5 * u, 1 * u), blur=2 * u, opacity=0.18)
    with c.pen.at(cx, top):
        animal(c.pen)
    if rng.random() < 0.6:
        tx = cx + rng.choice((-1, 1)) * rng.uniform(30, 36) * u
        toy = yarn_ball(6 * u, rng.choice(pal.accents)) if rng.random() < 0.6 else _bone(7 * u)
        c.shadow(placed(toy, tx, floor + 1 * u), offset=(1 * u, 1 * u), blur=1.2 * u, opacity=0.2)
        with c.pen.at(tx, floor + 1 * u, rng.uniform(-20, 20)):
            toy(c.pen)
    if rng.random() < 0.5:
        c.light_band(rng.uniform(20, 40), 0.12, count=1)


def _bone(s: float) -> Draw:
    def draw(p: Pen) -> None:
        color = hex_rgb("#F6EEE0")
        p.rrect(-s, -0.22 * s, s, 0.22 * s, 0.2 * s, color)
        for dx in (-s, s):
            for dy in (-0.25 * s, 0.25 * s):
                p.circle(dx, dy, 0.3 * s, color)

    return draw
