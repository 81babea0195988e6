"""Procedural, text-free illustrations for demo notes: one family of compositions per topic (Pillow only)."""

from __future__ import annotations

import io
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]
Color = RGB | RGBA
Point = tuple[float, float]

#: Supersampling factor: shapes are drawn this many times larger, then box-reduced (anti-aliasing).
SS = 1.5

#: Sizes (width, height) a note's images come in: 3:4 portrait dominates, as in a RedNote feed.
SIZES: dict[str, tuple[int, int]] = {
    "portrait": (900, 1200),
    "square": (1080, 1080),
    "landscape": (1200, 900),
}
_SIZE_WEIGHTS = (("portrait", 0.68), ("square", 0.2), ("landscape", 0.12))


def pick_size(rng: random.Random) -> tuple[int, int]:
    """A (width, height) for one note's images: mostly 3:4 portrait, some 1:1 and 4:3."""
    names = [n for n, _w in _SIZE_WEIGHTS]
    weights = [w for _n, w in _SIZE_WEIGHTS]
    return SIZES[rng.choices(names, weights)[0]]


# ----------------------------------------------------------------------------------------------
# Colours


def hex_rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Sequence[int], b: Sequence[int], t: float) -> RGB:
    """Linear blend of two colours (t=0 -> a, t=1 -> b)."""
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


WHITE: RGB = (255, 255, 255)
INK: RGB = (34, 28, 36)


def light(c: Sequence[int], t: float) -> RGB:
    return mix(c, WHITE, t)


def dark(c: Sequence[int], t: float) -> RGB:
    return mix(c, INK, t)


def alpha(c: Sequence[int], a: int) -> RGBA:
    return (c[0], c[1], c[2], max(0, min(255, a)))


@dataclass(frozen=True)
class Palette:
    """Six coordinated colours: two light grounds, three accents, one deep ink."""

    ground: RGB
    ground2: RGB
    a1: RGB
    a2: RGB
    a3: RGB
    deep: RGB

    @property
    def accents(self) -> tuple[RGB, RGB, RGB]:
        return (self.a1, self.a2, self.a3)


def _palette(*hexes: str) -> Palette:
    return Palette(*(hex_rgb(h) for h in hexes))


PALETTES: dict[str, Palette] = {
    "peach": _palette("#FBE9DD", "#F6CBB7", "#E8876B", "#7FB7A4", "#F3B562", "#5B4B49"),
    "sage": _palette("#EEF1E6", "#CFDCC4", "#8FAF8B", "#D9A48F", "#F2D492", "#3F4E45"),
    "lavender": _palette("#F1ECF7", "#D8CCEB", "#9C89C9", "#F4A7B9", "#FFD6A5", "#463F5E"),
    "ocean": _palette("#E6F2F5", "#B9DCE5", "#4E9BB9", "#F6C28B", "#F28F79", "#21405A"),
    "sunset": _palette("#FDE6CF", "#F9B99A", "#E56B6F", "#B56576", "#6D597A", "#355070"),
    "matcha": _palette("#F4F1E4", "#DDE5C2", "#9BB068", "#C98B5E", "#F0C987", "#3B4A2F"),
    "berry": _palette("#FCEEF0", "#F7C6D0", "#D94F70", "#7B2D43", "#F9A03F", "#3D2230"),
    "cream": _palette("#FAF3E8", "#EBDCC6", "#C69C72", "#8A9A7B", "#E3B5A4", "#4A3B31"),
    "mint": _palette("#E9F7F1", "#BFE6D6", "#5DB599", "#FFB4A2", "#FFDC8A", "#2E4A43"),
    "dusk": _palette("#E8E4F3", "#B7B5E4", "#6C6BB8", "#F2A490", "#FCD29F", "#2C2A4A"),
    "terracotta": _palette("#F7EDE4", "#EBC9B0", "#C8694A", "#6F8F72", "#E9B44C", "#4A2E25"),
    "sky": _palette("#EEF6FC", "#C7E2F5", "#6FA8DC", "#FFD972", "#F79D84", "#2F4A6B"),
    "rose": _palette("#FDF1EE", "#F3D1CB", "#D98C86", "#A3B18A", "#E9C46A", "#5E3B3B"),
    "lemon": _palette("#FFFBE6", "#FFF0A8", "#F4C430", "#7CB8A0", "#EF8B73", "#4B4A3A"),
    "cocoa": _palette("#F5EEE6", "#E2D0BE", "#9C6644", "#B5C99A", "#EDAE49", "#3E2C23"),
    "denim": _palette("#EDF1F7", "#CAD5E6", "#4A6FA5", "#E7A977", "#F2D0A4", "#1F2D44"),
}


def palette(rng: random.Random, names: Sequence[str] | None = None) -> Palette:
    return PALETTES[rng.choice(list(names) if names else sorted(PALETTES))]


# ----------------------------------------------------------------------------------------------
# A pen: shapes in final-pixel units, through a translate/rotate/scale stack, as filled polygons

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


# ----------------------------------------------------------------------------------------------
# The canvas: gradients, soft (blurred) layers, cast shadows and the final reduction


def _stop_color(stops: Sequence[tuple[float, RGB]], t: float) -> RGB:
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            return mix(c0, c1, (t - t0) / max(1e-6, t1 - t0))
    return stops[-1][1]


def gradient_image(
    size: tuple[int, int],
    stops: Sequence[tuple[float, RGB]],
    *,
    angle: float = 90.0,
    center: Point | None = None,
    radius: float = 0.75,
) -> Image.Image:
    """A smooth linear (angle in degrees, 90 = top to bottom) or radial gradient of `size`.

    Computed on a small grid and upscaled bicubically, which is both fast and perfectly smooth.
    """
    gw = gh = 32 if center is not None else 16
    small = Image.new("RGB", (gw, gh))
    rad = math.radians(angle)
    dx, dy = math.cos(rad), math.sin(rad)
    aspect = size[0] / size[1]
    data: list[RGB] = []
    for j in range(gh):
        for i in range(gw):
            x, y = i / (gw - 1), j / (gh - 1)
            if center is not None:
                t = math.hypot((x - center[0]) * aspect, y - center[1]) / radius
            else:
                t = ((x - 0.5) * dx * aspect + (y - 0.5) * dy) / (abs(dx) * aspect + abs(dy)) + 0.5
            data.append(_stop_color(stops, t))
    small.putdata(data)
    return small.resize(size, Image.Resampling.BICUBIC)


