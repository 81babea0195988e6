"""Drinks: a latte flat-lay, a cup by a café window."""

from __future__ import annotations

import math

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
    mix,
)
from haven.demo.paint.flatlay import (
    CERAMICS,
    GLAZES,
    Placed,
    croissant,
    flatlay,
    latte,
    plate,
    spoon,
    strawberry,
)
from haven.demo.paint.landscapes import (
    SKIES,
)
from haven.demo.paint.pen import (
    Pen,
)
from haven.demo.paint.surfaces import tabletop


def scene_latte(c: Canvas, pal: Palette, *, matcha: bool = False) -> None:
    """A latte (or a matcha latte) with a croissant and a book, seen from above."""
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.55)
    items: list[Placed] = [
        (
            latte(
                14 * u,
                rng.choice(CERAMICS),
                art=rng.choice(["heart", "rosetta", "heart", "plain"]),
                tea=matcha,
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


def _counter(c: Canvas, pal: Palette) -> float:
    """A soft wall over a pale counter; returns the counter's front edge (y)."""
    rng = c.rng
    u, w, h = c.u, c.w, c.h
    top = h * rng.uniform(0.64, 0.72)
    wall = rng.choice([light(pal.a1, 0.55), light(pal.a2, 0.55), pal.ground2, hex_rgb("#F1E4D3")])
    c.gradient([(0.0, light(wall, 0.35)), (1.0, wall)], box=(0, 0, w, top), angle=rng.uniform(60, 120))
    counter = rng.choice([hex_rgb("#EFE7DC"), hex_rgb("#D8B58E"), light(pal.ground, 0.4)])
    c.gradient([(0.0, light(counter, 0.1)), (1.0, dark(counter, 0.08))], box=(0, top, w, h))
    c.pen.rect(0, top, w, top + 0.7 * u, alpha(WHITE, 120))
    return top


def _cup(c: Canvas, cx: float, base: float, width: float, height: float, drink: RGB, *, pearls: bool) -> None:
    """A clear, slightly tapered cup of `drink` standing on `base`: ice or tapioca pearls, a wide straw."""
    rng, u = c.rng, c.u
    top = base - height
    half_top, half_bottom = width / 2, width * 0.4
    outline = [(cx - half_top, top), (cx + half_top, top), (cx + half_bottom, base), (cx - half_bottom, base)]
    c.shadow(lambda p: p.ellipse(cx + 4 * u, base, half_top * 1.1, 3 * u, INK), blur=2 * u, opacity=0.28)
    c.pen.poly(outline, alpha(WHITE, 120))
    level = top + height * 0.1

    def edge(y: float) -> float:
        return half_top + (half_bottom - half_top) * (y - top) / height

    inset = 1.2 * u
    body = [
        (cx - edge(level) + inset, level),
        (cx + edge(level) - inset, level),
        (cx + half_bottom - inset, base - inset),
        (cx - half_bottom + inset, base - inset),
    ]
    c.pen.poly(body, drink)
    c.pen.poly(  # the lit left side of the drink
        [body[0], (cx - edge(level) * 0.35, level), (cx - half_bottom * 0.35, base - inset), body[3]],
        alpha(light(drink, 0.25), 150),
    )
    if pearls:
        for _k in range(int(width / u * 2.2)):
            y = base - rng.uniform(4, height * 0.24)
            x = cx + rng.uniform(-1, 1) * (edge(y) - 4.5 * u)
            c.pen.circle(x, y, 2.1 * u, hex_rgb("#2B1A12"))
            c.pen.circle(x - 0.6 * u, y - 0.6 * u, 0.6 * u, alpha(WHITE, 120))
        c.pen.rect(
            cx - edge(level) + 1.2 * u, level, cx + edge(level) - 1.2 * u, level + 2.2 * u, light(drink, 0.4)
        )
    else:
        for _k in range(5):  # ice
            y = level + rng.uniform(1, height * 0.4)
            x = cx + rng.uniform(-0.5, 0.5) * edge(y)
            with c.pen.at(x, y, rng.uniform(-20, 20)):
                c.pen.rrect(-4 * u, -4 * u, 4 * u, 4 * u, 1.2 * u, alpha(WHITE, 95))
        with c.soft(blur=1.5 * u, opacity=0.8) as pen:  # milk swirling into the coffee
            pen.ellipse(
                cx, level + height * 0.25, edge(level) * 0.7, height * 0.12, alpha(hex_rgb("#F3E3CC"), 200)
            )
    c.pen.line([(cx - half_top, top), (cx - half_bottom, base)], alpha(WHITE, 170), 0.8 * u)
    c.pen.ellipse(cx, top, half_top, 1.8 * u, alpha(WHITE, 150))
    straw = rng.choice([hex_rgb("#F28F79"), hex_rgb("#5DB599"), hex_rgb("#2B2B2E"), hex_rgb("#F4C430")])
    c.pen.line(
        [(cx + half_top * 0.15, base - 4 * u), (cx + half_top * 0.55, top - height * 0.28)], straw, 2.6 * u
    )


def scene_bubble_tea(c: Canvas, pal: Palette) -> None:
    """Bubble tea (珍珠奶茶): clear cups of milk tea with tapioca pearls and wide straws on a counter."""
    rng, u, w = c.rng, c.u, c.w
    base = _counter(c, pal) + 8 * u
    teas = [hex_rgb("#C89A6A"), hex_rgb("#D9B48C"), hex_rgb("#B98A5E"), hex_rgb("#E3C7A5")]
    if rng.random() < 0.6:
        _cup(c, w * 0.7, base - 6 * u, 26 * u, 50 * u, rng.choice(teas), pearls=True)
    _cup(c, w * rng.uniform(0.38, 0.46), base + 4 * u, 32 * u, 62 * u, rng.choice(teas), pearls=True)
    c.light_band(rng.uniform(15, 35), 0.1, count=1)


def scene_iced_coffee(c: Canvas, pal: Palette) -> None:
    """An iced americano or iced latte in a clear cup, ice floating, on a counter."""
    rng, u, w = c.rng, c.u, c.w
    base = _counter(c, pal) + 8 * u
    coffee = rng.choice([hex_rgb("#5A3520"), hex_rgb("#6B4226"), hex_rgb("#8C5A3C")])
    _cup(c, w * rng.uniform(0.4, 0.6), base, 32 * u, 62 * u, coffee, pearls=False)
    c.light_band(rng.uniform(15, 35), 0.12, count=1)
