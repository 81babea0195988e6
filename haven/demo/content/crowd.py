"""Members generated beyond the hand-written ones (medium and large communities)."""

from __future__ import annotations

import random

from haven.demo.content.base import TOPICS, Persona
from haven.demo.content.words import CITIES

# Building blocks for members beyond the hand-written ones (medium and large communities).
_ZH_NICK_HEAD = ("小", "阿", "大", "一只", "今天也要", "爱吃", "住在", "会飞的")
_ZH_NICK_BODY = (
    "鹿",
    "鱼",
    "桃子",
    "橙子",
    "米粒",
    "团子",
    "饭团",
    "柚子",
    "芒果",
    "豆豆",
    "栗子",
    "云朵",
    "月亮",
    "星星",
    "喵",
    "汤圆",
    "可乐",
    "布丁",
    "年年",
    "西瓜",
)
_ZH_NICK_TAIL = ("", "酱", "的日常", "不加糖", "在路上", "的小屋", "日记", "呀", "🌷", "✨")
_PINYIN = (
    "xiao",
    "lu",
    "tao",
    "mi",
    "yu",
    "chen",
    "lin",
    "wan",
    "an",
    "le",
    "qi",
    "yue",
    "xin",
    "yi",
    "nan",
    "bei",
    "ran",
    "duo",
    "mo",
    "tang",
    "li",
    "zhou",
    "su",
    "ning",
)
_HANDLE_TAIL = ("daily", "life", "ootd", "eats", "trip", "home", "notes", "cn", "vlog", "diary")
_EN_FIRST = (
    "Ella",
    "Lucas",
    "Grace",
    "Oscar",
    "Chloe",
    "Ethan",
    "Isla",
    "Mateo",
    "Nora",
    "Felix",
    "Maya",
    "Theo",
    "Ivy",
    "Jonah",
    "Ruby",
    "Kai",
    "Zara",
    "Owen",
    "Lena",
    "Marco",
    "Priya",
    "Yusuf",
    "Clara",
    "Diego",
    "Freya",
    "Hugo",
    "Amara",
    "Ben",
)
_EN_LAST = ("K.", "Silva", "Brooks", "Novak", "Rossi", "Ahmed", "Kim", "Tanaka", "Dubois", "Walsh", "Patel")
_EN_CN_NAME = ("小艾", "乐乐", "米米", "小雨", "可可", "阿乐", "多多", "小白")
_OTHER_LANGS = ("es", "fr", "de", "ja", "ko", "pt", "it", "vi")
_REGIONS_EN = ("US", "GB", "AU", "CA", "DE", "FR", "ES", "NZ", "IE", "SG")
_TOPIC_WORD = {
    "zh": {
        "food": "探店",
        "cafe": "咖啡",
        "travel": "旅行",
        "outfit": "穿搭",
        "skincare": "护肤",
        "home": "家居",
        "pets": "吸猫撸狗",
        "fitness": "健身",
        "study": "学英语",
        "photography": "拍照",
        "crafts": "手作",
    },
    "en": {
        "food": "street food",
        "cafe": "coffee",
        "travel": "slow travel",
        "outfit": "thrifting",
        "skincare": "skincare",
        "home": "cosy homes",
        "pets": "cats & dogs",
        "fitness": "running",
        "study": "learning Chinese",
        "photography": "film photos",
        "crafts": "knitting",
    },
}


def generated_persona(rng: random.Random, index: int) -> Persona:
    """A plausible extra member (beyond PERSONAS); `index` keeps usernames unique."""
    topics = tuple(rng.sample(TOPICS, rng.randint(2, 3)))
    lang = rng.choices(("zh", "en", "both"), weights=(45, 40, 15))[0]
    city_zh, city_en = rng.choice(CITIES)
    private = rng.random() < 0.08
    if lang == "zh":
        name = rng.choice(_ZH_NICK_HEAD) + rng.choice(_ZH_NICK_BODY) + rng.choice(_ZH_NICK_TAIL)
        handle = f"{rng.choice(_PINYIN)}{rng.choice(_PINYIN)}_{rng.choice(_HANDLE_TAIL)}{index}"
        words = "｜".join(_TOPIC_WORD["zh"][t] for t in topics)
        tagline = rng.choice(("记录生活的小美好", "慢慢来，比较快", "欢迎交朋友～", "想练英语口语"))
        bio = f"{city_zh}｜{words}\n{tagline}"
        languages = ("zh", "en") if rng.random() < 0.4 else ("zh",)
        region = "CN"
    else:
        first = rng.choice(_EN_FIRST)
        name = f"{first} {rng.choice(_EN_LAST)}"
        if lang == "both" or rng.random() < 0.3:
            name = f"{first} {rng.choice(_EN_CN_NAME)}"
        handle = f"{first.lower()}_{rng.choice(_HANDLE_TAIL)}{index}"
        words = " & ".join(_TOPIC_WORD["en"][t] for t in topics)
        tagline = rng.choice(("new here 👋", "learning 中文 slowly", "say hi!", "中文学习中"))
        bio = f"{words} in {city_en}\n{tagline}"
        languages = ("en", "zh") if lang == "both" or rng.random() < 0.5 else ("en",)
        if rng.random() < 0.4:
            languages = (*languages, rng.choice(_OTHER_LANGS))
        region = rng.choice(_REGIONS_EN)
    return Persona(handle[:30], name[:50], lang, languages, region, bio, topics, private)
