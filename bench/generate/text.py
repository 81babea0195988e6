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


# Topics: (key, English hashtag, Chinese hashtag, English words, Chinese words). Each note has one main
# topic; the two language communities tag the same topic with their own hashtag (coffee / 咖啡), and
# some notes carry both. Order is popularity order (the generator draws topics with Zipf weights).
TOPICS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "food",
        "food",
        "美食",
        ("noodles", "dumplings", "hotpot", "ramen", "street", "food"),
        ("面条", "饺子", "火锅", "小吃", "美食"),
    ),
    (
        "outfit",
        "outfit",
        "穿搭",
        ("outfit", "linen", "cotton", "layers", "sneakers", "coat"),
        ("穿搭", "棉麻", "外套", "通勤", "显瘦"),
    ),
    (
        "travel",
        "travel",
        "旅行",
        ("trip", "ferry", "island", "itinerary", "hostel", "train"),
        ("旅行", "攻略", "小岛", "高铁", "民宿"),
    ),
    (
        "skincare",
        "skincare",
        "护肤",
        ("skincare", "routine", "serum", "sunscreen", "moisturiser"),
        ("护肤", "精华", "防晒", "面霜", "敏感肌"),
    ),
    (
        "coffee",
        "coffee",
        "咖啡",
        ("coffee", "latte", "espresso", "beans", "cafe", "pour-over"),
        ("咖啡", "拿铁", "手冲", "咖啡豆", "探店"),
    ),
    (
        "home",
        "home",
        "家居",
        ("apartment", "cozy", "desk", "setup", "minimal", "lamp"),
        ("租房", "改造", "极简", "书桌", "家居"),
    ),
    (
        "baking",
        "baking",
        "烘焙",
        ("sourdough", "bakery", "oven", "croissant", "bread"),
        ("烘焙", "面包", "蛋糕", "烤箱", "酸面包"),
    ),
    (
        "citywalk",
        "citywalk",
        "城市漫步",
        ("walk", "city", "street", "alley", "night"),
        ("城市", "漫步", "夜景", "老街", "胡同"),
    ),
    (
        "pets",
        "pets",
        "萌宠",
        ("cat", "dog", "puppy", "kitten", "walkies"),
        ("猫咪", "狗狗", "萌宠", "铲屎官", "遛狗"),
    ),
    (
        "fitness",
        "fitness",
        "健身",
        ("gym", "workout", "squat", "protein", "stretch"),
        ("健身", "撸铁", "减脂", "拉伸", "打卡"),
    ),
    (
        "books",
        "books",
        "读书",
        ("reading", "bookshop", "novel", "library", "chapter"),
        ("阅读", "书店", "小说", "读书", "书单"),
    ),
    (
        "film",
        "film",
        "胶片",
        ("film", "camera", "photo", "grain", "roll"),
        ("胶片", "相机", "扫描", "颗粒", "冲洗"),
    ),
    (
        "plants",
        "plants",
        "植物",
        ("plants", "balcony", "garden", "monstera", "pot"),
        ("绿植", "阳台", "花园", "多肉", "浇水"),
    ),
    (
        "hiking",
        "hiking",
        "徒步",
        ("hiking", "trail", "summit", "boots", "ridge"),
        ("徒步", "爬山", "山顶", "露营", "步道"),
    ),
    (
        "running",
        "running",
        "跑步",
        ("run", "pace", "marathon", "track", "shoes"),
        ("跑步", "配速", "马拉松", "跑鞋", "晨跑"),
    ),
    (
        "yoga",
        "yoga",
        "瑜伽",
        ("yoga", "mat", "breath", "flow", "balance"),
        ("瑜伽", "冥想", "呼吸", "体式", "放松"),
    ),
    (
        "museum",
        "museum",
        "看展",
        ("museum", "gallery", "exhibition", "art", "sculpture"),
        ("博物馆", "展览", "看展", "艺术", "美术馆"),
    ),
    (
        "stationery",
        "stationery",
        "手帐",
        ("journal", "stationery", "ink", "pen", "notebook"),
        ("手帐", "文具", "钢笔", "墨水", "本子"),
    ),
    (
        "vintage",
        "vintage",
        "复古",
        ("vintage", "thrift", "retro", "market", "secondhand"),
        ("复古", "二手", "中古", "古着", "淘货"),
    ),
    (
        "pottery",
        "pottery",
        "陶艺",
        ("pottery", "clay", "wheel", "glaze", "workshop"),
        ("陶艺", "拉坯", "釉色", "手作", "工作室"),
    ),
]
# Tags that say nothing about the topic, added to some notes (noise a ranker must not overfit).
GENERIC_TAGS = {"en": ("weekend", "daily", "budget"), "zh": ("周末", "日常", "省钱")}


def all_tags() -> list[str]:
    """Every hashtag the generator writes, in id order: topic tags (English, Chinese), then generic ones."""
    tags = [tag for _k, en, zh, _w, _z in TOPICS for tag in (en, zh)]
    return tags + [t for lang in ("en", "zh") for t in GENERIC_TAGS[lang]]


def _topic_sentence(rng: random.Random, language: str, topic_words: tuple[str, ...]) -> str:
    if language == "zh":
        k = rng.randint(5, 12)
        parts = [
            rng.choice(topic_words) if rng.random() < 0.35 else rng.choice(ZH_PHRASES) for _i in range(k)
        ]
        return "".join(parts) + "。"
    k = rng.randint(6, 14)
    words = [rng.choice(topic_words) if rng.random() < 0.3 else rng.choice(EN_WORDS) for _i in range(k)]
    return " ".join(words).capitalize() + "."


def topic_note_pool(rng: random.Random, per: int) -> list[list[tuple[str, str, str, str]]]:
    """`per` (language, title, body, body_html) variants for each (topic, language), hashtags not included;
    the list is indexed by topic * 2 + (0 English, 1 Chinese)."""
    pools = []
    for _key, _en, _zh, en_words, zh_words in TOPICS:
        for language in ("en", "zh"):
            words = zh_words if language == "zh" else en_words
            general = ZH_PHRASES if language == "zh" else EN_WORDS
            template_pool = ZH_TITLES if language == "zh" else EN_TITLES
            variants = []
            for _i in range(per):
                title = rng.choice(template_pool).format(a=rng.choice(words), b=rng.choice(general))[:100]
                sep = "" if language == "zh" else " "
                body = sep.join(_topic_sentence(rng, language, words) for _s in range(rng.randint(2, 6)))
                variants.append((language, title, body, f"<p>{html.escape(body)}</p>"))
            pools.append(variants)
    return pools


def with_tags(body: str, body_html: str, tags: list[str]) -> tuple[str, str]:
    """A note's body and rendered body with a last paragraph of hashtags (as the composer links them)."""
    if not tags:
        return body, body_html
    links = " ".join(f'<a href="/feeds/topics/{html.escape(t)}/">#{html.escape(t)}</a>' for t in tags)
    return f"{body}\n\n{' '.join('#' + t for t in tags)}", f"{body_html}<p>{links}</p>"


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
