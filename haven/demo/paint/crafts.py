"""Crafts: yarn and knitting, a pottery shelf, an embroidery hoop."""

from __future__ import annotations

import random

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    RGB,
    WHITE,
    Palette,
    alpha,
    dark,
    hex_rgb,
    light,
)
from haven.demo.paint.flatlay import (
    GLAZES,
    Draw,
    Placed,
    catmull_rom,
    flatlay,
    placed,
    yarn_ball,
)
from haven.demo.paint.pen import (
    Pen,
    leaf_pts,
    profile_pts,
)
from haven.demo.paint.surfaces import leaf_shadows, tabletop


def knit_swatch(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rect(-s, -0.8 * s, s, 0.8 * s, color)
        rows, cols = 10, 9
        for r_ in range(rows):
            for k in range(cols):
                x = -s + (k + 0.5) * 2 * s / cols
                y = -0.8 * s + (r_ + 0.5) * 1.6 * s / rows
                dx, dy = s / cols * 0.5, 0.8 * s / rows * 0.7
                p.line([(x - dx, y - dy), (x, y + dy)], dark(color, 0.15), 0.05 * s)
                p.line([(x + dx, y - dy), (x, y + dy)], light(color, 0.12), 0.05 * s)

    return draw


def needles(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        for dy in (-0.05 * s, 0.05 * s):
            p.line([(-s, dy), (s, dy * 0.3)], hex_rgb("#D9C29A"), 0.03 * s)
            p.circle(-s, dy, 0.05 * s, color)

    return draw


def button(r: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, color)
        p.ring(0, 0, r * 0.78, dark(color, 0.15), r * 0.08)
        for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1)):
            p.circle(dx * r * 0.22, dy * r * 0.22, r * 0.1, dark(color, 0.35))

    return draw


def vase(rng: random.Random, s: float, glaze: RGB) -> Draw:
    shapes = [
        [(0.22, -2.0), (0.26, -1.7), (0.7, -1.0), (0.75, -0.5), (0.5, 0.0)],
        [(0.35, -1.3), (0.3, -1.1), (0.55, -0.7), (0.6, -0.3), (0.45, 0.0)],
        [(0.18, -2.4), (0.18, -1.6), (0.5, -1.1), (0.52, -0.3), (0.4, 0.0)],
        [(0.6, -0.9), (0.8, -0.6), (0.8, -0.2), (0.6, 0.0)],
    ]
    shape = rng.choice(shapes)
    band = rng.random() < 0.6
    band_color = rng.choice([light(glaze, 0.5), dark(glaze, 0.3), hex_rgb("#F4EFE6")])

    def draw(p: Pen) -> None:
        pts = [(x * s, y * s) for x, y in catmull_rom(shape, 8)]
        p.poly(profile_pts(pts), glaze)
        if band:  # a glaze band between two outline points
            i = len(pts) // 2
            x, y = pts[i]
            p.poly(
                [(x, y), (-x, y), (-pts[i + 2][0], pts[i + 2][1]), (pts[i + 2][0], pts[i + 2][1])], band_color
            )
        p.ellipse(0, shape[0][1] * s, shape[0][0] * s, 0.06 * s, dark(glaze, 0.35))
        p.line([(-x * 0.7, y) for x, y in pts[2:-3]], light(glaze, 0.22), 0.06 * s, caps=False)

    return draw


