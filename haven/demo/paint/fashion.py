"""Fashion: a flat-lay of clothes and accessories, a clothes rail."""

from __future__ import annotations

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
    Placed,
    flatlay,
    placed,
)
from haven.demo.paint.pen import (
    Pen,
    bezier,
    profile_pts,
)
from haven.demo.paint.plants import plant


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
