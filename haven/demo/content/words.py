"""Places and the words that fill {slots} in note templates; which values show which picture."""

from __future__ import annotations

import random
import re

#: (zh, en) city or neighbourhood names, used in titles, bodies and locations.
CITIES: tuple[tuple[str, str], ...] = (
    ("上海", "Shanghai"),
    ("成都", "Chengdu"),
    ("杭州", "Hangzhou"),
    ("北京", "Beijing"),
    ("大理", "Dali"),
    ("厦门", "Xiamen"),
    ("重庆", "Chongqing"),
    ("广州", "Guangzhou"),
    ("深圳", "Shenzhen"),
    ("西安", "Xi'an"),
    ("苏州", "Suzhou"),
    ("长沙", "Changsha"),
)
#: Neighbourhoods of each city in CITIES (same order): (zh, en) pairs, for {spot} and note locations.
SPOTS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("武康路", "Wukang Road"), ("安福路", "Anfu Road"), ("外滩", "the Bund")),
    (("太古里", "Taikoo Li"), ("宽窄巷子", "Kuanzhai Alley"), ("玉林路", "Yulin Road")),
    (("西湖边", "West Lake"), ("龙井村", "Longjing Village"), ("小河直街", "Xiaohe Street")),
    (("三里屯", "Sanlitun"), ("五道营胡同", "Wudaoying Hutong"), ("798", "798 Art District")),
    (("洱海边", "Erhai"), ("大理古城", "Dali Old Town"), ("喜洲", "Xizhou")),
    (("鼓浪屿", "Gulangyu"), ("沙坡尾", "Shapowei"), ("曾厝垵", "Zengcuo'an")),
    (("解放碑", "Jiefangbei"), ("洪崖洞", "Hongyadong"), ("鹅岭二厂", "Eling Park")),
    (("东山口", "Dongshankou"), ("沙面", "Shamian"), ("永庆坊", "Yongqingfang")),
    (("南头古城", "Nantou Old Town"), ("华侨城", "OCT"), ("蛇口", "Shekou")),
    (("回民街", "the Muslim Quarter"), ("大雁塔", "Big Wild Goose Pagoda"), ("城墙", "the City Wall")),
    (("平江路", "Pingjiang Road"), ("山塘街", "Shantang Street"), ("金鸡湖", "Jinji Lake")),
    (("五一广场", "Wuyi Square"), ("橘子洲", "Orange Isle"), ("太平老街", "Taiping Street")),
)

#: Values for {slot}s in the templates below, per language. {n}, {price}, {day}, {km} are numbers.

#: Slots whose value decides what a note's picture shows: slot -> ((value, picture subject), ...) per
#: language. A title whose picture is "{dish}" shows the subject of the dish that filled it.
PICTURED: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "zh": {
        "dish": (
            ("红油抄手", "wontons"),
            ("抄手", "wontons"),
            ("小笼包", "dumplings"),
            ("蟹粉小笼", "dumplings"),
            ("牛肉面", "noodles"),
            ("兰州拉面", "noodles"),
            ("重庆小面", "noodles"),
            ("煲仔饭", "claypot_rice"),
            ("腊味煲仔饭", "claypot_rice"),
            ("火锅", "hotpot"),
            ("鸳鸯锅", "hotpot"),
        ),
        "drink": (
            ("桂花拿铁", "latte"),
            ("燕麦拿铁", "latte"),
            ("冰美式", "iced_coffee"),
            ("生椰拿铁", "iced_coffee"),
            ("冰拿铁", "iced_coffee"),
            ("抹茶拿铁", "matcha_latte"),
            ("珍珠奶茶", "bubble_tea"),
            ("黑糖珍珠奶茶", "bubble_tea"),
        ),
        "place": (
            ("洱海", "mountains"),
            ("西湖", "mountains"),
            ("稻城亚丁", "mountains"),
            ("张家界", "mountains"),
            ("阳朔", "mountains"),
            ("喀纳斯", "mountains"),
            ("黄山", "mountains"),
            ("鼓浪屿", "seaside"),
            ("三亚", "seaside"),
            ("涠洲岛", "seaside"),
            ("外滩", "city"),
        ),
        "pet": (("猫", "cat"), ("小猫咪", "cat"), ("橘猫", "cat"), ("狗子", "dog"), ("柯基", "dog")),
        "pet_name": (
            ("年糕", "cat"),
            ("汤圆", "cat"),
            ("奶盖", "cat"),
            ("豆包", "dog"),
            ("可乐", "dog"),
            ("煤球", "dog"),
        ),
        "craft": (("钩针", "knitting"), ("编织", "knitting"), ("陶艺", "pottery"), ("刺绣", "embroidery")),
    },
    "en": {
        "dish": (
            ("spicy wontons", "wontons"),
            ("wontons in chilli oil", "wontons"),
            ("soup dumplings", "dumplings"),
            ("xiaolongbao", "dumplings"),
            ("beef noodle soup", "noodles"),
            ("hand-pulled noodles", "noodles"),
            ("claypot rice", "claypot_rice"),
            ("hotpot", "hotpot"),
        ),
        "drink": (
            ("oat latte", "latte"),
            ("osmanthus latte", "latte"),
            ("flat white", "latte"),
            ("iced americano", "iced_coffee"),
            ("iced coconut latte", "iced_coffee"),
            ("matcha latte", "matcha_latte"),
            ("bubble tea", "bubble_tea"),
            ("brown sugar boba", "bubble_tea"),
        ),
        "place": (
            ("Erhai Lake", "mountains"),
            ("West Lake", "mountains"),
            ("Yangshuo", "mountains"),
            ("Huangshan", "mountains"),
            ("Zhangjiajie", "mountains"),
            ("Daocheng Yading", "mountains"),
            ("Gulangyu", "seaside"),
            ("Sanya", "seaside"),
            ("Weizhou Island", "seaside"),
            ("the Bund", "city"),
        ),
        "pet": (("cat", "cat"), ("kitten", "cat"), ("orange cat", "cat"), ("pup", "dog"), ("corgi", "dog")),
        "pet_name": (
            ("Mochi", "cat"),
            ("Tofu", "cat"),
            ("Bao", "cat"),
            ("Biscuit", "dog"),
            ("Pepper", "dog"),
            ("Noodle", "dog"),
        ),
        "craft": (
            ("crochet", "knitting"),
            ("knitting", "knitting"),
            ("pottery", "pottery"),
            ("embroidery", "embroidery"),
        ),
    },
}