def embroidery(rng: random.Random, r: float, pal: Palette) -> Draw:
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r * 1.08, hex_rgb("#C9A27C"))
        p.circle(0, 0, r, hex_rgb("#FBF6EC"))
        p.ring(0, 0, r * 1.04, hex_rgb("#A8825E"), r * 0.015)
        p.rrect(-r * 0.08, -r * 1.22, r * 0.08, -r * 1.04, r * 0.03, hex_rgb("#A8825E"))
        for _k in range(5):
            fx, fy = g.uniform(-0.5, 0.5) * r, g.uniform(-0.5, 0.5) * r
            stem_end = (fx + g.uniform(-0.2, 0.2) * r, fy + 0.45 * r)
            p.line([(fx, fy), stem_end], hex_rgb("#5A9A5B"), r * 0.015)
            with p.at(
                (fx + stem_end[0]) / 2, (fy + stem_end[1]) / 2, g.uniform(-40, 40) + 180 * g.randint(0, 1)
            ):
                p.poly(leaf_pts(r * 0.16, r * 0.05), hex_rgb("#7DB36A"))
            petal = g.choice([pal.a1, pal.a2, pal.a3, hex_rgb("#F4A7B9")])
            for k in range(6):
                with p.at(fx, fy, k * 60):
                    p.poly(leaf_pts(r * 0.14, r * 0.05), petal)
            p.circle(fx, fy, r * 0.03, hex_rgb("#F4C430"))

    return draw


def scene_crafts(c: Canvas, pal: Palette, kind: str) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    if kind == "pottery":
        shelf = h * rng.uniform(0.66, 0.76)
        wall = light(rng.choice([pal.ground2, pal.a3, hex_rgb("#E8DCCB")]), 0.4)
        c.gradient([(0.0, light(wall, 0.3)), (1.0, wall)], box=(0, 0, w, shelf), angle=rng.uniform(60, 120))
        c.gradient([(0.0, hex_rgb("#D8B58E")), (1.0, hex_rgb("#B98D63"))], box=(0, shelf, w, h))
        c.pen.rect(0, shelf, w, shelf + 0.8 * u, alpha(WHITE, 100))
        leaf_shadows(c, 0.12)
        x = w * rng.uniform(0.1, 0.18)
        glazes = [*GLAZES, hex_rgb("#E9DCC9"), hex_rgb("#A7C4B5"), hex_rgb("#E8B4A0"), hex_rgb("#F2EDE4")]
        while x < w * 0.9:
            s = rng.uniform(12, 19) * u
            draw = vase(rng, s, rng.choice(glazes))
            base = shelf + rng.uniform(3, 8) * u
            c.shadow(
                placed(draw, x, base),
                offset=(2.5 * u, 0),
                blur=1.8 * u,
                opacity=0.2,
            )
            with c.pen.at(x, base):
                draw(c.pen)
            x += s * 1.6 + rng.uniform(1, 5) * u
        c.light_band(rng.uniform(20, 40), 0.12)
        return
    tabletop(c, pal)
    items: list[Placed] = []
    if kind == "hoop":
        items.append((embroidery(rng, 30 * u, pal), w * 0.48, h * 0.46, rng.uniform(-10, 10), 1))
        for k in range(3):
            items.append((yarn_ball(4.5 * u, rng.choice(pal.accents)), w * (0.2 + 0.25 * k), h * 0.86, 0, 1))
    else:
        colors = [pal.a1, pal.a2, pal.a3, light(pal.a1, 0.4), hex_rgb("#F4EFE6")]
        items.append((knit_swatch(20 * u, rng.choice(colors)), w * 0.36, h * 0.62, rng.uniform(-12, 12), 1))
        items.append((needles(24 * u, rng.choice(pal.accents)), w * 0.4, h * 0.52, rng.uniform(-30, -15), 1))
        for k, (fx, fy) in enumerate(((0.72, 0.22), (0.8, 0.45), (0.6, 0.3))):
            items.append((yarn_ball(rng.uniform(9, 12) * u, colors[k]), w * fx, h * fy, 0, 1))
        for _k in range(rng.randint(3, 5)):
            items.append(
                (
                    button(rng.uniform(2, 3) * u, rng.choice(colors)),
                    rng.uniform(0.6, 0.9) * w,
                    rng.uniform(0.65, 0.9) * h,
                    0,
                    1,
                )
            )
    flatlay(c, items, opacity=0.22)
