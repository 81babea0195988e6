"""A pen: shapes in final-pixel units, through a translate/rotate/scale stack, as filled polygons."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PIL import Image, ImageDraw

from haven.demo.paint.colors import (
    Color,
    Point,
)

Matrix = tuple[float, float, float, float, float, float]  # x' = a*x + b*y + c ; y' = d*x + e*y + f
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """m after n (apply n first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f)


class Pen:
    """Draws onto `image` (scaled by `scale`); `mask=True` paints every shape opaque (for shadows)."""

    def __init__(self, image: Image.Image, scale: float, *, mask: bool = False) -> None:
        self.draw = ImageDraw.Draw(image, "RGBA" if image.mode == "RGB" else None)
        self.scale = scale
        self.mask = mask
        self._m: Matrix = (scale, 0.0, 0.0, 0.0, scale, 0.0)

    @contextmanager
    def at(self, x: float, y: float, angle: float = 0.0, s: float = 1.0) -> Iterator[None]:
        """Draw the block's shapes translated to (x, y), rotated by `angle` degrees and scaled by `s`."""
        saved = self._m
        rad = math.radians(angle)
        cos, sin = math.cos(rad) * s, math.sin(rad) * s
        self._m = _compose(saved, (cos, -sin, x, sin, cos, y))
        try:
            yield
        finally:
            self._m = saved

    @property
    def unit(self) -> float:
        """How many device pixels one local unit is (for line widths)."""
        a, b, _c, d, e, _f = self._m
        return math.sqrt(abs(a * e - b * d))

    def _pts(self, pts: Sequence[Point]) -> list[Point]:
        a, b, c, d, e, f = self._m
        return [(a * x + b * y + c, d * x + e * y + f) for x, y in pts]

    def _fill(self, color: Color) -> Color | int:
        if self.mask:
            return 255 if len(color) == 3 else color[3]  # type: ignore[misc]
        return color

    def poly(self, pts: Sequence[Point], fill: Color) -> None:
        if len(pts) >= 3:
            self.draw.polygon(self._pts(pts), fill=self._fill(fill))

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Color) -> None:
        self.poly(ellipse_pts(cx, cy, rx, ry, self._segments(max(rx, ry))), fill)

    def circle(self, cx: float, cy: float, r: float, fill: Color) -> None:
        self.ellipse(cx, cy, r, r, fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None:
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill)

    def rrect(self, x0: float, y0: float, x1: float, y1: float, r: float, fill: Color) -> None:
        self.poly(rrect_pts(x0, y0, x1, y1, r), fill)

    def line(self, pts: Sequence[Point], fill: Color, width: float, *, caps: bool = True) -> None:
        """A polyline with round joints (and round caps unless `caps=False`)."""
        w = max(1, round(width * self.unit))
        dev = self._pts(pts)
        self.draw.line(dev, fill=self._fill(fill), width=w, joint="curve")
        if caps and w > 2:
            r = w / 2
            for x, y in (dev[0], dev[-1]):
                self.draw.ellipse((x - r, y - r, x + r, y + r), fill=self._fill(fill))

    def arc(
        self, cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, fill: Color, width: float
    ) -> None:
        """An elliptical arc from angle a0 to a1 (degrees, clockwise from +x, y down)."""
        n = max(6, int(abs(a1 - a0) / 6))
        pts = [
            (
                cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
                cy + ry * math.sin(math.radians(a0 + (a1 - a0) * i / n)),
            )
            for i in range(n + 1)
        ]
        self.line(pts, fill, width)

    def ring(self, cx: float, cy: float, r: float, fill: Color, width: float) -> None:
        self.arc(cx, cy, r, r, 0, 360, fill, width)

    def _segments(self, radius: float) -> int:
        return max(12, min(180, int(radius * self.unit / 2.5)))


def ellipse_pts(cx: float, cy: float, rx: float, ry: float, n: int = 48) -> list[Point]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n)
    ]


def rrect_pts(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    r = max(0.0, min(r, (x1 - x0) / 2, (y1 - y0) / 2))
    if r <= 0:
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    pts: list[Point] = []
    for cx, cy, start in (
        (x1 - r, y0 + r, -90),
        (x1 - r, y1 - r, 0),
        (x0 + r, y1 - r, 90),
        (x0 + r, y0 + r, 180),
    ):
        for i in range(9):
            a = math.radians(start + 90 * i / 8)
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 24) -> list[Point]:
    """Points along a cubic Bézier curve."""
    out: list[Point] = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
            )
        )
    return out


def profile_pts(profile: Sequence[Point]) -> list[Point]:
    """A symmetric outline (vase, bottle) from its right half: (half-width, y) pairs, top to bottom."""
    right = [(w, y) for w, y in profile]
    left = [(-w, y) for w, y in reversed(profile)]
    return right + left


def blob_pts(
    rng: random.Random, cx: float, cy: float, r: float, wobble: float = 0.12, n: int = 28
) -> list[Point]:
    """A soft irregular round outline (fried egg, stone, leaf litter)."""
    phases = [rng.uniform(0, 6.28) for _k in range(3)]
    pts: list[Point] = []
    for i in range(n):
        a = 2 * math.pi * i / n
        k = (
            1
            + wobble
            * (
                math.sin(2 * a + phases[0])
                + 0.6 * math.sin(3 * a + phases[1])
                + 0.3 * math.sin(5 * a + phases[2])
            )
            / 1.9
        )
        pts.append((cx + r * k * math.cos(a), cy + r * k * math.sin(a)))
    return pts


def leaf_pts(length: float, width: float, n: int = 16) -> list[Point]:
    """A pointed leaf along +x from the origin."""
    top = [(length * i / n, -width * math.sin(math.pi * i / n) ** 0.8) for i in range(n + 1)]
    bottom = [(length * i / n, width * math.sin(math.pi * i / n) ** 0.8) for i in range(n, -1, -1)]
    return top + bottom


def heart_pts(s: float, n: int = 40) -> list[Point]:
    pts: list[Point] = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((x * s / 16, y * s / 16))
    return pts
