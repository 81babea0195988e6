"""Chinese dishes: hotpot, claypot rice, soup dumplings in a steamer, wontons in chilli oil (from above)."""

from __future__ import annotations

import math
import random

from haven.demo.paint.canvas import Canvas
from haven.demo.paint.colors import RGB, WHITE, Palette, alpha, dark, hex_rgb, light, mix
from haven.demo.paint.flatlay import CERAMICS, GLAZES, Draw, Placed, chopsticks, flatlay, plate, spoon
from haven.demo.paint.food import side_plate
from haven.demo.paint.pen import Pen, bezier, blob_pts, leaf_pts
from haven.demo.paint.surfaces import tabletop

SCALLION = hex_rgb("#6FB25A")
SESAME = hex_rgb("#F3E3C0")


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


def scene_hotpot(c: Canvas, pal: Palette) -> None:
    """A split (yuanyang) hotpot, spicy and clear, among plates of things to cook."""
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.58)
    items: list[Placed] = []
    items.append((hotpot(rng, 30 * u), cx, cy, rng.uniform(-20, 20), 1))
    kinds = ["meat", "tofu", "greens", "mushroom", "dumplings", "meat"]
    rng.shuffle(kinds)
    for k, (dx, dy) in enumerate(((-1, -1), (1, -1), (-1, 1), (1, 1))):
        items.append((side_plate(rng, 13 * u, kinds[k]), cx + dx * 36 * u, cy + dy * 40 * u, 0, 1))
    items.append((chopsticks(55 * u, hex_rgb("#3B2A20")), cx + 40 * u, cy, 95, 1))
    flatlay(c, items)


def claypot(rng: random.Random, r: float) -> Draw:
    """A glazed clay pot of rice with Chinese sausage, greens and an egg, the crust showing at the rim."""
    seed = rng.random()
    glaze = rng.choice([hex_rgb("#3A2A22"), hex_rgb("#4A3226"), hex_rgb("#2E2622")])
    egg = rng.random() < 0.7

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        for side in (-1, 1):  # two ear handles
            p.rrect(
                side * r * 1.02 - r * 0.16, -r * 0.16, side * r * 1.02 + r * 0.16, r * 0.16, r * 0.08, glaze
            )
        p.circle(0, 0, r, glaze)
        p.ring(0, 0, r * 0.96, light(glaze, 0.18), r * 0.03)
        p.circle(0, 0, r * 0.86, hex_rgb("#B7773F"))  # the crisp crust at the edge
        p.circle(0, 0, r * 0.8, hex_rgb("#F5EBD6"))
        for _k in range(140):  # rice grains
            a, d = g.uniform(0, 2 * math.pi), r * 0.78 * math.sqrt(g.random())
            with p.at(d * math.cos(a), d * math.sin(a), g.uniform(0, 180)):
                p.ellipse(0, 0, r * 0.035, r * 0.016, mix(hex_rgb("#FFFDF6"), hex_rgb("#E8D9B8"), g.random()))
        for _k in range(7):  # greens (choy sum) fanned on one side
            with p.at(
                -r * 0.35 + g.uniform(-0.1, 0.1) * r, r * 0.2 + g.uniform(-0.15, 0.15) * r, g.uniform(60, 140)
            ):
                p.poly(leaf_pts(r * 0.55, r * 0.13), mix(hex_rgb("#3F8A3A"), hex_rgb("#7DBB5A"), g.random()))
                p.line([(0, 0), (r * 0.45, 0)], hex_rgb("#CFE6A8"), r * 0.025)
        for k in range(7):  # slices of lap cheong sausage, overlapping in an arc
            a = math.radians(-150 + k * 22)
            x, y = math.cos(a) * r * 0.5, math.sin(a) * r * 0.5
            with p.at(x, y, math.degrees(a) + 90):
                p.ellipse(0, 0, r * 0.15, r * 0.11, hex_rgb("#A8322D"))
                p.ellipse(0, 0, r * 0.13, r * 0.09, hex_rgb("#C2473B"))
                for _j in range(5):
                    p.circle(
                        g.uniform(-0.08, 0.08) * r, g.uniform(-0.05, 0.05) * r, r * 0.014, hex_rgb("#F3D2C2")
                    )
        if egg:
            p.poly(blob_pts(g, r * 0.3, r * 0.05, r * 0.26, 0.1), hex_rgb("#FFFCF4"))
            p.circle(r * 0.3, r * 0.05, r * 0.1, hex_rgb("#F6B21B"))
            p.circle(r * 0.27, r * 0.02, r * 0.03, alpha(WHITE, 150))
        for _k in range(12):  # scallion rings
            x, y = g.uniform(-0.55, 0.55) * r, g.uniform(-0.55, 0.55) * r
            if math.hypot(x, y) < r * 0.7:
                p.ring(x, y, r * 0.025, SCALLION, r * 0.012)
        p.arc(0, 0, r * 0.98, r * 0.98, 200, 250, alpha(WHITE, 90), r * 0.025)

    return draw