class Canvas:
    """A supersampled drawing surface of a final `width` x `height`; `u` is 1% of the short side."""

    def __init__(self, width: int, height: int, rng: random.Random) -> None:
        self.w, self.h = width, height
        self.rng = rng
        self.u = min(width, height) / 100
        self.img = Image.new("RGB", (round(width * SS), round(height * SS)), WHITE)
        self.pen = Pen(self.img, SS)

    # backgrounds ------------------------------------------------------------------------------

    def gradient(
        self,
        stops: Sequence[tuple[float, RGB]],
        *,
        angle: float = 90.0,
        box: tuple[float, float, float, float] | None = None,
        center: Point | None = None,
        radius: float = 0.75,
    ) -> None:
        x0, y0, x1, y1 = box or (0, 0, self.w, self.h)
        size = (max(1, round(x1 - x0)), max(1, round(y1 - y0)))
        grad = gradient_image(size, stops, angle=angle, center=center, radius=radius)
        self.img.paste(
            grad.resize((round(size[0] * SS), round(size[1] * SS)), Image.Resampling.NEAREST),
            (round(x0 * SS), round(y0 * SS)),
        )

    def flat(self, color: RGB, box: tuple[float, float, float, float] | None = None) -> None:
        x0, y0, x1, y1 = box or (0, 0, self.w, self.h)
        self.img.paste(color, (round(x0 * SS), round(y0 * SS), round(x1 * SS), round(y1 * SS)))

    # soft layers and shadows ------------------------------------------------------------------

    @contextmanager
    def soft(self, blur: float = 8.0, opacity: float = 1.0) -> Iterator[Pen]:
        """Shapes drawn with the yielded pen come out blurred by about `blur` final pixels (glow, mist)."""
        factor = max(1.0, blur)
        size = (max(2, round(self.w / factor)), max(2, round(self.h / factor)))
        layer = Image.new("RGBA", size, (255, 255, 255, 0))
        yield Pen(layer, 1 / factor)
        if opacity < 1.0:
            layer.putalpha(layer.getchannel("A").point(lambda v: round(v * opacity)))
        # A pixel of blur at low resolution hides the staircase edges before upscaling.
        layer = layer.convert("RGBa").filter(ImageFilter.GaussianBlur(1.0)).convert("RGBA")
        up = self._upscaled(layer, factor)
        if up is not None:
            big, box = up
            self.img.paste(big, box, big)

    def _upscaled(
        self, layer: Image.Image, factor: float
    ) -> tuple[Image.Image, tuple[int, int, int, int]] | None:
        """Only the painted part of a low-resolution layer (RGBA or L), upscaled, with its canvas box."""
        bbox = (layer.getchannel("A") if layer.mode == "RGBA" else layer).getbbox()
        if bbox is None:
            return None
        x0, y0 = max(0, bbox[0] - 2), max(0, bbox[1] - 2)
        x1, y1 = min(layer.width, bbox[2] + 2), min(layer.height, bbox[3] + 2)
        k = factor * SS
        size = (max(1, round((x1 - x0) * k)), max(1, round((y1 - y0) * k)))
        half = (max(1, round(size[0] / SS)), max(1, round(size[1] / SS)))
        # Smooth content: a bicubic upscale to the final resolution, then nearest to the supersampled one.
        big = (
            layer.crop((x0, y0, x1, y1))
            .resize(half, Image.Resampling.BICUBIC)
            .resize(size, Image.Resampling.NEAREST)
        )
        left, top = round(x0 * k), round(y0 * k)
        return big, (left, top, left + size[0], top + size[1])

    def shadow(
        self,
        draw: Callable[[Pen], None],
        *,
        offset: Point = (0.0, 0.0),
        blur: float | None = None,
        opacity: float = 0.22,
        color: RGB = INK,
    ) -> None:
        """A soft cast shadow of whatever `draw` paints (called with a mask pen), shifted by `offset`."""
        blur = blur if blur is not None else 2.2 * self.u
        factor = 4.0
        size = (max(2, round(self.w / factor)), max(2, round(self.h / factor)))
        mask = Image.new("L", size, 0)
        pen = Pen(mask, 1 / factor, mask=True)
        with pen.at(offset[0], offset[1]):
            draw(pen)
        mask = mask.filter(ImageFilter.GaussianBlur(max(0.5, blur / factor)))
        mask = mask.point(lambda v: round(v * opacity))
        up = self._upscaled(mask, factor)
        if up is not None:
            big, box = up
            self.img.paste(color, box, big)

    def glow(self, x: float, y: float, r: float, color: RGB, strength: float = 0.6) -> None:
        """A smooth radial halo of radius `r` (sun, lamp, bokeh)."""
        side = max(4, round(2 * r))
        stops = [(i / 10, (round(255 * strength * (1 - i / 10) ** 2.2),) * 3) for i in range(11)]
        mask = gradient_image((side, side), stops, center=(0.5, 0.5), radius=0.5).convert("L")
        span = round(side * SS)
        mask = mask.resize((span, span), Image.Resampling.NEAREST)
        left, top = round((x - side / 2) * SS), round((y - side / 2) * SS)
        self.img.paste(color, (left, top, left + span, top + span), mask)

    def light_band(self, angle: float = 25.0, opacity: float = 0.16, count: int = 2) -> None:
        """Diagonal bands of window light across the whole picture."""
        rng = self.rng
        with self.soft(blur=3 * self.u) as pen:
            for _i in range(count):
                x = rng.uniform(-0.2, 0.9) * self.w
                wdt = rng.uniform(0.08, 0.2) * self.w
                with pen.at(x, self.h / 2, angle):
                    pen.rect(0, -self.h, wdt, self.h, (255, 253, 240, round(255 * opacity)))

    def finish(self, vignette: float = 0.14) -> Image.Image:
        """The final-size picture, with a gentle vignette."""
        out = self.img.resize((self.w, self.h), Image.Resampling.BOX)
        if vignette:
            mask = gradient_image(
                (self.w // 4, self.h // 4),
                [(0.0, (0, 0, 0)), (0.55, (0, 0, 0)), (1.15, (255, 255, 255))],
                center=(0.5, 0.48),
                radius=0.95,
            ).convert("L")
            mask = mask.point(lambda v: round(v * vignette)).resize(out.size, Image.Resampling.BILINEAR)
            out.paste(INK, (0, 0), mask)
        return out


# ----------------------------------------------------------------------------------------------
# Surfaces: tablecloths, wood, marble, terrazzo


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


# ----------------------------------------------------------------------------------------------
# Travel: layered mountains under a sun or moon, a seaside, a city at dusk


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


def _away(c: Canvas, x: float) -> float:
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
        birds(c, _away(c, sx), horizon * rng.uniform(0.2, 0.5), dark(sky.near, 0.2))


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
        birds(c, _away(c, sx), horizon * rng.uniform(0.25, 0.6), dark(sky.near, 0.2))


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


def scene_travel(c: Canvas, pal: Palette) -> None:
    c.rng.choice([scene_mountains, scene_mountains, scene_seaside, scene_city])(c, pal)


# ----------------------------------------------------------------------------------------------
# Flat-lays: objects drawn around (0, 0) in local units, placed with a shared soft shadow

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


# ----------------------------------------------------------------------------------------------
# Food and cafés


def hotpot(rng: random.Random, r: float) -> Draw:
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r * 1.08, hex_rgb("#9AA5AD"))
        p.circle(0, 0, r, hex_rgb("#C9D1D6"))
        p.circle(0, 0, r * 0.93, hex_rgb("#F1E6D2"))
        s_curve = bezier((0, -r * 0.93), (r * 0.6, -r * 0.4), (-r * 0.6, r * 0.4), (0, r * 0.93))
        left_arc = [
            (r * 0.93 * math.cos(math.radians(a)), r * 0.93 * math.sin(math.radians(a)))
            for a in range(270, 89, -6)
        ]
        p.poly(list(reversed(s_curve)) + left_arc, hex_rgb("#C23A2B"))
        for _k in range(22):
            a, d = g.uniform(100, 260), g.uniform(0.2, 0.85) * r
            x, y = d * math.cos(math.radians(a)), d * math.sin(math.radians(a))
            p.circle(x, y, g.uniform(0.02, 0.06) * r, alpha(hex_rgb("#F28A2E"), 170))
        for _k in range(10):
            a, d = g.uniform(100, 260), g.uniform(0.2, 0.8) * r
            with p.at(d * math.cos(math.radians(a)), d * math.sin(math.radians(a)), g.uniform(0, 180)):
                p.ellipse(0, 0, r * 0.07, r * 0.025, hex_rgb("#8E1B12"))
        for _k in range(8):
            a, d = g.uniform(-80, 80), g.uniform(0.25, 0.8) * r
            p.circle(
                d * math.cos(math.radians(a)), d * math.sin(math.radians(a)), r * 0.03, hex_rgb("#D9412F")
            )
        for _k in range(10):
            a, d = g.uniform(-80, 80), g.uniform(0.2, 0.8) * r
            p.ring(
                d * math.cos(math.radians(a)),
                d * math.sin(math.radians(a)),
                r * 0.03,
                hex_rgb("#6FB25A"),
                r * 0.014,
            )
        p.line(s_curve, hex_rgb("#C9D1D6"), r * 0.05)

    return draw


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


