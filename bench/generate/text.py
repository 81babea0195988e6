"""Bilingual (English / Simplified Chinese) text pools for generated members, notes and comments."""

from __future__ import annotations

import html
import random

EN_WORDS = [
    "coffee",
    "morning",
    "light",
    "weekend",
    "trip",
    "market",
    "bakery",
    "sourdough",
    "matcha",
    "latte",
    "garden",
    "balcony",
    "plants",
    "hiking",
    "trail",
    "sunset",
    "beach",
    "ferry",
    "island",
    "noodles",
    "dumplings",
    "hotpot",
    "ramen",
    "street",
    "food",
    "recipe",
    "kitchen",
    "cozy",
    "apartment",
    "minimal",
    "desk",
    "setup",
    "skincare",
    "routine",
    "outfit",
    "vintage",
    "thrift",
    "linen",
    "cotton",
    "film",
    "camera",
    "photo",
    "walk",
    "city",
    "night",
    "rain",
    "autumn",
    "leaves",
    "spring",
    "blossom",
    "museum",
    "gallery",
    "bookshop",
    "reading",
    "notes",
    "journal",
    "stationery",
    "ink",
    "pottery",
    "workshop",
    "yoga",
    "run",
    "cycling",
    "swim",
    "budget",
    "tips",
    "guide",
    "honest",
    "review",
    "favourite",
    "hidden",
    "gem",
    "local",
    "quiet",
    "crowded",
    "worth",
    "it",
    "again",
    "soon",
]
ZH_PHRASES = [
    "周末",
    "咖啡",
    "早餐",
    "探店",
    "旅行",
    "攻略",
    "日落",
    "海边",
    "小岛",
    "面条",
    "饺子",
    "火锅",
    "拉面",
    "小吃",
    "食谱",
    "厨房",
    "租房",
    "改造",
    "极简",
    "书桌",
    "护肤",
    "穿搭",
    "复古",
    "二手",
    "棉麻",
    "胶片",
    "相机",
    "城市",
    "夜景",
    "下雨",
    "秋天",
    "落叶",
    "春天",
    "樱花",
    "博物馆",
    "展览",
    "书店",
    "阅读",
    "手帐",
    "文具",
    "陶艺",
    "瑜伽",
    "跑步",
    "骑行",
    "游泳",
    "省钱",
    "干货",
    "测评",
    "宝藏",
    "小众",
    "安静",
    "人多",
    "值得",
    "再来",
    "推荐",
    "分享",
    "日常",
    "好物",
    "记录",
]
EN_TITLES = (
    "My {a} {b} guide",
    "A quiet {a} weekend",
    "{a} and {b}: honest review",
    "Hidden {a} gem in town",
    "Trying {a} for the first time",
    "{a} {b} notes",
)
ZH_TITLES = ("{a}{b}攻略", "超级{a}的{b}", "{a}｜{b}分享", "第一次{a}", "{a}和{b}的日常", "宝藏{a}推荐")
TAGS = [
    "coffee",
    "travel",
    "food",
    "recipe",
    "outfit",
    "skincare",
    "home",
    "plants",
    "books",
    "film",
    "hiking",
    "citywalk",
    "yoga",
    "running",
    "pottery",
    "stationery",
    "museum",
    "weekend",
    "budget",
    "vintage",
    "咖啡",
    "旅行",
    "美食",
    "穿搭",
    "护肤",
    "家居",
    "读书",
    "胶片",
    "徒步",
    "城市漫步",
]
EN_NAMES = [
    "Alex",
    "Sam",
    "Jamie",
    "Taylor",
    "Jordan",
    "Casey",
    "Riley",
    "Morgan",
    "Avery",
    "Quinn",
    "Rowan",
    "Sage",
    "Robin",
    "Drew",
]
ZH_NAMES = [
    "小林",
    "阿杰",
    "晓雨",
    "子涵",
    "一诺",
    "思远",
    "可可",
    "安安",
    "明明",
    "乐乐",
    "小鹿",
    "星星",
    "木木",
    "糖糖",
]


def _en_body(rng: random.Random) -> str:
    sentences = []
    for _i in range(rng.randint(2, 6)):
        words = rng.choices(EN_WORDS, k=rng.randint(6, 14))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _zh_body(rng: random.Random) -> str:
    sentences = []
    for _i in range(rng.randint(2, 6)):
        sentences.append("".join(rng.choices(ZH_PHRASES, k=rng.randint(5, 12))) + "。")
    return "".join(sentences)


def note_pool(rng: random.Random, size: int) -> list[tuple[str, str, str, str, int]]:
    """`size` distinct (language, title, body, body_html, tag index or -1) variants, half of them tagged."""
    variants = []
    for i in range(size):
        language = "zh" if i % 9 in (1, 3, 5, 7) else "en"  # ~45 % Chinese
        words = ZH_PHRASES if language == "zh" else EN_WORDS
        template = rng.choice(ZH_TITLES if language == "zh" else EN_TITLES)
        title = template.format(a=rng.choice(words), b=rng.choice(words))[:100]
        body = _zh_body(rng) if language == "zh" else _en_body(rng)
        tag = rng.randrange(len(TAGS)) if rng.random() < 0.5 else -1
        paragraphs = [body]
        if tag >= 0:
            paragraphs.append(f"#{TAGS[tag]}")
        text = "\n\n".join(paragraphs)
        rendered = "".join(
            f"<p>{html.escape(p)}</p>"
            if not p.startswith("#")
            else f'<p><a href="/feeds/topics/{html.escape(p[1:])}/">{html.escape(p)}</a></p>'
            for p in paragraphs
        )
        variants.append((language, title, text, rendered, tag))
    return variants


def comment_pool(rng: random.Random, size: int) -> list[tuple[str, str, str]]:
    """`size` (language, body, body_html) comment variants."""
    out = []
    for i in range(size):
        if i % 2:
            body = "".join(rng.choices(ZH_PHRASES, k=rng.randint(2, 8))) + rng.choice(("！", "～", "。"))
            language = "zh"
        else:
            body = " ".join(rng.choices(EN_WORDS, k=rng.randint(3, 12))).capitalize() + rng.choice("!.?")
            language = "en"
        out.append((language, body, f"<p>{html.escape(body)}</p>"))
    return out


def display_name(rng: random.Random, member_id: int) -> tuple[str, list[str], str]:
    """(display name, languages spoken, interface language) of a member."""
    roll = member_id % 10
    if roll < 4:
        return f"{rng.choice(ZH_NAMES)}{member_id % 100}", ["zh"], "zh-hans"
    if roll < 6:
        return f"{rng.choice(EN_NAMES)} {rng.choice(ZH_NAMES)}", ["en", "zh"], "en"
    return f"{rng.choice(EN_NAMES)} {member_id % 1000}", ["en"], "en"
