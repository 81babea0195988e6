"""Flat-lays: objects drawn around (0, 0) in local units, placed with a shared soft shadow; tableware."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import (
    INK,
    RGB,
    WHITE,
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
    blob_pts,
    heart_pts,
    leaf_pts,
    profile_pts,
)

Draw = Callable[[Pen], None]
Placed = tuple[Draw, float, float, float, float]  # drawing, x, y, angle, scale


def flatlay(c: Canvas, items: Sequence[Placed], *, opacity: float = 0.26, lift: float = 1.0) -> None:
    """Draw `items` (in order) over one soft shadow cast towards the lower right."""

    def silhouettes(pen: Pen) -> None:
        for draw, x, y, angle, s in items:
            with pen.at(x, y, angle, s):
                draw(pen)

    c.shadow(silhouettes, offset=(0.9 * c.u * lift, 1.5 * c.u * lift), blur=1.6 * c.u * lift, opacity=opacity)
    silhouettes(c.pen)


CERAMICS = [hex_rgb(h) for h in ("#FFFFFF", "#F7F3EC", "#E9EEF2", "#F3E6DA", "#DDE7DD", "#F2E9F2")]
GLAZES = [hex_rgb(h) for h in ("#2F5D8C", "#C0504D", "#3E7C6B", "#D4A257", "#7A6BA8", "#2B2B2B")]


def plate(r: float, color: RGB, band: RGB | None = None) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, color)
        p.circle(0, 0, r * 0.74, dark(color, 0.06))
        p.circle(0, 0, r * 0.7, color)
        if band is not None:
            p.ring(0, 0, r * 0.88, band, r * 0.035)
        p.arc(0, 0, r * 0.93, r * 0.93, 200, 250, alpha(WHITE, 160), r * 0.03)

    return draw


def noodle_bowl(rng: random.Random, r: float, broth: RGB, bowl: RGB, band: RGB) -> Draw:
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r, bowl)
        p.ring(0, 0, r * 0.93, band, r * 0.04)
        p.circle(0, 0, r * 0.84, broth)
        p.circle(-r * 0.15, -r * 0.15, r * 0.6, alpha(light(broth, 0.25), 90))
        noodle = hex_rgb("#F4E0A6")
        for _k in range(16):
            cx, cy = g.uniform(-0.35, 0.35) * r, g.uniform(-0.35, 0.35) * r
            rr = g.uniform(0.15, 0.4) * r
            a0 = g.uniform(0, 360)
            p.arc(cx, cy, rr, rr * g.uniform(0.6, 1), a0, a0 + g.uniform(90, 220), noodle, r * 0.035)
        with p.at(r * 0.32, -r * 0.3, g.uniform(0, 360)):  # half an egg
            p.ellipse(0, 0, r * 0.2, r * 0.15, hex_rgb("#FFFDF5"))
            p.ellipse(r * 0.02, 0, r * 0.1, r * 0.085, hex_rgb("#F6A623"))
        for k in range(2):  # slices of braised pork
            with p.at(-r * 0.38 + k * r * 0.14, r * 0.22 + k * r * 0.08, g.uniform(-30, 30)):
                p.ellipse(0, 0, r * 0.19, r * 0.15, hex_rgb("#B8735A"))
                p.ellipse(0, 0, r * 0.15, r * 0.11, hex_rgb("#E7B7A0"))
        with p.at(r * 0.3, r * 0.35, g.uniform(-40, 40)):  # greens
            p.poly(leaf_pts(r * 0.42, r * 0.1), hex_rgb("#5E9E4F"))
            p.poly(leaf_pts(r * 0.3, r * 0.05), hex_rgb("#CFE8B5"))
        for _k in range(14):  # scallion rings
            x, y = g.uniform(-0.55, 0.55) * r, g.uniform(-0.55, 0.55) * r
            if x * x + y * y < (0.72 * r) ** 2:
                p.ring(x, y, r * 0.03, hex_rgb("#7DBE5A"), r * 0.015)
        p.rect(-r * 0.72, -r * 0.55, -r * 0.42, -r * 0.05, hex_rgb("#24362A"))  # nori

    return draw


def chopsticks(length: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        for dy in (-length * 0.025, length * 0.025):
            p.poly(
                [
                    (-length / 2, dy - length * 0.011),
                    (length / 2, dy - length * 0.006),
                    (length / 2, dy + length * 0.006),
                    (-length / 2, dy + length * 0.011),
                ],
                color,
            )

    return draw


def latte(r: float, cup: RGB, *, art: str = "heart", tea: bool = False) -> Draw:
    coffee = hex_rgb("#8C5A3C") if not tea else hex_rgb("#B7C96B")

    def draw(p: Pen) -> None:
        p.circle(0, 0, r * 1.55, cup)
        p.circle(0, 0, r * 1.2, dark(cup, 0.05))
        p.rrect(r * 0.9, -r * 0.17, r * 1.55, r * 0.17, r * 0.15, dark(cup, 0.03))
        p.circle(0, 0, r, cup)
        p.circle(0, 0, r * 0.86, coffee)
        p.circle(0, 0, r * 0.7, light(coffee, 0.12))
        foam = hex_rgb("#F6EADB") if not tea else light(coffee, 0.55)
        if art == "heart":
            with p.at(0, r * 0.05):
                p.poly(heart_pts(r * 0.42), foam)
        elif art == "rosetta":
            for k in range(6):
                p.ellipse(0, -r * 0.45 + k * r * 0.16, r * (0.42 - 0.05 * k), r * 0.07, foam)
            p.line([(0, -r * 0.55), (0, r * 0.5)], foam, r * 0.05)
        else:  # a tulip: stacked crescents under a heart
            for k in range(3):
                p.ellipse(0, r * (0.35 - 0.22 * k), r * (0.36 - 0.05 * k), r * 0.11, foam)
                p.ellipse(0, r * (0.31 - 0.22 * k), r * (0.3 - 0.05 * k), r * 0.08, light(coffee, 0.12))
            p.circle(0, -r * 0.38, r * 0.16, foam)
        p.arc(0, 0, r * 0.95, r * 0.95, 200, 260, alpha(WHITE, 170), r * 0.05)

    return draw


def croissant(s: float) -> Draw:
    def draw(p: Pen) -> None:
        n = 7
        for i in range(n):
            t = (i - (n - 1) / 2) / ((n - 1) / 2)
            a = math.radians(90 + t * 70)
            x, y = -math.cos(a) * s * 0.9, -math.sin(a) * s * 0.45 + s * 0.4
            k = 1 - 0.55 * abs(t)
            color = mix(hex_rgb("#E3A453"), hex_rgb("#B86B2B"), abs(t) * 0.8)
            with p.at(x, y, math.degrees(a) - 90):
                p.ellipse(0, 0, s * 0.2 * k + s * 0.08, s * 0.34 * k + s * 0.06, color)
                p.ellipse(
                    -s * 0.03, -s * 0.06, s * 0.1 * k + s * 0.03, s * 0.16 * k, alpha(light(color, 0.4), 120)
                )

    return draw


def fried_egg(rng: random.Random, r: float) -> Draw:
    pts = blob_pts(rng, 0, 0, r, 0.16)
    dx, dy = rng.uniform(-0.15, 0.15) * r, rng.uniform(-0.15, 0.15) * r

    def draw(p: Pen) -> None:
        with p.at(0, 0, 0, 1.05):
            p.poly(pts, hex_rgb("#EDE6D6"))  # a faint rim, so the white shows on a white plate
        p.poly(pts, hex_rgb("#FFFDF7"))
        p.circle(dx, dy, r * 0.36, hex_rgb("#F7A41D"))
        p.circle(dx - r * 0.1, dy - r * 0.1, r * 0.1, alpha(WHITE, 150))

    return draw


def toast(s: float) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -s * 0.9, s, s, s * 0.3, hex_rgb("#C98A4B"))
        p.ellipse(-s * 0.5, -s * 0.75, s * 0.55, s * 0.35, hex_rgb("#C98A4B"))
        p.ellipse(s * 0.5, -s * 0.75, s * 0.55, s * 0.35, hex_rgb("#C98A4B"))
        p.rrect(-s * 0.85, -s * 0.72, s * 0.85, s * 0.86, s * 0.22, hex_rgb("#F1D7A8"))
        p.ellipse(-s * 0.42, -s * 0.62, s * 0.42, s * 0.25, hex_rgb("#F1D7A8"))
        p.ellipse(s * 0.42, -s * 0.62, s * 0.42, s * 0.25, hex_rgb("#F1D7A8"))

    return draw


def avocado(s: float) -> Draw:
    def draw(p: Pen) -> None:
        p.poly(
            profile_pts(
                [(0.0, -s), (0.45 * s, -0.7 * s), (0.7 * s, 0.1 * s), (0.62 * s, 0.65 * s), (0.0, s)]
            ),
            hex_rgb("#3F5E2A"),
        )
        p.poly(
            profile_pts(
                [
                    (0.0, -0.85 * s),
                    (0.36 * s, -0.6 * s),
                    (0.58 * s, 0.1 * s),
                    (0.5 * s, 0.6 * s),
                    (0.0, 0.86 * s),
                ]
            ),
            hex_rgb("#CBDD8A"),
        )
        p.circle(0, 0.25 * s, 0.3 * s, hex_rgb("#8A5A3B"))
        p.circle(-0.08 * s, 0.17 * s, 0.08 * s, alpha(WHITE, 90))

    return draw


def berry(r: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, color)
        p.circle(-r * 0.3, -r * 0.3, r * 0.25, alpha(WHITE, 80))

    return draw


def strawberry(s: float) -> Draw:
    def draw(p: Pen) -> None:
        p.poly(
            bezier((0, s), (-1.3 * s, 0.1 * s), (-0.7 * s, -0.9 * s), (0, -0.6 * s))
            + bezier((0, -0.6 * s), (0.7 * s, -0.9 * s), (1.3 * s, 0.1 * s), (0, s)),
            hex_rgb("#E0424B"),
        )
        for i in range(9):
            a = i * 2.4
            rr = s * 0.5 * math.sqrt((i + 1) / 9)
            p.ellipse(rr * math.cos(a) * 0.9, rr * math.sin(a) * 0.8, s * 0.04, s * 0.06, hex_rgb("#F9D85A"))
        for k in range(5):
            with p.at(0, -0.6 * s, -90 + (k - 2) * 38):
                p.poly(leaf_pts(0.45 * s, 0.12 * s), hex_rgb("#4E9A3E"))

    return draw


def macaron(r: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, dark(color, 0.08))
        p.circle(0, 0, r * 0.9, color)
        p.circle(-r * 0.25, -r * 0.25, r * 0.35, alpha(WHITE, 60))

    return draw


def citrus_slice(r: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, dark(color, 0.1))
        p.circle(0, 0, r * 0.9, hex_rgb("#FFF8E6"))
        for k in range(8):
            a0 = k * 45 + 4
            pts = [(0.0, 0.0)] + [
                (
                    r * 0.8 * math.cos(math.radians(a0 + 37 * i / 6)),
                    r * 0.8 * math.sin(math.radians(a0 + 37 * i / 6)),
                )
                for i in range(7)
            ]
            p.poly(pts, light(color, 0.15))

    return draw


def spoon(length: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-length / 2, -length * 0.03, length * 0.22, length * 0.03, length * 0.03, color)
        p.ellipse(length * 0.34, 0, length * 0.16, length * 0.1, color)
        p.ellipse(length * 0.32, -length * 0.02, length * 0.08, length * 0.04, alpha(WHITE, 110))

    return draw


def placed(draw: Draw, x: float, y: float, angle: float = 0.0) -> Draw:
    """`draw` moved to (x, y) and turned by `angle` degrees (for shadows of side-view objects)."""

    def moved(p: Pen) -> None:
        with p.at(x, y, angle):
            draw(p)

    return moved


def box_mask(x0: float, y0: float, x1: float, y1: float) -> Draw:
    """A plain rectangle (a shadow caster)."""
    return lambda p: p.rect(x0, y0, x1, y1, INK)


def yarn_ball(r: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, color)
        for k in range(6):
            p.arc(
                0, 0, r * 0.95, r * (0.25 + 0.12 * k), 190 + k * 8, 350 - k * 5, dark(color, 0.18), r * 0.06
            )
        for k in range(3):
            with p.at(0, 0, 70 + k * 12):
                p.arc(0, 0, r * 0.9, r * (0.3 + 0.2 * k), 200, 340, light(color, 0.25), r * 0.05)

    return draw


def catmull_rom(points: Sequence[Point], steps: int = 8) -> list[Point]:
    """A smooth curve through `points` (end points kept)."""
    out: list[Point] = []
    n = len(points)
    for i in range(n - 1):
        p0, p1, p2, p3 = points[max(0, i - 1)], points[i], points[i + 1], points[min(n - 1, i + 2)]
        for k in range(steps):
            t = k / steps
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[j]
                        + (-p0[j] + p2[j]) * t
                        + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                        + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3
                    )
                    for j in (0, 1)
                )
            )
    out.append(points[-1])
    return out