def scene_food(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    kind = rng.choice(["ramen", "breakfast", "dessert", "hotpot", "ramen", "breakfast"])
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
    items: list[Placed] = []
    if kind == "ramen":
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
    else:
        items.append((hotpot(rng, 30 * u), cx, cy, rng.uniform(-20, 20), 1))
        kinds = ["meat", "tofu", "greens", "mushroom", "dumplings", "meat"]
        rng.shuffle(kinds)
        for k, (dx, dy) in enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1))):
            items.append((side_plate(rng, 13 * u, kinds[k]), cx + dx * 36 * u, cy + dy * 40 * u, 0, 1))
        items.append((chopsticks(55 * u, hex_rgb("#3B2A20")), cx + 40 * u, cy, 95, 1))
    flatlay(c, items)


def scene_cafe(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    if rng.random() < 0.4:
        scene_cafe_window(c, pal)
        return
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.55)
    items: list[Placed] = [
        (
            latte(
                14 * u,
                rng.choice(CERAMICS),
                art=rng.choice(["heart", "rosetta", "heart", "plain"]),
                tea=rng.random() < 0.2,
            ),
            cx,
            cy,
            rng.uniform(-40, 40),
            1,
        )
    ]
    items.append((plate(15 * u, rng.choice(CERAMICS)), cx - 22 * u, cy + 34 * u, 0, 1))
    items.append((croissant(12 * u), cx - 22 * u, cy + 33 * u, rng.uniform(-30, 30), 1))
    if rng.random() < 0.7:  # a book, its pages seen edge-on
        bw, bh = 30 * u, 40 * u
        cover = rng.choice(pal.accents)

        def book(p: Pen) -> None:
            p.rrect(-bw / 2, -bh / 2, bw / 2, bh / 2, u, cover)
            p.rect(-bw / 2 + 1.5 * u, -bh / 2 + 1.5 * u, bw / 2 - 1.5 * u, -bh / 2 + 7 * u, alpha(WHITE, 90))
            p.rect(-bw / 2, -bh / 2, -bw / 2 + 1.6 * u, bh / 2, dark(cover, 0.2))

        items.insert(0, (book, cx + 30 * u, cy + 30 * u, rng.uniform(-25, 25), 1))
    for _k in range(rng.randint(1, 3)):  # sugar cubes
        items.append(
            (
                lambda p: p.rrect(-2 * u, -2 * u, 2 * u, 2 * u, 0.5 * u, hex_rgb("#FFFDF8")),
                cx + rng.uniform(18, 26) * u,
                cy - rng.uniform(16, 24) * u,
                rng.uniform(0, 90),
                1,
            )
        )
    items.append((spoon(20 * u, hex_rgb("#D6D9DD")), cx - 8 * u, cy - 30 * u, rng.uniform(-20, 20), 1))
    flatlay(c, items)
    if rng.random() < 0.6:
        c.light_band(rng.uniform(20, 40), 0.14)


def scene_cafe_window(c: Canvas, pal: Palette) -> None:
    """Side view: a cup and a cake on a table in front of a bright window."""
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    table_y = h * rng.uniform(0.62, 0.72)
    wall = rng.choice([pal.ground2, light(pal.a2, 0.5), hex_rgb("#EDE4D8")])
    c.flat(wall, (0, 0, w, table_y))
    wx0, wx1 = w * rng.uniform(0.08, 0.2), w * rng.uniform(0.8, 0.92)
    wy0, wy1 = h * 0.08, table_y - 6 * u
    sky = SKIES[rng.choice(["day", "dawn", "mint", "golden"])]
    c.gradient([(0.0, sky.mid), (1.0, sky.low)], box=(wx0, wy0, wx1, wy1))
    with c.soft(blur=2.5 * u) as pen:  # blurred greenery outside
        for _k in range(14):
            pen.circle(
                rng.uniform(wx0, wx1),
                rng.uniform(wy1 - 25 * u, wy1 + 5 * u),
                rng.uniform(5, 11) * u,
                alpha(mix(hex_rgb("#6E9E62"), hex_rgb("#A9CB8B"), rng.random()), 230),
            )
    frame = light(wall, 0.6)
    for x in (wx0, (wx0 + wx1) / 2, wx1):
        c.pen.rect(x - 1.2 * u, wy0, x + 1.2 * u, wy1, frame)
    for y in (wy0, wy1):
        c.pen.rect(wx0 - 1.2 * u, y - 1.2 * u, wx1 + 1.2 * u, y + 1.2 * u, frame)
    c.gradient([(0.0, hex_rgb("#D8B58E")), (1.0, hex_rgb("#B98D63"))], box=(0, table_y, w, h))
    c.pen.rect(0, table_y, w, table_y + 0.8 * u, alpha(WHITE, 110))
    cup = rng.choice(CERAMICS[:4] + GLAZES[:3])
    cx, base = w * rng.uniform(0.35, 0.5), table_y + 10 * u
    c.shadow(lambda p: p.ellipse(cx + 6 * u, base, 26 * u, 4 * u, INK), blur=2 * u, opacity=0.3)
    c.pen.ellipse(cx, base, 24 * u, 4.5 * u, light(cup, 0.3))  # saucer
    c.pen.ring(cx + 15 * u, base - 17 * u, 6 * u, dark(cup, 0.05), 2.6 * u)
    c.pen.poly(
        [
            (cx - 15 * u, base - 30 * u),
            (cx + 15 * u, base - 30 * u),
            (cx + 12 * u, base - 4 * u),
            (cx + 8 * u, base - 1.5 * u),
            (cx - 8 * u, base - 1.5 * u),
            (cx - 12 * u, base - 4 * u),
        ],
        cup,
    )
    c.pen.ellipse(cx, base - 30 * u, 15 * u, 3.2 * u, dark(cup, 0.1))
    c.pen.ellipse(cx, base - 29.6 * u, 13.5 * u, 2.6 * u, hex_rgb("#C9A27C"))
    c.pen.rect(cx - 11 * u, base - 27 * u, cx - 8.5 * u, base - 6 * u, alpha(WHITE, 80))
    with c.soft(blur=1.2 * u, opacity=0.7) as pen:  # steam
        for k in range(3):
            x0 = cx + (k - 1) * 6 * u
            pts = [(x0 + 2.5 * u * math.sin(i * 0.6 + k), base - 34 * u - i * 2.2 * u) for i in range(10)]
            pen.line(pts, alpha(WHITE, 200), 1.1 * u)
    if rng.random() < 0.8:  # a slice of layered cake
        kx, ky = cx + 34 * u, table_y + 14 * u
        c.pen.ellipse(kx, ky, 17 * u, 3.5 * u, light(rng.choice(CERAMICS), 0.2))
        layers = [
            hex_rgb("#F7EAD4"),
            rng.choice([hex_rgb("#F3A6B5"), hex_rgb("#9C6644"), hex_rgb("#B9D88F")]),
        ]
        top = ky - 18 * u
        for i in range(4):
            c.pen.poly(
                [
                    (kx - 12 * u, top + i * 4.3 * u),
                    (kx + 10 * u, top + i * 4.3 * u - 2 * u),
                    (kx + 10 * u, top + (i + 1) * 4.3 * u - 2 * u),
                    (kx - 12 * u, top + (i + 1) * 4.3 * u),
                ],
                layers[i % 2],
            )
        c.pen.poly(
            [
                (kx - 12 * u, top),
                (kx + 10 * u, top - 2 * u),
                (kx + 4 * u, top - 5 * u),
                (kx - 16 * u, top - 3 * u),
            ],
            hex_rgb("#FFF8EE"),
        )
        with c.pen.at(kx - 3 * u, top - 5 * u):
            strawberry(3 * u)(c.pen)
    c.light_band(rng.uniform(15, 35), 0.12, count=1)