def pot_lid(r: float, glaze: RGB) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, glaze)
        p.ring(0, 0, r * 0.8, light(glaze, 0.12), r * 0.03)
        p.circle(0, 0, r * 0.2, dark(glaze, 0.2))
        p.circle(0, 0, r * 0.13, light(glaze, 0.15))
        p.arc(0, 0, r * 0.9, r * 0.9, 200, 250, alpha(WHITE, 80), r * 0.04)

    return draw


def sauce_dish(r: float, sauce: RGB, *, ginger: bool = False) -> Draw:
    def draw(p: Pen) -> None:
        p.circle(0, 0, r, hex_rgb("#FBF8F2"))
        p.ring(0, 0, r * 0.9, hex_rgb("#3E6DA8"), r * 0.05)
        p.circle(0, 0, r * 0.75, sauce)
        p.arc(0, 0, r * 0.6, r * 0.6, 200, 250, alpha(WHITE, 120), r * 0.06)
        if ginger:
            for k in range(6):
                with p.at(0, 0, k * 31):
                    p.rect(-r * 0.45, -r * 0.025, r * 0.4, r * 0.025, hex_rgb("#F2D27A"))

    return draw


def scene_claypot_rice(c: Canvas, pal: Palette) -> None:
    """Claypot rice (煲仔饭) from above, its lid set aside, with soy sauce and chopsticks."""
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.44, 0.56), h * rng.uniform(0.45, 0.55)
    items: list[Placed] = [
        (pot_lid(20 * u, hex_rgb("#3A2A22")), cx + 30 * u, cy - 36 * u, 0, 1),
        (claypot(rng, 31 * u), cx, cy, rng.uniform(-15, 15), 1),
        (sauce_dish(8 * u, hex_rgb("#4A2A16")), cx - 30 * u, cy + 38 * u, 0, 1),
        (
            chopsticks(60 * u, rng.choice([hex_rgb("#3B2A20"), hex_rgb("#C79A66")])),
            cx + 38 * u,
            cy + 18 * u,
            80,
            1,
        ),
        (spoon(26 * u, hex_rgb("#F4F1EA")), cx - 36 * u, cy - 8 * u, rng.uniform(95, 110), 1),
    ]
    flatlay(c, items)


def xiaolongbao(rng: random.Random, r: float) -> Draw:
    """A soup dumpling from above: a soft round with pleats gathered in a spiral to a twist."""
    tint = rng.uniform(0, 0.25)

    def draw(p: Pen) -> None:
        skin = mix(hex_rgb("#FBF6EA"), hex_rgb("#EFE3C8"), tint)
        p.circle(0, 0, r, skin)
        p.circle(r * 0.08, r * 0.1, r * 0.9, alpha(hex_rgb("#E3D3B2"), 110))
        p.circle(-r * 0.05, -r * 0.05, r * 0.85, skin)
        for k in range(14):
            a = k * 2 * math.pi / 14
            pts = bezier(
                (math.cos(a) * r * 0.85, math.sin(a) * r * 0.85),
                (math.cos(a + 0.5) * r * 0.6, math.sin(a + 0.5) * r * 0.6),
                (math.cos(a + 0.9) * r * 0.3, math.sin(a + 0.9) * r * 0.3),
                (math.cos(a + 1.2) * r * 0.1, math.sin(a + 1.2) * r * 0.1),
                10,
            )
            p.line(pts, hex_rgb("#DCCBA6"), r * 0.05)
        p.circle(0, 0, r * 0.12, hex_rgb("#E8D9B8"))
        p.arc(-r * 0.2, -r * 0.2, r * 0.5, r * 0.5, 190, 250, alpha(WHITE, 150), r * 0.06)

    return draw


def steamer(rng: random.Random, r: float, count: int) -> Draw:
    """A round bamboo steamer basket lined with a leaf, holding `count` dumplings."""
    bamboo, lining = hex_rgb("#D9B77E"), rng.choice([hex_rgb("#CFE3B0"), hex_rgb("#F3EEDC")])
    dumplings = [xiaolongbao(rng, r * 0.27) for _k in range(count)]

    def draw(p: Pen) -> None:
        p.circle(0, 0, r, dark(bamboo, 0.12))
        p.circle(0, 0, r * 0.95, bamboo)
        for k in range(4):
            p.ring(0, 0, r * (0.93 - k * 0.025), dark(bamboo, 0.18), r * 0.008)
        p.circle(0, 0, r * 0.82, dark(bamboo, 0.25))
        p.circle(0, 0, r * 0.8, lining)
        positions = [(0.0, 0.0)] + [
            (
                math.cos(k * 2 * math.pi / (count - 1)) * r * 0.5,
                math.sin(k * 2 * math.pi / (count - 1)) * r * 0.5,
            )
            for k in range(count - 1)
        ]
        for draw_one, (x, y) in zip(dumplings, positions, strict=True):
            with p.at(x, y):
                draw_one(p)

    return draw


