"""Home and plants notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("出租屋改造｜{n}天把{room}变成喜欢的样子", "plants"),
            ("{room}一角🪴", "plants"),
            ("租房党也能拥有的治愈小家", "plants"),
            ("阳台小花园又长大了🌿", "plants"),
            ("{plant}养了一年的变化", "plants"),
            ("周末大扫除后的家，太舒服了", "plants"),
            ("低成本改造{room}，只花了{price}0元", "plants"),
        ),
        lines=(
            "🪴绿植：{plant}、绿萝、小多肉",
            "💡灯光换成暖光，氛围感立刻就有了",
            "窗帘换了亚麻的，光线好温柔",
            "{plant}一周浇一次水就够",
            "书架是二手平台{price}收的",
            "东西少了以后，整个人都轻松了",
            "早上的阳光照进来的时候最喜欢",
            "收纳的秘诀：每样东西都有它的位置",
        ),
        tags=(
            "家居",
            "出租屋改造",
            "绿植",
            "治愈系",
            "生活方式",
            "我的小家",
        ),
        comments=(
            "好治愈的小家",
            "窗帘是哪里买的？",
            "绿植养得好好",
            "想住进去",
            "这个光线太舒服了",
        ),
    ),
    "en": Bank(
        titles=(
            ("Rental makeover: my {room} 🪴", "plants"),
            ("Plant update: the {plant} is thriving", "plants"),
            ("A green corner by the window", "plants"),
            ("Our first apartment in {city}", "plants"),
            ("Before & after: {room} for under ¥{price}0", "plants"),
            ("Sunday reset 🧺", "plants"),
            ("Window sill jungle 🌿", "plants"),
        ),
        lines=(
            "🪴 Plants: {plant}, pothos and a tiny cactus",
            "💡 Warm bulbs changed everything",
            "The curtains are from a fabric market, ¥{price}",
            "Water the {plant} about once a week",
            "Found the shelf secondhand on Xianyu (闲鱼) 🙌",
            "Morning light here is the best part of the day",
            "Everything has a place now and I feel calmer",
        ),
        tags=(
            "homedecor",
            "plantlover",
            "rentalmakeover",
            "cosyhome",
            "家居",
        ),
        comments=(
            "So cosy!",
            "Love the plants 🌿",
            "Where's the shelf from?",
            "Goals",
            "This light 😍",
        ),
    ),
}
