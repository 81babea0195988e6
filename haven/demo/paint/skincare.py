"""Skincare: bottles and jars on plinths, in soft light with plant shadows."""

from __future__ import annotations

import math

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
from haven.demo.paint.flatlay import (
    Draw,
    box_mask,
    placed,
)
from haven.demo.paint.pen import (
    Pen,
    profile_pts,
)
from haven.demo.paint.surfaces import leaf_shadows


def pump_bottle(w: float, h: float, color: RGB, cap: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-w / 2, -h, w / 2, 0, w * 0.18, color)
        p.rect(-w * 0.16, -h - w * 0.28, w * 0.16, -h + 1, cap)
        p.rect(-w * 0.22, -h - w * 0.42, w * 0.22, -h - w * 0.26, cap)
        p.rect(-w * 0.05, -h - w * 0.62, w * 0.05, -h - w * 0.4, cap)
        p.rect(-w * 0.05, -h - w * 0.62, w * 0.42, -h - w * 0.54, cap)
        p.rrect(-w * 0.36, -h * 0.62, w * 0.36, -h * 0.28, w * 0.04, alpha(WHITE, 120))
        p.rect(-w * 0.38, -h * 0.92, -w * 0.3, -h * 0.1, alpha(WHITE, 80))

    return draw


def dropper_bottle(w: float, h: float, color: RGB, cap: RGB) -> Draw:
    body = profile_pts(
        [
            (0.0, -h * 0.78),
            (w * 0.18, -h * 0.78),
            (w * 0.2, -h * 0.72),
            (w * 0.44, -h * 0.62),
            (w * 0.5, -h * 0.5),
            (w * 0.5, -w * 0.12),
            (w * 0.44, 0.0),
            (0.0, 0.0),
        ]
    )

    def draw(p: Pen) -> None:
        p.poly(body, color)
        p.rrect(-w * 0.22, -h * 0.9, w * 0.22, -h * 0.74, w * 0.04, cap)
        p.poly(
            profile_pts(
                [
                    (0.0, -h - w * 0.05),
                    (w * 0.12, -h * 1.0),
                    (w * 0.14, -h * 0.95),
                    (w * 0.12, -h * 0.9),
                    (0.0, -h * 0.9),
                ]
            ),
            dark(cap, 0.2),
        )
        p.rect(-w * 0.38, -h * 0.55, -w * 0.3, -h * 0.1, alpha(WHITE, 90))
        p.rect(-w * 0.34, -h * 0.45, w * 0.34, -h * 0.22, alpha(WHITE, 90))

    return draw


def jar(w: float, h: float, color: RGB, lid: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-w / 2, -h, w / 2, 0, w * 0.12, color)
        p.rrect(-w * 0.53, -h * 1.38, w * 0.53, -h * 0.92, w * 0.08, lid)
        p.rect(-w * 0.53, -h * 1.0, w * 0.53, -h * 0.92, dark(lid, 0.12))
        p.rect(-w * 0.42, -h * 0.8, -w * 0.34, -h * 0.15, alpha(WHITE, 90))

    return draw


def tube(w: float, h: float, color: RGB, cap: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.poly([(-w * 0.3, -w * 0.5), (w * 0.3, -w * 0.5), (w * 0.55, -h), (-w * 0.55, -h)], color)
        p.rect(-w * 0.58, -h - w * 0.1, w * 0.58, -h + w * 0.05, dark(color, 0.1))
        p.rrect(-w * 0.34, -w * 0.55, w * 0.34, 0, w * 0.08, cap)
        p.rect(-w * 0.3, -h * 0.7, w * 0.3, -h * 0.45, alpha(WHITE, 100))

    return draw


def scene_skincare(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    floor = h * rng.uniform(0.7, 0.8)
    wall = light(rng.choice([pal.ground2, pal.a2, pal.a1]), rng.uniform(0.35, 0.6))
    c.gradient([(0.0, light(wall, 0.3)), (1.0, wall)], box=(0, 0, w, floor), angle=rng.uniform(60, 120))
    c.gradient([(0.0, dark(wall, 0.06)), (1.0, dark(wall, 0.14))], box=(0, floor, w, h))
    if rng.random() < 0.6:  # an arch on the wall
        ax, aw = w * rng.uniform(0.35, 0.65), w * rng.uniform(0.28, 0.4)
        top = h * rng.uniform(0.12, 0.25)
        c.pen.poly(
            [(ax - aw / 2, floor)]
            + [
                (ax - aw / 2 * math.cos(math.radians(t)), top + aw / 2 - aw / 2 * math.sin(math.radians(t)))
                for t in range(0, 181, 6)
            ]
            + [(ax + aw / 2, floor)],
            mix(wall, rng.choice(pal.accents), 0.25),
        )
    leaf_shadows(c, rng.uniform(0.1, 0.2))
    # plinths: (x centre, width, height)
    plinths = []
    x = w * rng.uniform(0.12, 0.22)
    while x < w * 0.9:
        pw = rng.uniform(18, 28) * u
        ph = rng.uniform(4, 24) * u
        plinths.append((x + pw / 2, pw, ph))
        x += pw + rng.uniform(-2, 4) * u
    stone = rng.choice([hex_rgb("#F3EEE7"), light(pal.ground2, 0.3), hex_rgb("#E9E1D6"), light(pal.a3, 0.5)])
    for px, pw, ph in plinths:
        c.shadow(
            box_mask(px - pw / 2, floor - ph, px + pw / 2, floor + 2 * u),
            offset=(3 * u, -1 * u),
            blur=2.5 * u,
            opacity=0.18,
        )
        c.pen.rect(px - pw / 2, floor - ph, px + pw / 2, floor + 1.5 * u, stone)
        c.pen.rect(px - pw / 2, floor - ph, px + pw / 2, floor - ph + 0.8 * u, light(stone, 0.5))
        c.pen.rect(px + pw * 0.3, floor - ph, px + pw / 2, floor + 1.5 * u, alpha(dark(stone, 0.3), 40))
    makers = [pump_bottle, dropper_bottle, jar, tube, pump_bottle, dropper_bottle]
    glass = [
        hex_rgb(x)
        for x in ("#F6F1EA", "#E7C9B5", "#C98E62", "#B8D4C8", "#EBD5DF", "#FFFFFF", "#D7C2E8", "#9FB7D6")
    ]
    caps = [hex_rgb(x) for x in ("#2B2B2B", "#D4AF37", "#FFFFFF", "#B9A48C", "#6F8F72")]
    for px, pw, ph in plinths:
        make = rng.choice(makers)
        bw = pw * rng.uniform(0.55, 0.72)
        bh = bw * (
            rng.uniform(1.6, 2.6) if make in (pump_bottle, dropper_bottle, tube) else rng.uniform(0.55, 0.8)
        )
        draw = make(bw, bh, rng.choice(glass), rng.choice(caps))
        base = floor - ph
        c.shadow(
            placed(draw, px, base),
            offset=(2.5 * u, -0.5 * u),
            blur=1.6 * u,
            opacity=0.22,
        )
        with c.pen.at(px, base):
            draw(c.pen)
    for _k in range(rng.randint(0, 3)):  # a few drops of water / pearls on the floor
        c.pen.circle(
            rng.uniform(0.1, 0.9) * w,
            rng.uniform(floor + 4 * u, h - 3 * u),
            rng.uniform(0.6, 1.4) * u,
            alpha(WHITE, 180),
        )
    c.light_band(rng.uniform(25, 40), 0.12, count=rng.randint(1, 2))