def scene_dumplings(c: Canvas, pal: Palette) -> None:
    """Soup dumplings (小笼包) in a bamboo steamer, black vinegar with ginger, chopsticks and a spoon."""
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.42, 0.56), h * rng.uniform(0.42, 0.52)
    items: list[Placed] = [(steamer(rng, 34 * u, 8), cx, cy, rng.uniform(0, 40), 1)]
    if rng.random() < 0.5:
        items.insert(0, (steamer(rng, 30 * u, 7), cx + 40 * u, cy - 46 * u, 0, 1))
    items += [
        (sauce_dish(9 * u, hex_rgb("#2E1A12"), ginger=True), cx - 32 * u, cy + 42 * u, 0, 1),
        (chopsticks(60 * u, hex_rgb("#3B2A20")), cx + 38 * u, cy + 30 * u, 75, 1),
        (spoon(24 * u, hex_rgb("#F4F1EA")), cx + 8 * u, cy + 46 * u, -10, 1),
    ]
    flatlay(c, items)


def wonton_bowl(rng: random.Random, r: float, bowl: RGB) -> Draw:
    """Wontons in chilli oil (红油抄手): silky folded wontons in red oil, sesame and scallions."""
    seed = rng.random()

    def draw(p: Pen) -> None:
        g = random.Random(seed)
        p.circle(0, 0, r, bowl)
        p.ring(0, 0, r * 0.93, dark(bowl, 0.08), r * 0.02)
        p.circle(0, 0, r * 0.85, hex_rgb("#B3261E"))
        p.circle(-r * 0.1, -r * 0.1, r * 0.7, alpha(hex_rgb("#D8452B"), 160))
        for _k in range(30):  # chilli flakes
            a, d = g.uniform(0, 2 * math.pi), r * 0.8 * math.sqrt(g.random())
            p.circle(d * math.cos(a), d * math.sin(a), r * g.uniform(0.012, 0.03), hex_rgb("#7E150F"))
        for k in range(7):
            a = k * 2 * math.pi / 7 + g.uniform(-0.2, 0.2)
            d = r * (0.42 if k else 0.0) + g.uniform(-0.05, 0.05) * r
            x, y = d * math.cos(a), d * math.sin(a)
            skin = mix(hex_rgb("#F8EEDC"), hex_rgb("#EBD7B6"), g.random())
            p.poly(blob_pts(g, x, y, r * 0.2, 0.22), alpha(dark(skin, 0.1), 200))
            p.poly(blob_pts(g, x - r * 0.02, y - r * 0.02, r * 0.17, 0.18), skin)
            p.circle(x + r * 0.03, y + r * 0.02, r * 0.08, alpha(hex_rgb("#E2B6A0"), 160))  # the filling
            p.arc(x, y, r * 0.11, r * 0.07, 200, 330, alpha(WHITE, 170), r * 0.02)
        for _k in range(28):
            a, d = g.uniform(0, 2 * math.pi), r * 0.75 * math.sqrt(g.random())
            with p.at(d * math.cos(a), d * math.sin(a), g.uniform(0, 180)):
                p.ellipse(0, 0, r * 0.02, r * 0.01, SESAME)
        for _k in range(14):
            a, d = g.uniform(0, 2 * math.pi), r * 0.7 * math.sqrt(g.random())
            p.ring(d * math.cos(a), d * math.sin(a), r * 0.025, SCALLION, r * 0.012)
        p.arc(0, 0, r * 0.97, r * 0.97, 200, 250, alpha(WHITE, 150), r * 0.03)

    return draw


def scene_wontons(c: Canvas, pal: Palette) -> None:
    """A bowl of wontons in chilli oil with a side of pickles, chopsticks and a spoon."""
    rng = c.rng
    tabletop(c, pal)
    u, w, h = c.u, c.w, c.h
    cx, cy = w * rng.uniform(0.42, 0.58), h * rng.uniform(0.42, 0.55)
    items: list[Placed] = [
        (wonton_bowl(rng, 30 * u, rng.choice(CERAMICS)), cx, cy, rng.uniform(0, 360), 1),
        (side_plate(rng, 11 * u, "kimchi"), cx - 30 * u, cy - 36 * u, 0, 1),
        (
            chopsticks(60 * u, rng.choice([hex_rgb("#3B2A20"), hex_rgb("#C79A66")])),
            cx + 36 * u,
            cy + 6 * u,
            72,
            1,
        ),
        (spoon(24 * u, rng.choice(GLAZES)), cx - 26 * u, cy + 40 * u, rng.uniform(-30, 10), 1),
        (plate(9 * u, rng.choice(CERAMICS)), cx + 30 * u, cy - 40 * u, 0, 1),
    ]
    flatlay(c, items)
