"""Photography: a camera among bokeh, night bokeh, instant photos on a board."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import Image

from haven.demo.paint.canvas import SS, Canvas
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
    Draw,
    box_mask,
    placed,
)
from haven.demo.paint.landscapes import (
    SKIES,
)
from haven.demo.paint.pen import (
    Pen,
    bezier,
)

#: Paints a small picture of a subject (for the instant photos pinned on a board).
MiniPainter = Callable[..., Image.Image]


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


def scene_photo(c: Canvas, pal: Palette, kind: str, mini: MiniPainter) -> None:
    rng = c.rng
    u, w, h = c.u, c.w, c.h
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
        snapshot = mini(
            rng.choice(["mountains", "seaside", "noodles", "cat", "latte"]),
            width=int(side * 0.86),
            height=int(side * 0.86),
            seed=rng.randint(0, 10**9),
        )
        frame = Image.new("RGBA", (round(side * SS), round(side * 1.2 * SS)), (253, 252, 248, 255))
        inner = round(side * 0.86 * SS)
        frame.paste(
            snapshot.resize((inner, inner), Image.Resampling.BICUBIC),
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