#: Values for {slot}s in the templates, per language. {n}, {price}, {day}, {km} are numbers.
SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "city": tuple(zh for zh, _en in CITIES),
        "spot": tuple(zh for spots in SPOTS for zh, _en in spots),
        **{slot: tuple(value for value, _subject in pairs) for slot, pairs in PICTURED["zh"].items()},
        "item": ("针织开衫", "阔腿裤", "百褶裙", "白衬衫", "牛仔外套", "乐福鞋", "德训鞋", "风衣"),
        "color": ("奶油白", "燕麦色", "雾霾蓝", "焦糖色", "橄榄绿", "酒红色"),
        "product": ("防晒", "修护精华", "洁面", "面霜", "水乳", "身体乳", "唇膏"),
        "skin": ("干皮", "油皮", "混油皮", "敏感肌"),
        "room": ("客厅", "卧室", "阳台", "窗边"),
        "plant": ("龟背竹", "虎皮兰", "镜面草", "绿萝", "琴叶榕"),
        "move": ("深蹲", "硬拉", "平板支撑", "臀桥", "开合跳"),
        "skill": ("雅思口语", "英语听力", "日语五十音", "英文日记", "商务英语"),
        "camera": ("富士X100V", "理光GR3", "胶片机", "手机", "CCD相机"),
        "film": ("Portra 400", "柯达金200", "Cinestill 800T"),
    },
    "en": {
        "city": tuple(en for _zh, en in CITIES),
        "spot": tuple(en for spots in SPOTS for _zh, en in spots),
        **{slot: tuple(value for value, _subject in pairs) for slot, pairs in PICTURED["en"].items()},
        "item": (
            "knit cardigan",
            "wide-leg trousers",
            "pleated skirt",
            "white shirt",
            "denim jacket",
            "loafers",
            "trench coat",
        ),
        "color": ("cream", "oatmeal", "dusty blue", "caramel", "olive", "burgundy"),
        "product": ("sunscreen", "barrier serum", "cleanser", "moisturiser", "toner", "lip balm"),
        "skin": ("dry skin", "oily skin", "combination skin", "sensitive skin"),
        "room": ("living room", "bedroom", "balcony", "reading nook"),
        "plant": ("monstera", "snake plant", "pilea", "pothos", "fiddle leaf fig"),
        "move": ("squats", "deadlifts", "planks", "hip thrusts", "burpees"),
        "skill": ("HSK 2", "HSK 3", "HSK 4", "tones", "character writing"),
        "word": ("加油", "好吃", "随便", "没关系", "太卷了", "绝绝子", "打卡", "种草", "社恐", "干饭"),
        "camera": (
            "Fuji X100V",
            "Ricoh GR III",
            "an old Canon AE-1",
            "my phone",
            "a thrifted point-and-shoot",
        ),
        "film": ("Portra 400", "Kodak Gold 200", "Cinestill 800T"),
    },
}


def picture_of(slot: str, value: str, lang: str) -> str | None:
    """The picture subject a slot value shows ("煲仔饭" -> "claypot_rice"), or None."""
    return dict(PICTURED[lang].get(slot, ())).get(value)


_SLOT_RE = re.compile(r"\{(\w+)\}")
_NUMBERS = {
    "n": (2, 3, 3, 4, 5, 6, 8, 10, 12),
    "price": (25, 38, 45, 58, 68, 88, 99, 128, 168, 199),
    "day": tuple(range(3, 121)),
    "km": (3, 5, 5, 6, 8, 10, 12, 21),
}
TITLE_MAX = 100
COMMENT_MAX = 1000


def fill(
    template: str,
    lang: str,
    rng: random.Random,
    fixed: dict[str, str] | None = None,
    *,
    picture: str | None = None,
) -> str:
    """Replace every {slot} with a random value for `lang` (or the `fixed` one); unknown slots are kept.

    With a `picture`, a pictured slot takes only values that show that picture, where it has any
    (a note showing a cat talks about a cat, not a corgi).
    """

    taken: set[str] = set()  # "{color} + {color}" names two different colours

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if fixed and name in fixed:
            return fixed[name]
        if name in _NUMBERS:
            return str(rng.choice(_NUMBERS[name]))
        values = SLOTS[lang].get(name) or SLOTS["en"].get(name)
        if not values:
            return match.group(0)
        if picture is not None and name in PICTURED[lang]:
            values = tuple(v for v in values if picture_of(name, v, lang) == picture) or values
        value = rng.choice([v for v in values if v not in taken] or list(values))
        taken.add(value)
        return value

    return _SLOT_RE.sub(sub, template)
