"""The canvas: gradients, soft (blurred) layers, cast shadows and the final reduction; picture sizes."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PIL import Image, ImageFilter

from haven.demo.paint.colors import (
    INK,
    RGB,
    WHITE,
    Point,
    mix,
)
from haven.demo.paint.pen import (
    Pen,
)

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