# ----------------------------------------------------------------------------------------------
# Outfits (flat-lay of clothes and accessories)


def tee(s: float, color: RGB, *, long: bool = False) -> Draw:
    h = 1.5 * s
    top = -h / 2
    sleeve = 1.25 if long else 0.55
    neck = bezier((0.3 * s, top), (0.2 * s, top + 0.25 * s), (-0.2 * s, top + 0.25 * s), (-0.3 * s, top), 10)

    def draw(p: Pen) -> None:
        right = [
            (0.3 * s, top),
            (0.95 * s, top + 0.08 * s),
            (1.1 * s + 0.35 * s * sleeve, top + sleeve * s),
            (0.85 * s + 0.3 * s * sleeve, top + (sleeve + 0.28) * s),
            (0.88 * s, top + 0.6 * s),
            (0.9 * s, h / 2),
        ]
        left = [(-x, y) for x, y in reversed(right)]
        p.poly(right + left + neck[1:-1], color)
        p.line(neck, dark(color, 0.15), 0.05 * s)
        if long:
            for side in (1, -1):
                x, y = side * (1.1 * s + 0.35 * s * sleeve), top + sleeve * s
                x2, y2 = side * (0.85 * s + 0.3 * s * sleeve), top + (sleeve + 0.28) * s
                p.line(
                    [
                        (x * 0.93 + x2 * 0.07, y * 0.93 + y2 * 0.07 - 0.08 * s),
                        (x2 + side * 0.05 * s, y2 - 0.1 * s),
                    ],
                    dark(color, 0.12),
                    0.09 * s,
                )
            p.rect(-0.9 * s, h / 2 - 0.14 * s, 0.9 * s, h / 2, dark(color, 0.1))

    return draw


def trousers(s: float, color: RGB, *, skirt: bool = False) -> Draw:
    def draw(p: Pen) -> None:
        if skirt:
            p.poly([(-0.55 * s, -s), (0.55 * s, -s), (0.95 * s, s), (-0.95 * s, s)], color)
            for k in range(-3, 4):
                p.line([(k * 0.14 * s, -0.85 * s), (k * 0.26 * s, s)], dark(color, 0.12), 0.025 * s)
            p.rect(-0.55 * s, -s, 0.55 * s, -0.86 * s, dark(color, 0.15))
            return
        p.poly(
            [
                (-0.5 * s, -1.1 * s),
                (0.5 * s, -1.1 * s),
                (0.62 * s, 1.1 * s),
                (0.12 * s, 1.1 * s),
                (0.0, -0.35 * s),
                (-0.12 * s, 1.1 * s),
                (-0.62 * s, 1.1 * s),
            ],
            color,
        )
        p.rect(-0.5 * s, -1.1 * s, 0.5 * s, -0.96 * s, dark(color, 0.15))
        p.line([(0.0, -0.96 * s), (0.0, -0.45 * s)], dark(color, 0.2), 0.02 * s)
        for side in (1, -1):
            p.arc(
                side * 0.5 * s,
                -0.96 * s,
                0.22 * s,
                0.22 * s,
                90 if side > 0 else 0,
                180 if side > 0 else 90,
                dark(color, 0.2),
                0.02 * s,
            )
            p.line([(side * 0.36 * s, -0.3 * s), (side * 0.37 * s, 1.05 * s)], alpha(WHITE, 35), 0.1 * s)

    return draw


def sneaker(s: float, color: RGB, accent: RGB) -> Draw:
    outline = profile_pts(
        [
            (0.0, -s),
            (0.28 * s, -0.92 * s),
            (0.38 * s, -0.5 * s),
            (0.34 * s, 0.2 * s),
            (0.3 * s, 0.75 * s),
            (0.0, s),
        ]
    )

    def draw(p: Pen) -> None:
        p.poly(outline, dark(color, 0.12))
        with p.at(0, 0, 0, 0.9):
            p.poly(outline, color)
        p.ellipse(0, 0.25 * s, 0.18 * s, 0.42 * s, dark(color, 0.35))
        for k in range(4):
            y = -0.45 * s + k * 0.14 * s
            p.line([(-0.16 * s, y), (0.16 * s, y + 0.03 * s)], light(color, 0.5), 0.03 * s)
        p.poly([(0.3 * s, -0.2 * s), (0.34 * s, 0.3 * s), (0.2 * s, 0.1 * s)], accent)
        p.poly([(-0.3 * s, -0.2 * s), (-0.34 * s, 0.3 * s), (-0.2 * s, 0.1 * s)], accent)

    return draw


