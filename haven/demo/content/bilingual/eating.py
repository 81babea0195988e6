"""Bilingual notes about food and drinks."""

from __future__ import annotations

from haven.demo.content.base import Bilingual

NOTES: tuple[Bilingual, ...] = (
    # food -------------------------------------------------------------------------------------------
    Bilingual(
        topic="food",
        picture="claypot_rice",
        zh=(
            "{city}的煲仔饭，锅巴才是灵魂🔥",
            "📍{spot}附近的一家老店，砂锅现点现做，要等二十分钟",
            "腊肠的油慢慢渗进米饭里",
            "最后淋一圈酱油，盖上盖子再焖一分钟",
            "一定要把锅底的锅巴刮干净！",
            "#煲仔饭 #探店 #美食",
        ),
        en=(
            "Claypot rice in {city}: the crispy bottom is the whole point 🔥",
            "📍 An old place near {spot}. Every pot is cooked to order, so expect a twenty-minute wait",
            "The fat from the Chinese sausage soaks into the rice",
            "Pour soy sauce around the edge, put the lid back on and give it one more minute",
            "Scrape up every bit of the crust at the bottom!",
            "#claypotrice #foodie #chinesefood",
        ),
    ),
    Bilingual(
        topic="food",
        picture="dumplings",
        zh=(
            "早上八点排队的小笼包，值了",
            "皮薄到能看见汤汁在里面晃🥟",
            "先咬一个小口，吸汤，再蘸姜丝醋",
            "{spot}这家只卖到中午，去晚了就没了",
            "#小笼包 #早餐 #{city}美食",
        ),
        en=(
            "Queued at 8am for soup dumplings. Worth it",
            "The skins are so thin you can see the soup moving inside 🥟",
            "Bite a small hole, sip the soup, then dip it in vinegar with ginger",
            "This place near {spot} only sells until noon, so don't go late",
            "#soupdumplings #breakfast #foodinchina",
        ),
    ),
    Bilingual(
        topic="food",
        picture="hotpot",
        zh=(
            "第一次带外国朋友吃火锅🌶️",
            "点了鸳鸯锅，照顾一下不能吃辣的朋友",
            "结果他最后一直在红汤里捞毛肚😂",
            "教了他一句：微辣就好",
            "#火锅 #语言交换 #{city}",
        ),
        en=(
            "Took my friend from abroad for his first hotpot 🌶️",
            "We ordered the split pot so he'd have a mild side",
            "By the end he was fishing tripe out of the spicy side nonstop 😂",
            "Taught him the most useful phrase: 微辣 (a little spicy)",
            "#hotpot #languageexchange #chinesefood",
        ),
    ),
    Bilingual(
        topic="food",
        picture="wontons",
        zh=(
            "一碗红油抄手，想家的味道",
            "在{city}找了好久，终于吃到和老家一样的红油抄手",
            "皮滑，肉馅嫩，红油香而不燥",
            "老板说辣椒油是自己炒的",
            "#红油抄手 #川菜 #家乡味",
        ),
        en=(
            "A bowl of wontons in chilli oil that tastes like home",
            "I searched {city} for ages and finally found chilli oil wontons just like back home",
            "Silky wrappers, tender filling, and chilli oil that's fragrant rather than harsh",
            "The owner makes the chilli oil herself",
            "#wontons #sichuanfood #tasteofhome",
        ),
    ),
    Bilingual(
        topic="food",
        picture="noodles",
        zh=(
            "周末自己煮了一碗牛肉面🍜",
            "牛腱子炖了三个小时，汤是清的，味道很足",
            "加了溏心蛋和一点青菜",
            "下次试试自己拉面条",
            "#牛肉面 #在家做饭 #一人食",
        ),
        en=(
            "Made myself a bowl of beef noodle soup this weekend 🍜",
            "Three hours of simmering beef shank for a clear, deep broth",
            "Added a soft-boiled egg and some greens",
            "Next time I'm trying to pull the noodles myself",
            "#beefnoodles #homecooking #cookingforone",
        ),
    ),
    # cafe -------------------------------------------------------------------------------------------
    Bilingual(
        topic="cafe",
        picture="latte",
        zh=(
            "一杯桂花拿铁，一本书，一个下午☕️",
            "{spot}这家店很安静，适合看书",
            "拿铁上的拉花很好看，桂花香很淡，不会太甜",
            "可颂是现烤的",
            "#咖啡 #周末 #看书",
        ),
        en=(
            "An osmanthus latte, a book and a whole afternoon ☕️",
            "This café near {spot} is quiet, perfect for reading",
            "Beautiful latte art, and the osmanthus is subtle, not too sweet",
            "The croissants are baked in-house",
            "#coffee #weekend #reading",
        ),
    ),
    Bilingual(
        topic="cafe",
        picture="bubble_tea",
        zh=(
            "帮大家试了{city}新开的黑糖珍珠奶茶🧋",
            "珍珠是现煮的，软糯有嚼劲",
            "建议选三分糖，黑糖本身已经很甜了",
            "排队大概十五分钟",
            "#奶茶 #珍珠奶茶 #新店打卡",
        ),
        en=(
            "I tried the new brown sugar bubble tea place in {city} so you don't have to queue blind 🧋",
            "The pearls are cooked fresh: soft and chewy",
            "Go for 30% sugar; the brown sugar is sweet enough on its own",
            "The queue was about fifteen minutes",
            "#bubbletea #boba #newopening",
        ),
    ),
    Bilingual(
        topic="cafe",
        picture="iced_coffee",
        zh=(
            "夏天续命靠这杯冰美式",
            "{spot}附近的小咖啡车，一杯十五块",
            "豆子是云南的，有一点果酸",
            "老板记得每个熟客的口味",
            "#冰美式 #咖啡 #夏天",
        ),
        en=(
            "This iced americano is how I'm surviving summer",
            "A little coffee cart near {spot}, fifteen yuan a cup",
            "The beans are from Yunnan, a little fruity",
            "The owner remembers every regular's order",
            "#icedcoffee #coffee #summer",
        ),
    ),
    Bilingual(
        topic="cafe",
        picture="cafe_window",
        zh=(
            "找到了{city}最好的窗边座位",
            "下午三点阳光刚好照进来",
            "点了一杯拿铁和一块草莓蛋糕",
            "坐了两个小时，一点都不想走",
            "#咖啡店 #窗边 #慢生活",
        ),
        en=(
            "Found the best window seat in {city}",
            "At 3pm the sun comes in just right",
            "I ordered a latte and a slice of strawberry cake",
            "Stayed two hours and didn't want to leave",
            "#cafe #windowseat #slowliving",
        ),
    ),
)
