"""Content banks for the demo community: members, note titles and bodies, comments, collections (zh + en)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

#: Topics a demo note can be about; the painter has one family of pictures for each.
TOPICS: tuple[str, ...] = (
    "food",
    "cafe",
    "travel",
    "outfit",
    "skincare",
    "home",
    "pets",
    "fitness",
    "study",
    "photography",
    "crafts",
)


@dataclass(frozen=True)
class Persona:
    """A demo member: `lang` is the language they mostly write in ("zh", "en", or "both")."""

    username: str
    display_name: str
    lang: str
    languages: tuple[str, ...]
    region: str
    bio: str
    topics: tuple[str, ...]
    private: bool = False
    interface_language: str = field(default="")

    @property
    def ui_language(self) -> str:
        return self.interface_language or ("zh-hans" if self.lang == "zh" else "en")


def _p(
    username: str,
    display_name: str,
    lang: str,
    languages: str,
    region: str,
    bio: str,
    topics: str,
    *,
    private: bool = False,
) -> Persona:
    return Persona(
        username, display_name, lang, tuple(languages.split()), region, bio, tuple(topics.split()), private
    )


#: The fixed demo login (a bilingual member with a full profile).
DEMO = _p(
    "demo",
    "Haven Demo 小海",
    "both",
    "en zh",
    "CN",
    "👋 This is the demo account, look around!\n演示账号，随便逛逛～ 🌊",
    "travel food cafe study",
)

#: Hand-written members: about half write in Chinese, half in English, some in both.
PERSONAS: tuple[Persona, ...] = (
    _p(
        "taozi_eats",
        "桃子爱吃饭🍑",
        "zh",
        "zh",
        "CN",
        "上海｜探店不踩雷🍜\n只分享真心喜欢的店，想练英语的可以私我～",
        "food cafe",
    ),
    _p(
        "mia_in_shanghai",
        "Mia 米娅",
        "en",
        "en zh",
        "US",
        "NYC → Shanghai 🏙️\nlearning 中文 one dumpling at a time 🥟",
        "food study travel",
    ),
    _p(
        "xiaolu_travels",
        "小鹿在路上",
        "zh",
        "zh en",
        "CN",
        "🌏 一年走了12座城｜摄影新手📷\n最近在学英语，欢迎语言交换",
        "travel photography",
    ),
    _p(
        "leo_wanders",
        "Leo Park",
        "en",
        "en ko zh",
        "KR",
        "Seoul-born, Chengdu-based 🌶️\nhotpot evangelist | film photos",
        "travel food photography",
    ),
    _p(
        "yiyi_bilingual",
        "Yiyi 依依",
        "both",
        "zh en",
        "CN",
        "中英双语｜带外国朋友逛中国 🇨🇳🤝🌍\nshowing friends around China",
        "travel study food",
    ),
    _p("mili_home", "米粒的小家", "zh", "zh", "CN", "40㎡出租屋改造中🪴\n租房也要好好生活", "home crafts"),
    _p(
        "sophie_knits",
        "Sophie ✿",
        "en",
        "en fr",
        "FR",
        "Knitting, slow mornings and far too many plants 🧶🪴",
        "crafts home",
    ),
    _p(
        "chengzi_ootd",
        "橙子今天穿什么",
        "zh",
        "zh",
        "CN",
        "158/45 小个子穿搭👗\n通勤 & 周末｜不定期分享好物",
        "outfit skincare",
    ),
    _p(
        "jake_lifts",
        "Jake Morgan",
        "en",
        "en",
        "US",
        "Ex-couch potato. Now I lift things 🏋️\nLearning Mandarin so I can talk to my gym bros",
        "fitness study",
    ),
    _p(
        "kevin_zhang",
        "Kevin 张凯",
        "both",
        "zh en",
        "CN",
        "程序员 / weekend baker 🍞\nEN ⇄ 中文 exchange anytime",
        "food study fitness",
    ),
    _p("ajie_fitness", "阿杰练起来", "zh", "zh", "CN", "健身第3年💪\n跑步｜力量｜减脂餐", "fitness food"),
    _p(
        "ana_eats",
        "Ana García",
        "en",
        "en es",
        "ES",
        "Food, markets & street snacks 🌮 → 🥟\nHSK 2 in progress",
        "food travel",
    ),
    _p("yuzi_skin", "柚子的护肤笔记", "zh", "zh", "CN", "敏感肌自救中🧴\n成分党｜真实测评", "skincare"),
    _p("emma_glow", "Emma Lee", "en", "en", "GB", "Skincare nerd, sunscreen evangelist ☀️", "skincare outfit"),
    _p(
        "niangao_cat",
        "一只橘猫叫年糕",
        "zh",
        "zh",
        "CN",
        "年糕🐱 3岁 橘猫 体重保密\n铲屎官的日常",
        "pets home",
    ),
    _p(
        "ollie_and_mochi",
        "Ollie & Mochi",
        "en",
        "en",
        "AU",
        "Mochi the cat runs this account 🐈\nI just hold the camera",
        "pets photography",
        private=True,
    ),
    _p(
        "ruby_yoga",
        "Ruby 如意",
        "both",
        "en zh",
        "SG",
        "Yoga teacher 🧘‍♀️ 瑜伽老师\nSingapore → Shenzhen",
        "fitness skincare",
    ),
    _p(
        "lin_xiaoman",
        "林小满",
        "zh",
        "zh en ja",
        "CN",
        "北京｜在读研究生📚\n雅思7.5 → 正在学日语",
        "study cafe",
    ),
    _p(
        "noah_studies",
        "Noah Chen",
        "en",
        "en zh",
        "CA",
        "ABC finally learning to read the 菜单 📖\nlanguage exchange welcome!",
        "study cafe",
    ),
    _p(
        "chen_shoots",
        "陈同学拍照中",
        "zh",
        "zh",
        "CN",
        "胶片 & 数码📷\n周末扫街 #citywalk",
        "photography travel",
    ),
    _p(
        "hannah_film",
        "Hannah Weiss",
        "en",
        "en de",
        "DE",
        "35mm · Berlin → Hangzhou\ntea > coffee 🍵",
        "photography travel cafe",
    ),
    _p(
        "max_and_mei",
        "Max & Mei 麦麦",
        "both",
        "en zh de",
        "CN",
        "跨国情侣日常💑\na Berliner & a Hangzhou girl 🥨🍵",
        "travel home cafe",
    ),
    _p(
        "zhangjie_kitchen",
        "张姐的家常菜",
        "zh",
        "zh",
        "CN",
        "每天一道家常菜🥢\n简单好做，上班族也能学会",
        "food home",
    ),
    _p(
        "sam_cooks",
        "Sam Okafor",
        "en",
        "en",
        "GB",
        "Home cook learning Sichuan food from my neighbour 阿姨 🌶️",
        "food home",
    ),
    _p("dali_yun", "大理的云", "zh", "zh", "CN", "住在洱海边的手作人🌿\n扎染｜陶艺｜慢生活", "crafts travel"),
    _p(
        "aiko_draws",
        "Aiko 爱子",
        "both",
        "ja zh en",
        "JP",
        "Tokyo → Shanghai ✏️\n手帐 & watercolour",
        "crafts study",
    ),
    _p(
        "coffee_nosugar",
        "咖啡不加糖☕️",
        "zh",
        "zh en",
        "CN",
        "城市咖啡地图｜已打卡200+家\n上海 杭州 成都",
        "cafe photography",
    ),
    _p(
        "lily_thrifts",
        "Lily Nguyen",
        "en",
        "en vi",
        "VN",
        "Thrifted fits & capsule wardrobes 👗\nShanghai vintage markets are elite",
        "outfit travel",
    ),
    _p(
        "wanwan_runs",
        "晚晚在跑步",
        "zh",
        "zh",
        "CN",
        "夜跑女孩🌙\n半马PB 1:52",
        "fitness outfit",
        private=True,
    ),
    _p("zoe_petmom", "Zoe 周周", "both", "zh en", "CN", "两猫一狗 🐾\nadopt, don't shop", "pets"),
    _p("xiaoyu_doubao", "小鱼和豆包", "zh", "zh", "CN", "柯基豆包🐶 一只会笑的小短腿", "pets travel"),
    _p(
        "daniel_eats_cn",
        "Daniel 丹尼",
        "both",
        "en zh",
        "US",
        "Eating my way across China 🎥\n吃遍中国计划 Day 214",
        "food travel",
    ),
)

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
SLOTS: dict[str, dict[str, tuple[str, ...]]] = {
    "zh": {
        "city": tuple(zh for zh, _en in CITIES),
        "spot": tuple(zh for spots in SPOTS for zh, _en in spots),
        "dish": (
            "红油抄手",
            "葱油拌面",
            "小笼包",
            "牛肉面",
            "麻辣香锅",
            "酸菜鱼",
            "生煎",
            "钵钵鸡",
            "肠粉",
            "煲仔饭",
            "糖醋排骨",
            "番茄牛腩",
            "火锅",
        ),
        "drink": (
            "桂花拿铁",
            "燕麦拿铁",
            "手冲耶加",
            "脏脏咖啡",
            "冰美式",
            "生椰拿铁",
            "抹茶拿铁",
            "橙C美式",
        ),
        "place": ("洱海", "西湖", "鼓浪屿", "外滩", "稻城亚丁", "张家界", "阳朔", "喀纳斯", "青海湖", "黄山"),
        "item": ("针织开衫", "阔腿裤", "百褶裙", "白衬衫", "牛仔外套", "乐福鞋", "德训鞋", "风衣"),
        "color": ("奶油白", "燕麦色", "雾霾蓝", "焦糖色", "橄榄绿", "酒红色"),
        "product": ("防晒", "修护精华", "洁面", "面霜", "水乳", "身体乳", "唇膏"),
        "skin": ("干皮", "油皮", "混油皮", "敏感肌"),
        "room": ("客厅", "卧室", "阳台", "书桌", "厨房", "玄关"),
        "plant": ("龟背竹", "虎皮兰", "镜面草", "绿萝", "琴叶榕"),
        "pet_name": ("年糕", "豆包", "汤圆", "可乐", "奶盖", "煤球"),
        "pet": ("猫", "小猫咪", "狗子", "柯基", "橘猫"),
        "move": ("深蹲", "硬拉", "平板支撑", "臀桥", "开合跳"),
        "skill": ("雅思口语", "英语听力", "日语五十音", "英文日记", "商务英语"),
        "camera": ("富士X100V", "理光GR3", "胶片机", "手机", "CCD相机"),
        "film": ("Portra 400", "柯达金200", "Cinestill 800T"),
        "craft": ("钩针", "扎染", "陶艺", "刺绣", "手帐", "编织"),
    },
    "en": {
        "city": tuple(en for _zh, en in CITIES),
        "spot": tuple(en for spots in SPOTS for _zh, en in spots),
        "dish": (
            "dan dan noodles",
            "soup dumplings",
            "spicy wontons",
            "beef noodle soup",
            "scallion pancakes",
            "hotpot",
            "jianbing",
            "cumin lamb skewers",
            "claypot rice",
            "mapo tofu",
            "sheng jian bao",
        ),
        "drink": (
            "oat latte",
            "osmanthus latte",
            "pour-over",
            "iced americano",
            "matcha latte",
            "coconut latte",
            "flat white",
            "orange americano",
        ),
        "place": (
            "Erhai Lake",
            "West Lake",
            "Gulangyu",
            "the Bund",
            "Yangshuo",
            "Huangshan",
            "Qinghai Lake",
            "Zhangjiajie",
            "Daocheng Yading",
        ),
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
        "room": ("living room", "bedroom", "balcony", "desk corner", "tiny kitchen", "entryway"),
        "plant": ("monstera", "snake plant", "pilea", "pothos", "fiddle leaf fig"),
        "pet_name": ("Mochi", "Biscuit", "Tofu", "Pepper", "Noodle", "Bao"),
        "pet": ("cat", "pup", "corgi", "orange cat", "kitten"),
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
        "craft": ("crochet", "tie-dye", "pottery", "embroidery", "journaling", "knitting"),
    },
}


@dataclass(frozen=True)
class Bank:
    """What one topic sounds like in one language."""

    titles: tuple[str, ...]
    lines: tuple[str, ...]
    tags: tuple[str, ...]
    comments: tuple[str, ...]
    alts: tuple[str, ...]


BANKS: dict[str, dict[str, Bank]] = {
    "food": {
        "zh": Bank(
            titles=(
                "{city}这家{dish}真的绝了！！",
                "在家复刻{dish}｜{n}0分钟搞定🥢",
                "排队{n}分钟也值得的{dish}",
                "人均{price}吃到撑｜{spot}宝藏小店",
                "一周减脂餐不重样🥗",
                "{dish}天花板，没有之一",
                "本地人才知道的{dish}",
                "周末在家做了一桌菜🍲",
                "被朋友安利的{dish}，没让我失望",
                "深夜食堂｜一碗{dish}治愈一切",
            ),
            lines=(
                "📍{spot}，地铁站出来走{n}分钟就到",
                "💰人均{price}左右，性价比很高",
                "⭐️必点：{dish}、小酥肉、冰粉",
                "汤底是真的香，一口下去直接幸福感爆棚",
                "老板人超好，还送了我们一碟小菜",
                "工作日中午去基本不用排队",
                "辣度可以选，怕辣的姐妹放心冲",
                "分量很足，两个人点三个菜就够了",
                "调料比例：生抽2勺、醋1勺、糖半勺",
                "面条是手擀的，特别有嚼劲",
                "吃完还想再来第二次😋",
                "环境一般但味道真的能打",
            ),
            tags=("美食", "探店", "家常菜", "吃货日常", "美食分享", "周末去哪儿", "一人食"),
            comments=(
                "看饿了😭",
                "人均多少呀？",
                "收藏了，下次去！",
                "这家我也去过，确实好吃",
                "求做法🙏",
                "是不是要提前预约？",
                "大半夜刷到这个，罪过",
            ),
            alts=("桌上的一碗面和几碟小菜", "早餐拼盘：吐司、煎蛋和牛油果", "一桌家常菜"),
        ),
        "en": Bank(
            titles=(
                "The best {dish} I've had in {city} 🤤",
                "Trying {dish} for the first time!!",
                "I made {dish} at home (it worked?!)",
                "{city} food diary, day {day} 🥢",
                "A market breakfast for under ¥{price}",
                "Hidden gem near {spot} 🍜",
                "Things I ate this week in {city}",
                "Ranking every {dish} spot I've tried",
                "Cooking with my 阿姨 neighbour 🌶️",
                "Street food crawl: {n} stops, zero regrets",
            ),
            lines=(
                "📍 Near {spot}, about {n} minutes from the metro",
                "💰 Around ¥{price} per person, so worth it",
                "Order the {dish}. Trust me.",
                "The owner saw me struggling with the menu and just brought us her favourites 🥹",
                "Spice level: I asked for 微辣 and still cried a little 🌶️",
                "Went on a weekday lunch, no queue at all",
                "Pointing at pictures on the menu works, by the way",
                "Portions are huge, come hungry",
                "I've been back three times this month already",
                "Learned a new word today: 打包 (takeaway) 🥡",
                "Still thinking about that chilli oil",
            ),
            tags=("foodie", "chinesefood", "streetfood", "foodinchina", "eatlocal", "美食"),
            comments=(
                "Adding this to my list!",
                "Need the recipe 🙏",
                "Is it very spicy?",
                "Omg I walk past there every day",
                "This looks incredible",
                "Going this weekend, thanks!!",
            ),
            alts=(
                "A bowl of noodles with side dishes on a table",
                "Breakfast plate with toast, egg and avocado",
                "Hotpot with plates of ingredients around it",
            ),
        ),
    },
    "cafe": {
        "zh": Bank(
            titles=(
                "{city}咖啡地图｜{spot}这家必须有姓名☕️",
                "今日份{drink}，好喝到跺脚",
                "藏在{spot}的小众咖啡店",
                "一个人的咖啡时光🤍",
                "这杯{drink}我能喝一百次",
                "周末去哪儿｜{spot}咖啡店打卡",
                "在咖啡店学习的一天📖",
                "出片率超高的咖啡店📷",
                "入秋第一杯{drink}🍂",
            ),
            lines=(
                "📍{spot}附近，门口有一棵大树很好认",
                "☕️推荐：{drink}、可颂",
                "💰一杯{price}左右",
                "靠窗的位置阳光超好，适合发呆",
                "店里有只猫，会过来蹭你🐱",
                "豆子可以选，老板会很耐心地介绍",
                "插座多，适合带电脑办公",
                "周末人有点多，建议早点去",
                "可颂是现烤的，外酥里软",
                "拉花也太好看了吧",
                "店里放的歌都好好听",
            ),
            tags=("咖啡", "咖啡探店", "citywalk", "周末去哪儿", "拿铁", "咖啡店"),
            comments=(
                "好好看的拉花😍",
                "是哪家店呀？",
                "已经想去了",
                "周末冲！",
                "这个光线绝了",
                "好适合去学习",
            ),
            alts=("桌上的一杯拿铁和可颂", "窗边的咖啡和小蛋糕", "一杯拉花咖啡"),
        ),
        "en": Bank(
            titles=(
                "My favourite café in {city} (so far) ☕️",
                "This {drink} changed my life",
                "Laptop-friendly cafés near {spot}",
                "Slow morning, {drink}, good book 🤍",
                "Café hopping in {city}: part {n}",
                "Ordered in Chinese for the first time!!",
                "The prettiest latte art in {city}",
                "Rainy day café hideout 🌧️",
            ),
            lines=(
                "📍 Tucked away near {spot}",
                "☕️ Get the {drink} and a croissant",
                "💰 About ¥{price} a cup",
                "The window seat gets the best light in the afternoon",
                "There's a resident cat and she is the boss 🐈",
                "Lots of sockets, good wifi, no one rushes you",
                "I practiced ordering: 一杯{drink}，谢谢！ and they understood 😭",
                "Busy on weekends, go early",
                "The barista drew a bear on my latte",
                "Staff speak a bit of English, menu is bilingual",
            ),
            tags=("coffee", "cafehopping", "latteart", "citywalk", "咖啡", "coffeetime"),
            comments=(
                "Need to go here",
                "That latte art 😍",
                "Which café is this?",
                "Perfect study spot!",
                "Adding to my coffee map ☕️",
            ),
            alts=(
                "A latte with heart-shaped foam and a croissant",
                "A cup of coffee by a sunny window",
                "Coffee and cake on a café table",
            ),
        ),
    },
    "travel": {
        "zh": Bank(
            titles=(
                "{place}｜一生一定要去一次的地方🌄",
                "{city}三天两晚攻略，照着玩就行",
                "{city}citywalk路线分享🚶‍♀️",
                "人少景美！{place}小众玩法",
                "日落时分的{place}，美到失语",
                "周末逃离城市计划｜{place}",
                "第一次一个人旅行，去了{city}",
                "{place}旅行vlog｜Day {n}",
                "住在{place}边上的三天",
            ),
            lines=(
                "📍路线：{spot} → {place} → 古镇夜市",
                "🚄高铁{n}小时就到，周末完全够用",
                "💰三天总花费{price}0左右",
                "🕐建议傍晚去，日落真的绝美",
                "住的民宿推开窗就是湖景",
                "早上六点起来看日出，冷但值得",
                "一路上遇到好多可爱的本地人",
                "记得带件外套，早晚温差大",
                "拍照机位：{spot}的台阶上",
                "人比想象中少很多，工作日去更好",
                "当地的米线一定要尝尝",
            ),
            tags=("旅行", "citywalk", "周末去哪儿", "旅行攻略", "风景", "小众旅行地"),
            comments=(
                "几月去的呀？",
                "好美！收藏了",
                "求民宿名字🙏",
                "看完立刻想出发",
                "这是用什么拍的？",
                "攻略好详细，谢谢宝",
            ),
            alts=("日落时分的山峦和湖面", "海边的日出", "黄昏的城市天际线"),
        ),
        "en": Bank(
            titles=(
                "{place} at sunrise was unreal 🌄",
                "3 days in {city}: my itinerary",
                "Citywalk around {spot} 🚶",
                "Solo trip to {city}, no regrets",
                "Slow travel in {place}",
                "I took the high-speed train to {city} 🚄",
                "Things nobody tells you about visiting {place}",
                "{city} weekend: where I went and what I ate",
                "Golden hour at {place} ✨",
            ),
            lines=(
                "📍 Route: {spot} → {place} → night market",
                "🚄 {n} hours by high-speed rail, super easy to book",
                "💰 Spent about ¥{price}0 for the whole trip",
                "Go at sunset. Just trust me.",
                "The guesthouse owner made us breakfast and taught me three new words",
                "Bring a jacket, mornings are cold",
                "Way fewer tourists than I expected on a weekday",
                "Alipay + a translation app got me through everything",
                "Best photo spot: the steps near {spot}",
                "Locals were so kind when I got lost 🥹",
            ),
            tags=("travelchina", "citywalk", "slowtravel", "chinatravel", "wanderlust", "旅行"),
            comments=(
                "Saving this for my trip!",
                "Wow, adding it to my list",
                "How did you get there?",
                "Stunning 😍",
                "Was it crowded?",
                "Ok I'm booking tickets",
            ),
            alts=(
                "Layered mountains at sunset above a lake",
                "A beach at sunrise with a sailboat",
                "A city skyline at dusk with lit windows",
            ),
        ),
    },
    "outfit": {
        "zh": Bank(
            titles=(
                "今日OOTD｜{color}温柔风🤍",
                "小个子也能穿的{item}",
                "一周通勤穿搭不重样👗",
                "{color}+{color}，高级感拉满",
                "早秋穿搭｜{item}真的太好搭了",
                "158小个子｜显高穿搭公式",
                "{city}周末出游穿什么",
                "平价{item}测评，闭眼入",
            ),
            lines=(
                "👚上衣：{color}{item}",
                "👖下装：{color}阔腿裤",
                "👟鞋子：德训鞋，走一天都不累",
                "🎒包包：通勤托特包，超能装",
                "整体{color}色系，温柔又显白",
                "腰线提高一点，立刻显高",
                "身高158，穿S码刚好",
                "这件{item}可以穿三个季节",
                "配饰点睛：一条细项链就够了",
                "面料很舒服，不起球",
            ),
            tags=("OOTD", "穿搭", "每日穿搭", "小个子穿搭", "通勤穿搭", "穿搭分享"),
            comments=(
                "裤子求链接！",
                "身高体重多少呀？",
                "好温柔的配色",
                "学到了！",
                "这个包是什么牌子？",
                "太会穿了",
            ),
            alts=("平铺的一套穿搭：上衣、裤子、鞋子和包", "一套通勤穿搭的平铺图", "周末穿搭和配饰"),
        ),
        "en": Bank(
            titles=(
                "OOTD: {color} everything 🤍",
                "Capsule wardrobe for a {city} autumn",
                "Thrift haul from {spot} 🛍️",
                "5 ways to wear a {item}",
                "What I wore this week",
                "Dressing for 30°C and a subway with arctic AC",
                "{color} + {color} = my new favourite combo",
                "Weekend fit for a citywalk",
            ),
            lines=(
                "👚 Top: {color} {item}",
                "👖 Trousers: vintage, ¥{price} at a market",
                "👟 Shoes: comfy sneakers, walked 20k steps",
                "Everything is secondhand except the socks",
                "Sizes run small here, size up!",
                "The {item} goes with literally everything",
                "A lady on the metro asked where I got this and I understood her 🥹",
                "Layering for the temperature swings",
                "Gold jewellery to finish it off",
            ),
            tags=("OOTD", "outfitinspo", "thrifted", "capsulewardrobe", "streetstyle", "穿搭"),
            comments=(
                "Obsessed with this!",
                "Where are the trousers from?",
                "The colours 😍",
                "Effortlessly cool",
                "Need that bag",
                "Fit check: passed ✅",
            ),
            alts=(
                "Flat lay of a shirt, trousers, sneakers and a bag",
                "An outfit laid out with accessories",
                "A capsule outfit flat lay",
            ),
        ),
    },
}

BANKS.update(
    {
        "skincare": {
            "zh": Bank(
                titles=(
                    "{skin}亲妈！这瓶{product}我回购了{n}次",
                    "敏感肌换季护肤流程🧴",
                    "空瓶记｜{n}个月用完的宝藏好物",
                    "学生党平价{product}合集",
                    "早C晚A一个月，真实感受",
                    "{skin}夏天的{product}怎么选？",
                    "我的极简护肤步骤✨",
                ),
                lines=(
                    "🧴洁面 → 水 → 精华 → {product}",
                    "适合{skin}，用了{n}周没有闷痘",
                    "质地很清爽，吸收快不黏腻",
                    "价格{price}左右，学生党也能冲",
                    "不是广告！自费购买",
                    "搭配防晒效果更好，出门一定要涂",
                    "换季泛红的时候用它救了我",
                    "味道淡淡的，很喜欢",
                    "建议先在耳后试一下再用",
                ),
                tags=("护肤", "敏感肌", "好物分享", "空瓶记", "防晒", "护肤心得"),
                comments=(
                    "敏感肌能用吗？",
                    "蹲一个链接",
                    "这个我也在用！",
                    "干皮用会不会拔干？",
                    "谢谢分享，很实用",
                    "皮肤状态好好",
                ),
                alts=("架子上的几瓶护肤品", "柔和光线下的瓶瓶罐罐", "一组护肤品摆拍"),
            ),
            "en": Bank(
                titles=(
                    "My skincare routine for {skin} 🧴",
                    "Chinese skincare brands I didn't know I needed",
                    "Sunscreen I actually finish",
                    "Empties: {n} products I used up",
                    "Barrier repair diaries, week {n}",
                    "Humid city, happy skin?",
                    "Minimal routine that finally works ✨",
                ),
                lines=(
                    "🧴 Cleanser → toner → serum → {product}",
                    "Works for my {skin}, no breakouts after {n} weeks",
                    "Lightweight, sinks in fast, no white cast",
                    "Around ¥{price}, cheaper here than back home",
                    "Not sponsored, bought it myself",
                    "SPF every day, even when it's cloudy ☁️",
                    "The pharmacist helped me pick it, in Chinese, and I understood like 60% 😅",
                    "Patch test first if you're sensitive",
                ),
                tags=("skincare", "skincareroutine", "sunscreen", "sensitiveskin", "护肤"),
                comments=(
                    "What's the brand?",
                    "Does it pill under makeup?",
                    "Glowing!!",
                    "Adding to cart",
                    "Great for dry skin?",
                ),
                alts=(
                    "Skincare bottles on stone plinths",
                    "A pump bottle and jars in soft light",
                    "Skincare products on a shelf",
                ),
            ),
        },
        "home": {
            "zh": Bank(
                titles=(
                    "出租屋改造｜{n}天把{room}变成喜欢的样子",
                    "{room}一角🪴",
                    "租房党也能拥有的治愈小家",
                    "阳台小花园又长大了🌿",
                    "{plant}养了一年的变化",
                    "周末大扫除后的家，太舒服了",
                    "低成本改造{room}，只花了{price}0元",
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
                tags=("家居", "出租屋改造", "绿植", "治愈系", "生活方式", "我的小家"),
                comments=("好治愈的小家", "窗帘是哪里买的？", "绿植养得好好", "想住进去", "这个光线太舒服了"),
                alts=("窗台上的几盆绿植", "窗边的书架和植物", "阳光照进的房间一角"),
            ),
            "en": Bank(
                titles=(
                    "Rental makeover: my {room} 🪴",
                    "Plant update: the {plant} is thriving",
                    "Cosy corner for rainy days",
                    "Our first apartment in {city}",
                    "Before & after: {room} for under ¥{price}0",
                    "Sunday reset 🧺",
                    "Window sill jungle 🌿",
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
                tags=("homedecor", "plantlover", "rentalmakeover", "cosyhome", "家居"),
                comments=(
                    "So cosy!",
                    "Love the plants 🌿",
                    "Where's the shelf from?",
                    "Goals",
                    "This light 😍",
                ),
                alts=(
                    "Potted plants on a window sill",
                    "Books and plants under a window",
                    "A sunny corner of a room",
                ),
            ),
        },
        "pets": {
            "zh": Bank(
                titles=(
                    "{pet_name}今天又在犯困😪",
                    "养{pet}之后的生活be like",
                    "{pet_name}的{n}岁生日🎂",
                    "一只会看镜头的{pet}",
                    "铲屎官的日常｜{pet_name}篇",
                    "谁懂啊，{pet_name}太会撒娇了",
                    "第一次带{pet_name}出门",
                ),
                lines=(
                    "🐾{pet_name}，{n}岁，性格超好",
                    "每天回家第一件事就是吸{pet}",
                    "今天又趁我不注意偷吃了一口",
                    "睡觉一定要贴着我",
                    "去医院体检一切正常，放心了",
                    "新买的窝，它嫌弃了三天终于肯睡了",
                    "喊名字会回头，聪明得很",
                    "领养代替购买❤️",
                ),
                tags=("萌宠", "猫咪", "狗狗", "铲屎官", "吸猫", "宠物日常"),
                comments=(
                    "太可爱了吧！！",
                    "小猫咪叫什么名字🐱",
                    "想摸",
                    "好乖呀",
                    "这个表情哈哈哈哈",
                    "求更多照片",
                ),
                alts=("坐在垫子上的小猫", "一只可爱的小狗", "睡在窝里的猫咪"),
            ),
            "en": Bank(
                titles=(
                    "{pet_name} has opinions today 😾",
                    "Adopted a {pet} in {city}!",
                    "{pet_name} turns {n} today 🎂",
                    "Morning routine, supervised by {pet_name}",
                    "The {pet} tax 🐾",
                    "Vet visit in Chinese: survived",
                    "She sits like a loaf, I rest my case",
                ),
                lines=(
                    "🐾 {pet_name}, {n} years old, chaos gremlin",
                    "Adopted from a local shelter ❤️",
                    "She only drinks from the tap, obviously",
                    "Learned that cats here say 喵 and mine agrees",
                    "The neighbours' kids call him 小胖 and honestly fair",
                    "He waits at the door every evening",
                    "New bed: ignored for three days, now won't leave it",
                ),
                tags=("catsofhaven", "dogsofhaven", "adoptdontshop", "petlife", "萌宠"),
                comments=(
                    "I love them",
                    "Give them a kiss from me 🥹",
                    "That face!!",
                    "Protect at all costs",
                    "Too cute",
                ),
                alts=(
                    "A cat sitting on a round cushion",
                    "A happy dog with a collar",
                    "A pet and a ball of yarn",
                ),
            ),
        },
        "fitness": {
            "zh": Bank(
                titles=(
                    "健身打卡第{day}天💪",
                    "跑步{km}公里｜今天的风好舒服",
                    "居家{n}分钟燃脂训练",
                    "瑜伽入门，从这{n}个动作开始",
                    "减脂期一周饮食记录",
                    "夜跑{city}｜最美跑步路线",
                    "练了{n}个月的变化",
                ),
                lines=(
                    "🏃今日：{km}公里，配速6分左右",
                    "🏋️{move} 4组×12个",
                    "🧘拉伸十分钟，第二天不酸",
                    "坚持比强度更重要",
                    "早上空腹跑完整个人都清醒了",
                    "饮食：鸡胸肉、西兰花、糙米饭",
                    "运动完喝一杯电解质水",
                    "记录一下，给未来的自己看",
                ),
                tags=("健身", "跑步", "瑜伽", "自律", "减脂", "运动打卡"),
                comments=("好自律！", "一起打卡💪", "配速好快", "求动作教程", "被激励到了"),
                alts=("瑜伽垫、哑铃和水杯", "日出时的跑道", "运动装备平铺图"),
            ),
            "en": Bank(
                titles=(
                    "Day {day} of showing up 💪",
                    "Sunrise run, {km} km ☀️",
                    "{n}-minute home workout, no equipment",
                    "Yoga in the park with the 阿姨s",
                    "Gym vocabulary I learned the hard way",
                    "Running routes in {city}",
                    "What {n} months of lifting did",
                ),
                lines=(
                    "🏃 Today: {km} km at an easy pace",
                    "🏋️ {move}: 4 sets of 12",
                    "🧘 10 minutes of stretching, non-negotiable",
                    "Consistency > intensity",
                    "My gym buddy taught me 再来一组 (one more set) and now I fear it",
                    "Post-run breakfast: 豆浆 and a jianbing",
                    "Rest days count too",
                ),
                tags=("fitness", "running", "yoga", "gymlife", "健身"),
                comments=(
                    "Inspiring!",
                    "Let's run together sometime",
                    "Great pace 🔥",
                    "Saving this routine",
                    "You got this",
                ),
                alts=(
                    "A yoga mat with dumbbells and a water bottle",
                    "A running track at sunrise",
                    "Workout gear laid out",
                ),
            ),
        },
    }
)

BANKS.update(
    {
        "study": {
            "zh": Bank(
                titles=(
                    "{skill}打卡第{day}天📚",
                    "和外国朋友语言交换的第一周",
                    "我是怎么把{skill}提上来的",
                    "图书馆学习日常｜专注{n}小时",
                    "求语言交换搭子！EN ⇄ 中文",
                    "考研/雅思人的一天",
                    "一个超好用的背单词方法",
                ),
                lines=(
                    "📖今天学了{n}个新单词",
                    "⏰番茄钟：{n}个×25分钟",
                    "✍️每天写一篇英文日记，哪怕只有三句",
                    "语言交换规则：一半时间中文，一半时间英文",
                    "跟读播客，口语真的有进步",
                    "周末在{spot}的咖啡店一起练口语",
                    "错题本是最好的老师",
                    "不要怕说错，外国朋友都很友好",
                ),
                tags=("学习打卡", "学英语", "languageexchange", "雅思", "自律", "学习方法"),
                comments=(
                    "可以一起练口语吗？",
                    "求资料🙏",
                    "好自律，向你学习",
                    "我也在找语言交换！",
                    "坚持就是胜利",
                ),
                alts=("书桌上的笔记本和电脑", "写满笔记的练习本", "学习桌和一杯咖啡"),
            ),
            "en": Bank(
                titles=(
                    "Learning Chinese: day {day} 🇨🇳",
                    "{skill} study routine that actually stuck",
                    "Words I learned this week: {word}",
                    "Looking for a language exchange partner! (EN ⇄ 中文)",
                    "I ordered dinner without pointing 🥹",
                    "How I'm learning characters",
                    "Study with me at a {city} café 📖",
                ),
                lines=(
                    "📖 New words today: {word}, {word}, {word}",
                    "⏰ {n} pomodoros, 25 minutes each",
                    "✍️ Practising characters in a grid notebook, stroke order matters!",
                    "Tones are hard. 妈麻马骂 haunts me.",
                    "My exchange partner and I switch every 30 minutes",
                    "Reading menus is the best motivation",
                    "Favourite word this week: {word}",
                    "Made a mistake and the whole table laughed, with me, I think",
                ),
                tags=("学中文", "learnchinese", "languageexchange", "studygram", "mandarin", "hsk"),
                comments=(
                    "加油!!",
                    "I'd love to exchange!",
                    "Your handwriting is so neat",
                    "Which app do you use?",
                    "Same struggle with tones 😭",
                ),
                alts=(
                    "A desk with a laptop, notebook and coffee",
                    "A character practice notebook with a grid",
                    "Sticky notes on a desk",
                ),
            ),
        },
        "photography": {
            "zh": Bank(
                titles=(
                    "用{camera}拍的{city}🎞️",
                    "胶片的颜色真的好治愈",
                    "扫街日记｜{spot}",
                    "手机也能拍出氛围感｜{n}个小技巧",
                    "{film}在阴天的表现",
                    "夜晚的城市，光斑好温柔",
                    "随手拍｜最近的生活碎片",
                ),
                lines=(
                    "📷相机：{camera}",
                    "🎞️胶卷：{film}",
                    "光线：下午四点的侧光",
                    "构图：找引导线，把人放在三分线上",
                    "不修图，直出",
                    "冲扫花了{price}，等了一周",
                    "喜欢拍普通人的日常",
                    "多走多拍，好照片是走出来的",
                ),
                tags=("摄影", "胶片", "扫街", "citywalk", "随手拍", "photography"),
                comments=("好有氛围感", "是什么胶卷呀？", "构图好舒服", "求参数！", "每一张都好喜欢"),
                alts=("桌上的复古相机", "夜晚城市的彩色光斑", "钉在墙上的几张拍立得"),
            ),
            "en": Bank(
                titles=(
                    "{city} on {film} 🎞️",
                    "Shot on {camera}",
                    "Street photography walk: {spot}",
                    "{n} photos from this month",
                    "Bokeh season ✨",
                    "Developing film in {city}: a guide",
                    "Instant photos from the weekend",
                ),
                lines=(
                    "📷 Camera: {camera}",
                    "🎞️ Film: {film}",
                    "The light at 4pm in autumn is unfair",
                    "Lab charged ¥{price} to develop and scan",
                    "No edits, straight from the scan",
                    "People here are so patient when you ask to take a photo",
                    "Keep walking and the photos find you",
                ),
                tags=("filmphotography", "streetphotography", "35mm", "citywalk", "摄影"),
                comments=(
                    "Those colours!",
                    "Which lab did you use?",
                    "Gorgeous shots",
                    "Love the framing",
                    "Teach me 🙏",
                ),
                alts=(
                    "A vintage camera on a soft background",
                    "Colourful bokeh lights at night",
                    "Instant photos pinned to a board",
                ),
            ),
        },
        "crafts": {
            "zh": Bank(
                titles=(
                    "{craft}新手第{n}个作品🧶",
                    "周末在家做{craft}，好解压",
                    "{city}手作课体验｜{craft}",
                    "自己做的小东西也太可爱了",
                    "{craft}入门工具清单",
                    "慢慢来的手作时光",
                    "送给朋友的手作礼物🎁",
                ),
                lines=(
                    "🧶材料：棉线两团、{n}号针",
                    "⏰花了大概{n}个小时",
                    "💰材料费{price}左右",
                    "第一次做歪歪扭扭但很有成就感",
                    "跟着视频一步一步来，不难",
                    "颜色是自己配的，喜欢温柔的配色",
                    "做手作的时候心特别静",
                ),
                tags=("手作", "钩针", "陶艺", "手工diy", "慢生活", "解压"),
                comments=("好厉害！", "求教程🙏", "配色好温柔", "我也想学", "手好巧"),
                alts=("毛线球和织了一半的织物", "架子上的几只陶瓷花瓶", "绣绷上的小花刺绣"),
            ),
            "en": Bank(
                titles=(
                    "{craft} project no. {n} 🧶",
                    "Slow Sunday, some {craft}",
                    "Took a {craft} class in {city}",
                    "Handmade gifts for my exchange partner",
                    "Beginner {craft} kit: what you actually need",
                    "Finished it!! (finally)",
                    "Pottery shelf update 🏺",
                ),
                lines=(
                    "🧶 Yarn: two skeins of cotton, {n}mm needles",
                    "⏰ About {n} hours over a week",
                    "💰 Materials were around ¥{price}",
                    "The teacher only spoke Chinese and somehow I followed everything",
                    "Wonky but mine ❤️",
                    "Picked the colours from my balcony plants",
                    "Very meditative, highly recommend",
                ),
                tags=("knitting", "crochet", "pottery", "handmade", "slowliving", "手作"),
                comments=(
                    "So talented!",
                    "Pattern please 🙏",
                    "Love these colours",
                    "I want to learn this",
                    "Beautiful work",
                ),
                alts=(
                    "Balls of yarn and a knitted swatch",
                    "Ceramic vases on a shelf",
                    "An embroidery hoop with flowers",
                ),
            ),
        },
    }
)

# Bits shared by every topic.
OPENERS: dict[str, tuple[str, ...]] = {
    "zh": (
        "姐妹们！",
        "救命…",
        "分享一下最近的快乐～",
        "周末小记📝",
        "碎碎念一下",
        "终于来了！",
        "记录一下✨",
        "",
        "",
        "",
    ),
    "en": (
        "Okay I need to talk about this 👇",
        "Saving this here so I don't forget",
        "Weekend log 📝",
        "Tiny post because I'm obsessed",
        "Finally!",
        "A little update ✨",
        "",
        "",
        "",
    ),
}
CLOSERS: dict[str, tuple[str, ...]] = {
    "zh": (
        "大家还有什么推荐吗？评论区告诉我👇",
        "冲就完事了！",
        "下次还来～",
        "有问题评论区问我呀",
        "码住慢慢看✨",
        "你们觉得呢？",
        "今天也是开心的一天🌷",
    ),
    "en": (
        "Any other recs? Drop them below 👇",
        "10/10 would do again",
        "Let me know if you have questions!",
        "Save this for later ✨",
        "What should I try next?",
        "Small joys 🌷",
    ),
}
MENTION_LINES: dict[str, tuple[str, ...]] = {
    "zh": ("和 @{friend} 一起～", "谢谢 @{friend} 的推荐！", "@{friend} 下次一起去！", "被 @{friend} 种草的"),
    "en": (
        "with @{friend} 🫶",
        "thanks @{friend} for the rec!",
        "@{friend} we're going back next week",
        "@{friend} told me about this one",
    ),
}
MIXED_LINES: tuple[str, ...] = (
    "今天的vibe真的很chill",
    "这个真的 so good 😭",
    "language partner 说这里必来",
    "我的 Chinese 进步了一点点 hhh",
    "weekend 就应该这样过",
    "honestly 太好看了",
)
GENERIC_TAGS: dict[str, tuple[str, ...]] = {
    "zh": ("生活记录", "日常", "分享", "周末"),
    "en": ("dailylife", "expatlife", "newinchina", "weekend"),
}
COMMENTS: dict[str, tuple[str, ...]] = {
    "zh": (
        "好好看！😍",
        "求链接🙏",
        "这是哪里呀？",
        "收藏了",
        "已关注，蹲更新",
        "哈哈哈哈太可爱了",
        "好喜欢这种风格",
        "博主好会生活",
        "太治愈了",
        "姐妹你好会拍",
    ),
    "en": (
        "This is amazing 😍",
        "Saving this!",
        "Where is this??",
        "Love this so much",
        "Following for more",
        "Such a vibe",
        "This made my day",
        "Beautiful ✨",
    ),
}
MIXED_COMMENTS: tuple[str, ...] = (
    "this is so 好看 omg",
    "太cute了吧",
    "I'm 想去 so bad 😭",
    "求 recipe please!!",
    "好喜欢这个vibe",
    "yyds 🔥",
    "ok 我收藏了",
    "你的中文好好！Your Chinese is great!",
)
EMOJI_COMMENTS: tuple[str, ...] = ("😍😍😍", "🔥🔥", "🥹🫶", "👏👏👏", "😋", "✨✨", "💯", "🤤🤤", "❤️")
REPLIES: dict[str, tuple[str, ...]] = {
    "zh": (
        "谢谢宝！",
        "在{city}哦～",
        "哈哈哈是的！",
        "可以呀，私信我～",
        "冲！",
        "谢谢喜欢🥰",
        "下次一起！",
    ),
    "en": (
        "Thank you!! 🥰",
        "It's in {city}!",
        "Haha right?!",
        "Yes, DM me!",
        "Do it!!",
        "Thanks for reading ✨",
    ),
}
#: Names of extra collections members make for their saves (with whether they are public).
COLLECTION_NAMES: dict[str, tuple[tuple[str, bool], ...]] = {
    "zh": (
        ("想去的地方", True),
        ("周末探店", False),
        ("穿搭灵感", True),
        ("护肤笔记", False),
        ("家居灵感", True),
        ("学英语", False),
    ),
    "en": (
        ("Trip ideas", True),
        ("Recipes to try", False),
        ("Outfit inspo", True),
        ("Cosy home", False),
        ("Chinese study", True),
        ("Coffee spots", True),
    ),
}


# ----------------------------------------------------------------------------------------------
# Composing texts from the banks

_SLOT_RE = re.compile(r"\{(\w+)\}")
_NUMBERS = {
    "n": (2, 3, 3, 4, 5, 6, 8, 10, 12),
    "price": (25, 38, 45, 58, 68, 88, 99, 128, 168, 199),
    "day": tuple(range(3, 121)),
    "km": (3, 5, 5, 6, 8, 10, 12, 21),
}
TITLE_MAX = 100
COMMENT_MAX = 1000


def fill(template: str, lang: str, rng: random.Random, fixed: dict[str, str] | None = None) -> str:
    """Replace every {slot} with a random value for `lang` (or the `fixed` one); unknown slots are kept."""

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
        value = rng.choice([v for v in values if v not in taken] or list(values))
        taken.add(value)
        return value

    return _SLOT_RE.sub(sub, template)


#: Topics whose notes usually carry a place (a city and neighbourhood), or sometimes just a city.
PLACE_TOPICS = frozenset({"food", "cafe", "travel", "photography"})
CITY_TOPICS = frozenset({"outfit", "fitness", "study", "crafts"})


@dataclass(frozen=True)
class NoteText:
    title: str
    body: str
    location: str
    alt_texts: tuple[str, ...]


def compose_note(
    rng: random.Random,
    *,
    topic: str,
    lang: str,
    images: int,
    friend: str | None = None,
    mixed: bool = False,
    used_titles: set[str] | None = None,
) -> NoteText:
    """A RedNote-style note in `lang` ("zh" or "en"): emoji, short lines, hashtags, maybe an @mention.

    The city and neighbourhood named in the text agree with the note's location; titles already in
    `used_titles` are avoided where the bank allows (and the chosen one is added).
    """
    bank = BANKS[topic][lang]
    side = 0 if lang == "zh" else 1
    city_index = rng.randrange(len(CITIES))
    spot = rng.choice(SPOTS[city_index])[side]
    fixed = {"city": CITIES[city_index][side], "spot": spot, "place": rng.choice(SLOTS[lang]["place"])}
    used = used_titles if used_titles is not None else set()
    # Each title template once before any comes back, and never the same finished title twice.
    templates = [t for t in bank.titles if f"{topic}:{lang}:{t}" not in used] or list(bank.titles)
    template = rng.choice(templates)
    title = fill(template, lang, rng, fixed)[:TITLE_MAX]
    for _attempt in range(8):
        if title not in used:
            break
        template = rng.choice(bank.titles)
        title = fill(template, lang, rng, fixed)[:TITLE_MAX]
    used.update({title, f"{topic}:{lang}:{template}"})
    parts: list[str] = []
    opener = rng.choice(OPENERS[lang])
    if opener:
        parts.append(opener)
    picked = rng.sample(bank.lines, k=rng.randint(2, min(5, len(bank.lines))))
    lines = [fill(line, lang, rng, fixed) for line in picked]
    if mixed:
        lines.insert(rng.randint(0, len(lines)), rng.choice(MIXED_LINES))
    parts.append("\n".join(lines))
    if friend:
        parts.append(rng.choice(MENTION_LINES[lang]).replace("{friend}", friend))
    if rng.random() < 0.8:
        parts.append(rng.choice(CLOSERS[lang]))
    tags = rng.sample(bank.tags, k=rng.randint(2, min(4, len(bank.tags))))
    if rng.random() < 0.4:
        tags.append(rng.choice(GENERIC_TAGS[lang]))
    parts.append(" ".join(f"#{tag}" for tag in dict.fromkeys(tags)))
    location = ""
    if "{place}" in template and "{city}" not in template:
        location = fixed["place"]
    elif topic in PLACE_TOPICS and rng.random() < 0.9:
        separator = "·" if lang == "zh" else " · "
        location = f"{fixed['city']}{separator}{spot}" if rng.random() < 0.7 else fixed["city"]
    elif topic in CITY_TOPICS and rng.random() < 0.25:
        location = fixed["city"]
    alts = tuple(rng.choice(bank.alts) for _i in range(images)) if rng.random() < 0.7 else ()
    return NoteText(title=title, body="\n\n".join(parts), location=location, alt_texts=alts)


def compose_comment(rng: random.Random, *, topic: str, lang: str, avoid: set[str] | None = None) -> str:
    """A comment in `lang`, sometimes mixed Chinese/English or emoji only (not one of `avoid`)."""
    text = ""
    for _attempt in range(6):
        text = _comment(rng, topic=topic, lang=lang)
        if not avoid or text not in avoid:
            break
    return text


def _comment(rng: random.Random, *, topic: str, lang: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(EMOJI_COMMENTS)
    if roll < 0.22:
        return rng.choice(MIXED_COMMENTS)
    pool = BANKS[topic][lang].comments if roll < 0.65 else COMMENTS[lang]
    text = fill(rng.choice(pool), lang, rng)
    if rng.random() < 0.25:
        text += rng.choice((" 😍", " 🥹", " ✨", " 🔥", "！", " 😂"))
    return text[:COMMENT_MAX]


def compose_reply(rng: random.Random, *, lang: str) -> str:
    """A short answer to a comment."""
    if rng.random() < 0.1:
        return rng.choice(EMOJI_COMMENTS)
    return fill(rng.choice(REPLIES[lang]), lang, rng)


def writing_language(rng: random.Random, persona: Persona) -> tuple[str, bool]:
    """Which language a member writes one text in, and whether to mix in the other one."""
    if persona.lang == "both":
        return ("zh" if rng.random() < 0.55 else "en"), rng.random() < 0.3
    return persona.lang, False