def handbag(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.arc(0, -0.55 * s, 0.48 * s, 0.55 * s, 180, 360, dark(color, 0.2), 0.1 * s)
        p.rrect(-0.8 * s, -0.55 * s, 0.8 * s, 0.6 * s, 0.18 * s, color)
        p.poly(
            [
                (-0.8 * s, -0.55 * s),
                (0.8 * s, -0.55 * s),
                (0.8 * s, -0.1 * s),
                (0.0, 0.12 * s),
                (-0.8 * s, -0.1 * s),
            ],
            dark(color, 0.08),
        )
        p.circle(0, 0.06 * s, 0.07 * s, hex_rgb("#D9B65D"))

    return draw


def sunglasses(s: float, frame: RGB) -> Draw:
    def draw(p: Pen) -> None:
        for side in (-1, 1):
            p.ellipse(side * 0.45 * s, 0, 0.38 * s, 0.3 * s, frame)
            p.ellipse(side * 0.45 * s, 0, 0.32 * s, 0.24 * s, hex_rgb("#3A3530"))
            p.ellipse(side * 0.5 * s, -0.08 * s, 0.1 * s, 0.05 * s, alpha(WHITE, 90))
            p.line([(side * 0.82 * s, -0.1 * s), (side * 0.95 * s, -0.45 * s)], frame, 0.05 * s)
        p.arc(0, 0.02 * s, 0.1 * s, 0.08 * s, 200, 340, frame, 0.05 * s)

    return draw


def hat(s: float, color: RGB, band: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, s, color)
        p.ring(0, 0, 0.8 * s, dark(color, 0.08), 0.04 * s)
        p.circle(0, 0, 0.55 * s, light(color, 0.1))
        p.ring(0, 0, 0.56 * s, band, 0.1 * s)

    return draw


def necklace(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.arc(0, -0.3 * s, 0.6 * s, 0.8 * s, 20, 160, color, 0.025 * s)
        p.circle(0, 0.52 * s, 0.08 * s, color)
        p.circle(0, 0.52 * s, 0.045 * s, hex_rgb("#F7F3E8"))

    return draw


CAPSULE = [
    hex_rgb(x)
    for x in ("#F4EFE6", "#2E3A4E", "#C9B49A", "#8A9A7B", "#B75D4B", "#1F1F1F", "#E8D9C4", "#6E8BB5")
]


def garment(s: float, color: RGB, kind: str) -> Draw:
    """A garment hanging from a hanger whose hook is at (0, 0): shirt, dress or long coat."""

    def draw(p: Pen) -> None:
        wire = hex_rgb("#B8A48A")
        p.arc(0, -0.06 * s, 0.05 * s, 0.05 * s, 180, 400, wire, 0.012 * s)
        p.line([(0.0, 0.0), (-0.42 * s, 0.2 * s), (0.42 * s, 0.2 * s), (0.0, 0.0)], wire, 0.015 * s)
        top, shoulder = 0.17 * s, 0.42 * s
        if kind == "dress":
            p.poly(
                [
                    (-0.2 * s, top),
                    (0.2 * s, top),
                    (0.3 * s, 0.5 * s),
                    (0.55 * s, 1.35 * s),
                    (-0.55 * s, 1.35 * s),
                    (-0.3 * s, 0.5 * s),
                ],
                color,
            )
            p.rect(-0.3 * s, 0.5 * s, 0.3 * s, 0.56 * s, dark(color, 0.15))
        elif kind == "coat":
            p.poly(
                [
                    (-shoulder, top + 0.04 * s),
                    (shoulder, top + 0.04 * s),
                    (0.5 * s, 1.5 * s),
                    (-0.5 * s, 1.5 * s),
                ],
                color,
            )
            p.line([(0.0, top + 0.1 * s), (0.0, 1.5 * s)], dark(color, 0.2), 0.012 * s)
            p.poly([(-0.12 * s, top), (0.0, 0.55 * s), (-0.2 * s, 0.3 * s)], dark(color, 0.12))
            p.poly([(0.12 * s, top), (0.0, 0.55 * s), (0.2 * s, 0.3 * s)], dark(color, 0.12))
            for side in (-1, 1):
                p.rrect(
                    side * 0.56 * s - 0.09 * s,
                    top + 0.1 * s,
                    side * 0.56 * s + 0.09 * s,
                    1.1 * s,
                    0.06 * s,
                    dark(color, 0.06),
                )
        else:
            p.poly(
                [
                    (-shoulder, top + 0.04 * s),
                    (shoulder, top + 0.04 * s),
                    (0.4 * s, 0.95 * s),
                    (-0.4 * s, 0.95 * s),
                ],
                color,
            )
            for side in (-1, 1):
                p.rrect(
                    side * 0.5 * s - 0.09 * s,
                    top + 0.06 * s,
                    side * 0.5 * s + 0.09 * s,
                    0.6 * s,
                    0.06 * s,
                    dark(color, 0.06),
                )
            p.arc(0, top + 0.02 * s, 0.1 * s, 0.07 * s, 0, 180, dark(color, 0.2), 0.015 * s)

    return draw


def scene_rail(c: Canvas, pal: Palette) -> None:
    """A clothes rail against a wall: a capsule wardrobe on hangers, shoes below."""
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    floor = h * rng.uniform(0.8, 0.88)
    wall = light(rng.choice([pal.ground2, pal.a3, hex_rgb("#E8DCCB")]), 0.45)
    c.gradient([(0.0, light(wall, 0.3)), (1.0, wall)], box=(0, 0, w, floor), angle=rng.uniform(60, 120))
    c.gradient([(0.0, hex_rgb("#D8B58E")), (1.0, hex_rgb("#C29A70"))], box=(0, floor, w, h))
    rail_y = h * rng.uniform(0.1, 0.16)
    metal = rng.choice([hex_rgb("#2B2B2B"), hex_rgb("#C9A96E"), hex_rgb("#F2EEE8")])
    c.pen.line([(w * 0.06, rail_y), (w * 0.94, rail_y)], metal, 0.9 * u)
    for x in (w * 0.08, w * 0.92):
        c.pen.line([(x, rail_y), (x, floor + 2 * u)], metal, 0.9 * u)
    kinds = [rng.choice(["shirt", "shirt", "dress", "coat"]) for _i in range(rng.randint(3, 4))]
    gap = w * 0.76 / len(kinds)
    tones = [*rng.sample(CAPSULE, 3), rng.choice(pal.accents), rng.choice(pal.accents)]
    for i, kind in enumerate(kinds):
        x = w * 0.12 + gap * (i + 0.5) + rng.uniform(-1, 1) * u
        draw = garment(min(gap * 1.35, h * 0.3), rng.choice(tones), kind)
        c.shadow(placed(draw, x, rail_y), offset=(1.5 * u, 1 * u), blur=1.5 * u, opacity=0.2)
        with c.pen.at(x, rail_y - 0.4 * u, rng.uniform(-4, 4)):
            draw(c.pen)
    shoe = rng.choice([hex_rgb("#FAFAF7"), hex_rgb("#2B2B2B"), tones[0]])
    side = rng.choice((-1, 1))
    sx = w / 2 + side * w * rng.uniform(0.08, 0.2)
    for dx in (-7 * u, 7 * u):
        with c.pen.at(sx + dx, floor + 1.5 * u):
            c.pen.ellipse(-0.8 * u, -1.2 * u, 5 * u, 2.6 * u, shoe)
            c.pen.rrect(-6 * u, -0.9 * u, 5.5 * u, 0, 0.4 * u, dark(shoe, 0.25) if sum(shoe) > 300 else WHITE)
    if rng.random() < 0.7:
        with c.pen.at(w / 2 + side * w * 0.45 + rng.uniform(-3, 3) * u, floor + 1 * u):
            plant(rng, 14 * u, rng.choice(["monstera", "snake"]))(c.pen)
    bx = w / 2 - side * w * rng.uniform(0.2, 0.3)  # a basket with folded clothes on the other side
    bw, bh = 24 * u, 15 * u
    weave = rng.choice([hex_rgb("#C9A27C"), hex_rgb("#E3CBA8"), hex_rgb("#B08A62")])
    c.shadow(
        lambda p: p.rect(bx - bw / 2, floor - bh, bx + bw / 2, floor + 1 * u, INK),
        offset=(2 * u, 0),
        blur=1.5 * u,
        opacity=0.18,
    )
    for k in range(3):
        fold = rng.choice(tones)
        c.pen.rrect(
            bx - bw * 0.42,
            floor - bh - (k + 1) * 3.6 * u,
            bx + bw * 0.42,
            floor - bh - k * 3.6 * u + 0.4 * u,
            1.2 * u,
            fold,
        )
        c.pen.line(
            [
                (bx - bw * 0.36, floor - bh - k * 3.6 * u - 1.7 * u),
                (bx + bw * 0.36, floor - bh - k * 3.6 * u - 1.7 * u),
            ],
            dark(fold, 0.12),
            0.3 * u,
        )
    c.pen.poly(
        [
            (bx - bw / 2, floor - bh),
            (bx + bw / 2, floor - bh),
            (bx + bw * 0.44, floor + 1 * u),
            (bx - bw * 0.44, floor + 1 * u),
        ],
        weave,
    )
    for k in range(1, 5):
        y = floor - bh + k * bh / 5
        c.pen.line([(bx - bw * 0.49, y), (bx + bw * 0.49, y)], dark(weave, 0.15), 0.35 * u)
    c.light_band(rng.uniform(20, 40), 0.1)


def scene_outfit(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    if rng.random() < 0.3:
        scene_rail(c, pal)
        return
    if rng.random() < 0.5:
        c.gradient([(0.0, light(pal.ground, 0.3)), (1.0, pal.ground2)], angle=rng.uniform(40, 140))
    else:
        split = h * rng.uniform(0.35, 0.6)
        c.flat(light(pal.ground, 0.2), (0, 0, w, split))
        c.flat(pal.ground2, (0, split, w, h))
    tones = [*rng.sample(CAPSULE, 3), rng.choice(pal.accents)]
    # Slots (x, y as fractions) for: top, bottom, shoes, bag, accessory 1, accessory 2.
    if w > h * 1.1:
        slots = [(0.2, 0.36), (0.42, 0.58), (0.7, 0.74), (0.66, 0.3), (0.88, 0.5), (0.12, 0.85)]
        k = 0.85
    elif w > h * 0.9:
        slots = [(0.28, 0.27), (0.3, 0.72), (0.76, 0.78), (0.74, 0.4), (0.8, 0.12), (0.6, 0.93)]
        k = 0.85
    else:
        slots = [(0.34, 0.27), (0.36, 0.66), (0.78, 0.76), (0.76, 0.42), (0.78, 0.15), (0.8, 0.95)]
        k = 1.0
    items: list[Placed] = []
    long = rng.random() < 0.4
    items.append(
        (tee(17 * u * k, tones[0], long=long), w * slots[0][0], h * slots[0][1], rng.uniform(-8, 8), 1)
    )
    items.append(
        (
            trousers(18 * u * k, tones[1], skirt=rng.random() < 0.4),
            w * slots[1][0],
            h * slots[1][1],
            rng.uniform(-6, 6),
            1,
        )
    )
    shoe = rng.choice([hex_rgb("#FAFAF7"), hex_rgb("#F1E7D8"), hex_rgb("#2B2B2B")])
    sx, sy = w * slots[2][0], h * slots[2][1]
    items.append((sneaker(11 * u * k, shoe, tones[3]), sx - 6 * u, sy, rng.uniform(-15, 0), 1))
    items.append((sneaker(11 * u * k, shoe, tones[3]), sx + 7 * u, sy + 2 * u, rng.uniform(0, 15), 1))
    items.append((handbag(13 * u * k, tones[2]), w * slots[3][0], h * slots[3][1], rng.uniform(-10, 10), 1))
    extras: list[Draw] = [
        sunglasses(9 * u, rng.choice([hex_rgb("#2B2B2B"), hex_rgb("#B07A4F"), tones[3]])),
        hat(13 * u * k, rng.choice([hex_rgb("#E9D6AE"), hex_rgb("#D8C3A5"), tones[2]]), tones[1]),
        necklace(8 * u, hex_rgb("#D4AF37")),
    ]
    rng.shuffle(extras)
    items.append((extras[0], w * slots[4][0], h * slots[4][1], rng.uniform(-20, 20), 1))
    items.append((extras[1], w * slots[5][0], h * slots[5][1], rng.uniform(-20, 20), 1))
    if rng.random() < 0.5:  # mirror the layout
        items = [(d, w - x, y, -a, sc) for d, x, y, a, sc in items]
    flatlay(c, items, opacity=0.2, lift=0.7)
    if rng.random() < 0.5:
        c.light_band(rng.uniform(20, 40), 0.12)


# ----------------------------------------------------------------------------------------------
# Skincare: bottles and jars on plinths, in soft light with plant shadows (side view, base at y=0)


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


def placed(draw: Draw, x: float, y: float, angle: float = 0.0) -> Draw:
    """`draw` moved to (x, y) and turned by `angle` degrees (for shadows of side-view objects)."""

    def moved(p: Pen) -> None:
        with p.at(x, y, angle):
            draw(p)

    return moved


def box_mask(x0: float, y0: float, x1: float, y1: float) -> Draw:
    """A plain rectangle (a shadow caster)."""
    return lambda p: p.rect(x0, y0, x1, y1, INK)


# ----------------------------------------------------------------------------------------------
# Home: plants on a window sill, a cosy corner (side view, base at y=0)

GREENS = [hex_rgb(x) for x in ("#3F7D4E", "#5A9A5B", "#2F6B4F", "#7DB36A", "#4E8C6A")]
POTS = [hex_rgb(x) for x in ("#C8694A", "#F4F0EA", "#E3C9A8", "#2F3A40", "#D9A48F", "#8FAF8B", "#F2D492")]


def pot(w: float, h: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.poly([(-w / 2, -h), (w / 2, -h), (w * 0.38, 0), (-w * 0.38, 0)], color)
        p.rect(-w * 0.54, -h, w * 0.54, -h * 0.82, dark(color, 0.08))
        p.poly(
            [(-w * 0.3, -h * 0.8), (-w * 0.18, -h * 0.8), (-w * 0.12, -h * 0.05), (-w * 0.24, -h * 0.05)],
            alpha(WHITE, 45),
        )

    return draw


def plant(rng: random.Random, w: float, kind: str | None = None) -> Draw:
    """A potted plant `w` wide at the pot (monstera, snake plant, pilea, cactus or a trailing pothos)."""
    kind = kind or rng.choice(["monstera", "snake", "pilea", "cactus", "pothos"])
    pot_draw = pot(w, w * rng.uniform(0.8, 1.05), rng.choice(POTS))
    seed, green = rng.random(), rng.choice(GREENS)
    ph = w * 0.9

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        top = -ph
        if kind == "monstera":
            for _k in range(6):
                a = math.radians(g.uniform(-150, -30))
                d = g.uniform(0.9, 1.6) * w
                x, y = math.cos(a) * d, top + math.sin(a) * d
                p.line([(0, top), (x * 0.5, top + (y - top) * 0.7), (x, y)], dark(green, 0.1), w * 0.04)
                with p.at(x, y, math.degrees(a) + g.uniform(-20, 20)):
                    p.poly(leaf_pts(w * 0.75, w * 0.32), mix(green, GREENS[3], g.uniform(0, 0.4)))
                    p.line([(w * 0.05, 0), (w * 0.65, 0)], alpha(light(green, 0.4), 160), w * 0.02)
        elif kind == "snake":
            for k in range(7):
                hgt = g.uniform(1.3, 2.4) * w
                x = (k - 3) * w * 0.11
                with p.at(x, top + w * 0.05, -90 + (k - 3) * 6 + g.uniform(-4, 4)):
                    p.poly(leaf_pts(hgt, w * 0.1), hex_rgb("#D8C85A"))
                    p.poly(leaf_pts(hgt * 0.97, w * 0.075), mix(green, hex_rgb("#2E5A3A"), 0.4))
        elif kind == "pilea":
            for _k in range(11):
                a = math.radians(g.uniform(-165, -15))
                d = g.uniform(0.6, 1.3) * w
                x, y = math.cos(a) * d, top + math.sin(a) * d * 0.9
                p.line([(g.uniform(-0.1, 0.1) * w, top), (x, y)], dark(green, 0.2), w * 0.025)
                p.circle(x, y, w * g.uniform(0.16, 0.24), light(green, g.uniform(0, 0.25)))
        elif kind == "cactus":
            cg = mix(green, hex_rgb("#7FA88A"), 0.5)
            p.rrect(-w * 0.18, top - w * 1.3, w * 0.18, top + 2, w * 0.18, cg)
            for side in (-1, 1):
                y0 = top - w * g.uniform(0.4, 0.9)
                p.rrect(side * w * 0.15, y0 - w * 0.07, side * w * 0.42, y0 + w * 0.07, w * 0.07, cg)
                p.rrect(
                    side * w * 0.42 - w * 0.08,
                    y0 - w * 0.45,
                    side * w * 0.42 + w * 0.08,
                    y0 + w * 0.07,
                    w * 0.08,
                    cg,
                )
            p.circle(0, top - w * 1.32, w * 0.08, hex_rgb("#F28FA5"))
        else:  # pothos trailing over the edge
            for side in (-1, 1):
                pts = bezier(
                    (side * w * 0.3, top),
                    (side * w * 0.9, top - w * 0.2),
                    (side * w * 0.8, top + w * 0.8),
                    (side * w * g.uniform(0.6, 0.9), top + w * g.uniform(1.4, 2.2)),
                    10,
                )
                p.line(pts, dark(green, 0.2), w * 0.02)
                for i, (x, y) in enumerate(pts[1:], 1):
                    with p.at(x, y, side * (40 + i * 9)):
                        p.poly(leaf_pts(w * 0.3, w * 0.12), mix(green, hex_rgb("#B5D36A"), (i % 3) / 4))
            for _k in range(6):
                with p.at(g.uniform(-0.3, 0.3) * w, top, g.uniform(-160, -20)):
                    p.poly(leaf_pts(w * 0.4, w * 0.15), green)
        pot_draw(p)

    return draw


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


# ----------------------------------------------------------------------------------------------
# Pets: round cats and dogs with ears, on a cushion

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


def scene_pets(c: Canvas, pal: Palette) -> None:
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
    animal = cat(rng, s) if rng.random() < 0.55 else dog(rng, s)
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


# ----------------------------------------------------------------------------------------------
# Fitness: a yoga flat-lay, or a running track at sunrise


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


def scene_fitness(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    if rng.random() < 0.4:
        scene_track(c, pal)
        return
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
        birds(c, _away(c, sx), horizon * 0.4, dark(sky.near, 0.2))


# ----------------------------------------------------------------------------------------------
# Study and language exchange: a desk flat-lay


def notebook(s: float, paper: RGB, ink: RGB, rng: random.Random, *, grid: bool) -> Draw:
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.rrect(-1.05 * s, -0.75 * s, 1.05 * s, 0.75 * s, 0.04 * s, dark(paper, 0.35))
        p.rect(-s, -0.72 * s, s, 0.72 * s, paper)
        p.rect(-0.02 * s, -0.72 * s, 0.02 * s, 0.72 * s, dark(paper, 0.12))
        for side in (-1, 1):
            x0 = -0.92 * s if side < 0 else 0.1 * s
            if grid and side > 0:  # practice grid with dashed centre lines
                cell = 0.19 * s
                for r_ in range(6):
                    for k in range(4):
                        bx, by = x0 + k * (cell + 0.02 * s), -0.62 * s + r_ * (cell + 0.03 * s)
                        p.rect(bx, by, bx + cell, by + cell, alpha(hex_rgb("#D9534F"), 40))
                        p.line(
                            [(bx + cell / 2, by), (bx + cell / 2, by + cell)],
                            alpha(hex_rgb("#D9534F"), 90),
                            0.004 * s,
                        )
                        p.line(
                            [(bx, by + cell / 2), (bx + cell, by + cell / 2)],
                            alpha(hex_rgb("#D9534F"), 90),
                            0.004 * s,
                        )
                continue
            for r_ in range(11):
                y = -0.6 * s + r_ * 0.12 * s
                p.line([(x0, y), (x0 + 0.82 * s, y)], alpha(hex_rgb("#7FA7D9"), 110), 0.006 * s)
                if g.random() < 0.8:
                    length = g.uniform(0.3, 0.8) * s
                    pts = [
                        (
                            x0 + 0.03 * s + t * 0.02 * s,
                            y - 0.035 * s - 0.018 * s * abs(math.sin(t * 1.7 + g.random())),
                        )
                        for t in range(int(length / (0.02 * s)))
                    ]
                    if len(pts) > 1:
                        p.line(pts, alpha(ink, 170), 0.008 * s)

    return draw


def pen_(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.06 * s, 0.8 * s, 0.06 * s, 0.05 * s, color)
        p.poly([(0.8 * s, -0.05 * s), (s, 0.0), (0.8 * s, 0.05 * s)], hex_rgb("#E9D9B8"))
        p.rect(-0.7 * s, -0.09 * s, -0.2 * s, -0.05 * s, hex_rgb("#D4AF37"))

    return draw


def sticky(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rect(-s, -s, s, s, color)
        p.rect(-s, -s, s, -0.7 * s, dark(color, 0.06))
        for k in range(3):
            p.line(
                [(-0.7 * s, -0.3 * s + k * 0.35 * s), ((0.6 - 0.4 * (k == 2)) * s, -0.3 * s + k * 0.35 * s)],
                alpha(hex_rgb("#3A3A4A"), 120),
                0.06 * s,
            )

    return draw


def laptop(s: float, color: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.68 * s, s, 0.68 * s, 0.06 * s, color)
        p.rrect(-0.9 * s, -0.58 * s, 0.9 * s, 0.2 * s, 0.02 * s, dark(color, 0.1))
        for r_ in range(5):
            for k in range(12):
                x, y = -0.86 * s + k * 0.145 * s, -0.54 * s + r_ * 0.145 * s
                p.rrect(x, y, x + 0.12 * s, y + 0.12 * s, 0.02 * s, dark(color, 0.2))
        p.rrect(-0.28 * s, 0.28 * s, 0.28 * s, 0.6 * s, 0.03 * s, dark(color, 0.05))

    return draw


def desk_plant(rng: random.Random, r: float) -> Draw:
    seed, green, pot_c = rng.random(), rng.choice(GREENS), rng.choice(POTS)

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r, pot_c)
        p.circle(0, 0, r * 0.85, hex_rgb("#6B4F3A"))
        for k in range(9):
            with p.at(0, 0, k * 40 + g.uniform(-10, 10)):
                p.poly(leaf_pts(r * g.uniform(1.1, 1.5), r * 0.32), mix(green, GREENS[3], g.random() * 0.5))

    return draw


def scene_study(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    if rng.random() < 0.5:
        wood(
            c,
            rng.choice([hex_rgb("#C8A27C"), hex_rgb("#DDBB94"), hex_rgb("#B98B63")]),
            vertical=rng.random() < 0.5,
        )
    else:
        c.gradient([(0.0, light(pal.ground, 0.2)), (1.0, pal.ground2)], angle=rng.uniform(40, 140))
    items: list[Placed] = []
    portrait = h > w
    items.append(
        (
            laptop(26 * u, rng.choice([hex_rgb("#D5D8DC"), hex_rgb("#BFC3C8"), hex_rgb("#E8D5CF")])),
            w * 0.5,
            h * (0.2 if portrait else 0.22),
            rng.uniform(-8, 8),
            1,
        )
    )
    items.append(
        (
            notebook(
                24 * u,
                hex_rgb("#FFFDF7"),
                rng.choice([hex_rgb("#2F3A66"), hex_rgb("#3A3A3A")]),
                rng,
                grid=rng.random() < 0.6,
            ),
            w * 0.48,
            h * (0.62 if portrait else 0.66),
            rng.uniform(-10, 10),
            1,
        )
    )
    items.append((pen_(14 * u, rng.choice(pal.accents)), w * 0.88, h * 0.62, rng.uniform(80, 110), 1))
    items.append(
        (
            latte(8 * u, rng.choice(CERAMICS), art=rng.choice(["heart", "rosetta"])),
            w * 0.12,
            h * (0.42 if portrait else 0.35),
            rng.uniform(0, 90),
            1,
        )
    )
    for k in range(rng.randint(2, 3)):
        items.append(
            (
                sticky(
                    5 * u,
                    rng.choice(
                        [hex_rgb("#FFE37A"), hex_rgb("#FFB4C2"), hex_rgb("#A8E0C8"), hex_rgb("#B5D2F5")]
                    ),
                ),
                w * (0.84 + 0.02 * k),
                h * (0.14 + 0.09 * k),
                rng.uniform(-15, 15),
                1,
            )
        )
    items.append((desk_plant(rng, 7 * u), w * 0.14, h * (0.88 if portrait else 0.82), 0, 1))
    flatlay(c, items, opacity=0.22, lift=0.8)
    if rng.random() < 0.6:
        c.light_band(rng.uniform(20, 40), 0.12, count=rng.randint(1, 2))


# ----------------------------------------------------------------------------------------------
# Photography: a camera among bokeh, night bokeh, instant photos on a board


def bokeh(c: Canvas, colors: Sequence[RGB], count: int, *, blur: float, size: tuple[float, float]) -> None:
    rng = c.rng
    with c.soft(blur=blur) as pen:
        for _k in range(count):
            r = rng.uniform(*size) * c.u
            pen.circle(
                rng.uniform(0, c.w), rng.uniform(0, c.h), r, alpha(rng.choice(colors), rng.randint(70, 170))
            )


def camera(s: float, body: RGB, top: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.rrect(-s, -0.62 * s, s, 0.62 * s, 0.12 * s, top)
        p.rrect(-s, -0.3 * s, s, 0.62 * s, 0.1 * s, body)
        p.rrect(-0.8 * s, -0.82 * s, -0.45 * s, -0.58 * s, 0.04 * s, dark(top, 0.15))
        p.rrect(0.5 * s, -0.76 * s, 0.75 * s, -0.6 * s, 0.04 * s, dark(top, 0.25))
        p.rect(0.55 * s, -0.5 * s, 0.85 * s, -0.36 * s, hex_rgb("#3A4752"))
        p.rect(0.57 * s, -0.48 * s, 0.7 * s, -0.4 * s, alpha(WHITE, 80))
        lens = [
            (0.55, hex_rgb("#2A2A2E")),
            (0.47, hex_rgb("#9AA1A8")),
            (0.42, hex_rgb("#1E1E22")),
            (0.3, hex_rgb("#2D3A55")),
            (0.18, hex_rgb("#4A6FA5")),
        ]
        for r, color in lens:
            p.circle(0, 0.12 * s, r * s, color)
        for k in range(24):
            a = math.radians(k * 15)
            p.line(
                [
                    (0.48 * s * math.cos(a), 0.12 * s + 0.48 * s * math.sin(a)),
                    (0.54 * s * math.cos(a), 0.12 * s + 0.54 * s * math.sin(a)),
                ],
                hex_rgb("#55555B"),
                0.015 * s,
            )
        p.ellipse(-0.1 * s, 0.0, 0.1 * s, 0.06 * s, alpha(WHITE, 170))
        p.circle(0.1 * s, 0.25 * s, 0.04 * s, alpha(WHITE, 90))
        p.circle(-0.72 * s, -0.1 * s, 0.05 * s, hex_rgb("#D9534F"))

    return draw


def scene_photo(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    kind = rng.choice(["camera", "bokeh", "instant", "instant", "camera"])
    if kind == "bokeh":
        sky = SKIES[rng.choice(["night", "lilac", "sunset"])]
        c.gradient([(0.0, dark(sky.top, 0.2)), (1.0, dark(sky.mid, 0.1))], angle=rng.uniform(60, 120))
        warm = [
            hex_rgb("#FFD88A"),
            hex_rgb("#F79D84"),
            hex_rgb("#FFB347"),
            hex_rgb("#F4A7B9"),
            hex_rgb("#9AD0F5"),
        ]
        bokeh(c, warm, 40, blur=3 * u, size=(3, 9))
        bokeh(c, warm, 24, blur=1.0 * u, size=(2, 6))
        bokeh(c, warm, 30, blur=0.5 * u, size=(0.5, 1.8))
        return
    if kind == "camera":
        back = rng.choice(pal.accents)
        c.gradient([(0.0, light(back, 0.55)), (1.0, light(back, 0.2))], angle=rng.uniform(60, 120))
        bokeh(c, [WHITE, light(back, 0.7), pal.ground], 26, blur=2.5 * u, size=(3, 10))
        s = min(w, h) * 0.3
        body = rng.choice([hex_rgb("#2B2B2E"), hex_rgb("#6B4F3A"), hex_rgb("#3F5E4A"), hex_rgb("#A34A3B")])
        draw = camera(s, body, rng.choice([hex_rgb("#D5D8DC"), hex_rgb("#2B2B2E")]))
        cx, cy = w * 0.5, h * rng.uniform(0.48, 0.56)
        c.shadow(placed(draw, cx, cy), offset=(2 * u, 3 * u), blur=3 * u, opacity=0.3)
        with c.pen.at(cx, cy, rng.uniform(-8, 8)):
            draw(c.pen)
        c.pen.line(
            bezier(
                (cx - s, cy - 0.4 * s),
                (cx - 1.6 * s, cy + 0.5 * s),
                (cx - 0.6 * s, cy + 1.6 * s),
                (cx + 0.4 * s, cy + 1.9 * s),
            ),
            dark(body, 0.1),
            1.2 * u,
        )
        c.light_band(rng.uniform(20, 40), 0.12)
        return
    board = rng.choice([hex_rgb("#C9A27C"), pal.ground2, hex_rgb("#E8E2D8"), light(pal.a2, 0.4)])
    c.gradient([(0.0, light(board, 0.2)), (1.0, board)], angle=rng.uniform(40, 140))
    frames = (
        [(0.32, 0.3), (0.68, 0.36), (0.4, 0.72), (0.74, 0.78)]
        if h >= w
        else [(0.2, 0.4), (0.5, 0.55), (0.8, 0.42)]
    )
    side = min(w, h) * 0.36
    for fx, fy in frames:
        mini = paint(
            rng.choice(["travel", "travel", "food", "pets", "cafe"]),
            width=int(side * 0.86),
            height=int(side * 0.86),
            seed=rng.randint(0, 10**9),
        )
        frame = Image.new("RGBA", (round(side * SS), round(side * 1.2 * SS)), (253, 252, 248, 255))
        inner = round(side * 0.86 * SS)
        frame.paste(
            mini.resize((inner, inner), Image.Resampling.BICUBIC),
            (round(side * 0.07 * SS), round(side * 0.07 * SS)),
        )
        angle = rng.uniform(-12, 12)
        x, y = w * fx, h * fy
        c.shadow(
            placed(box_mask(-side / 2, -side * 0.6, side / 2, side * 0.6), x, y, angle),
            offset=(1 * u, 1.6 * u),
            blur=1.5 * u,
            opacity=0.3,
        )
        rotated = frame.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True)
        c.img.paste(rotated, (int(x * SS - rotated.width / 2), int(y * SS - rotated.height / 2)), rotated)
        c.pen.circle(x, y - side * 0.58, 1.6 * u, rng.choice(pal.accents))  # a pin


# ----------------------------------------------------------------------------------------------
# Crafts: yarn and knitting, a pottery shelf, an embroidery hoop


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


def scene_crafts(c: Canvas, pal: Palette) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    kind = rng.choice(["yarn", "pottery", "hoop"])
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


def paint(topic: str, *, width: int, height: int, seed: int) -> Image.Image:
    """An RGB illustration for `topic` (see TOPICS) of exactly width x height, deterministic per seed."""
    rng = random.Random(f"{topic}:{seed}")
    c = Canvas(width, height, rng)
    pal = palette(rng)
    SCENES.get(topic, scene_travel)(c, pal)
    return c.finish(vignette=rng.uniform(0.08, 0.18))


def paint_jpeg(topic: str, *, width: int, height: int, seed: int, quality: int = 90) -> bytes:
    """`paint` encoded as a JPEG (what a phone would upload)."""
    buffer = io.BytesIO()
    paint(topic, width=width, height=height, seed=seed).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def paint_avatar(topic: str, *, seed: int, size: int = 480) -> bytes:
    """A square JPEG profile picture: a crop-friendly scene of the member's favourite topic."""
    buffer = io.BytesIO()
    paint(topic, width=size, height=size, seed=seed).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


SCENES: dict[str, Callable[[Canvas, Palette], None]] = {
    "travel": scene_travel,
    "food": scene_food,
    "cafe": scene_cafe,
    "outfit": scene_outfit,
    "skincare": scene_skincare,
    "home": scene_home,
    "pets": scene_pets,
    "fitness": scene_fitness,
    "study": scene_study,
    "photography": scene_photo,
    "crafts": scene_crafts,
}
TOPICS: tuple[str, ...] = tuple(SCENES)
