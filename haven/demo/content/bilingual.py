"""Notes by bilingual members, written in one language and translated by the author into the other.

Each note exists in both languages, written as a person would say it in each (not word for word), so
the demo shows author translations at work: a reader who does not read the note's language sees the
author's own words in theirs. {city} and {spot} are filled with the same place in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """One note in both languages, with the topic it belongs to and the picture subject it shows."""

    topic: str
    picture: str
    zh: tuple[str, ...]  # the title, then the lines of the body; the last line is the hashtags
    en: tuple[str, ...]
    #: (zh, en) location of a note about one named place; otherwise the note's {city} is its location.
    place: tuple[str, str] | None = None

    def text(self, lang: str) -> tuple[str, str]:
        """(title, body) in `lang`, the hashtags in a paragraph of their own."""
        title, *lines = self.zh if lang == "zh" else self.en
        return title, "\n".join(lines[:-1]) + "\n\n" + lines[-1]


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
    # travel -----------------------------------------------------------------------------------------
    Bilingual(
        topic="travel",
        picture="mountains",
        zh=(
            "洱海边的日落，值得一整天的等待🌄",
            "下午骑车绕了半圈洱海",
            "太阳落到苍山后面的时候，整个湖面都是粉色的",
            "建议住在喜洲，人少很多",
            "#大理 #洱海 #旅行",
        ),
        en=(
            "Sunset at Erhai Lake was worth waiting all day for 🌄",
            "Spent the afternoon cycling halfway round the lake",
            "When the sun dropped behind the Cangshan mountains the whole lake turned pink",
            "Stay in Xizhou if you can, far fewer people",
            "#dali #erhai #travel",
        ),
        place=("大理·洱海", "Dali · Erhai"),
    ),
    Bilingual(
        topic="travel",
        picture="city",
        zh=(
            "{city}citywalk｜从{spot}走到天黑",
            "路线：{spot} → 老街 → 江边",
            "傍晚的天际线真的很好看，楼里的灯一盏一盏亮起来",
            "一共走了一万五千步👟",
            "#citywalk #{city} #城市漫步",
        ),
        en=(
            "{city} citywalk: from {spot} until dark",
            "Route: {spot} → the old streets → the riverside",
            "The skyline at dusk is gorgeous, the windows lighting up one by one",
            "Fifteen thousand steps in total 👟",
            "#citywalk #travelchina #citylife",
        ),
    ),
    Bilingual(
        topic="travel",
        picture="seaside",
        zh=(
            "在鼓浪屿看了一次日出",
            "五点起床，走到海边的时候天刚亮",
            "海面很安静，远处有一艘帆船",
            "早上的岛上几乎没有游客",
            "#鼓浪屿 #厦门 #日出",
        ),
        en=(
            "Watched the sunrise on Gulangyu",
            "Up at five, and the sky was just getting light when I reached the beach",
            "The sea was calm, with one sailboat out on the water",
            "In the early morning the island has almost no tourists",
            "#gulangyu #xiamen #sunrise",
        ),
        place=("厦门·鼓浪屿", "Xiamen · Gulangyu"),
    ),
    Bilingual(
        topic="travel",
        picture="mountains",
        zh=(
            "黄山两天一夜，看到了云海",
            "第一天傍晚到山顶，第二天凌晨看日出",
            "山一层一层的，像水墨画",
            "记得带厚外套，山上很冷",
            "#黄山 #爬山 #云海",
        ),
        en=(
            "Two days on Huangshan, and we saw the sea of clouds",
            "Reached the top on the first evening, then got up before dawn for the sunrise",
            "Layer after layer of mountains, like an ink painting",
            "Bring a warm jacket, it's cold up there",
            "#huangshan #hiking #seaofclouds",
        ),
        place=("黄山", "Huangshan"),
    ),
    # study ------------------------------------------------------------------------------------------
    Bilingual(
        topic="study",
        picture="study_desk",
        zh=(
            "语言交换第十周：我们的学习桌",
            "每周六和朋友一起学习两个小时",
            "前一个小时说中文，后一个小时说英文",
            "最大的收获：不再害怕说错了",
            "#语言交换 #学英语 #学中文",
        ),
        en=(
            "Language exchange, week ten: our study table",
            "Every Saturday my friend and I study together for two hours",
            "First hour in Chinese, second hour in English",
            "Biggest win so far: I'm no longer afraid of making mistakes",
            "#languageexchange #learnchinese #learnenglish",
        ),
    ),
    Bilingual(
        topic="study",
        picture="study_desk",
        zh=(
            "我的汉字练习本，写满了第三本✍️",
            "每天写二十个字，按部首来记",
            "写错的字用红笔圈出来，第二天再写一遍",
            "现在看菜单基本不用猜了",
            "#学中文 #汉字 #每日打卡",
        ),
        en=(
            "My third character practice notebook, filled ✍️",
            "Twenty characters a day, grouped by radical",
            "I circle mistakes in red and write them again the next day",
            "These days I can read most menus without guessing",
            "#learnchinese #hanzi #dailypractice",
        ),
    ),
    # fitness ----------------------------------------------------------------------------------------
    Bilingual(
        topic="fitness",
        picture="running",
        zh=(
            "晨跑五公里，今天的日出太美了☀️",
            "六点出门，跑道上只有几个人",
            "跑到第三圈的时候太阳升起来了",
            "跑完再吃一顿早餐，完美的一天",
            "#晨跑 #跑步 #运动打卡",
        ),
        en=(
            "A 5 km morning run, and what a sunrise ☀️",
            "Out the door at six, only a few people on the track",
            "The sun came up on my third lap",
            "A run and then breakfast: a perfect start to the day",
            "#morningrun #running #fitness",
        ),
    ),
    Bilingual(
        topic="fitness",
        picture="workout",
        zh=(
            "在家练了一个月，分享我的装备",
            "一张瑜伽垫，一对哑铃，一个水杯，就够了",
            "每天三十分钟：热身、力量、拉伸",
            "最重要的是坚持，不是装备",
            "#居家健身 #瑜伽 #哑铃",
        ),
        en=(
            "A month of home workouts: here's all my gear",
            "A yoga mat, a pair of dumbbells and a water bottle. That's it",
            "Thirty minutes a day: warm-up, strength, stretching",
            "What matters is showing up, not the gear",
            "#homeworkout #yoga #dumbbells",
        ),
    ),
    # skincare ---------------------------------------------------------------------------------------
    Bilingual(
        topic="skincare",
        picture="skincare",
        zh=(
            "南方回南天，我的护肤只剩三步",
            "太潮湿了，厚重的面霜全部停用",
            "洁面 → 保湿精华 → 防晒，就这么简单",
            "两周下来，闷痘少了很多",
            "#护肤 #极简护肤 #敏感肌",
        ),
        en=(
            "Humid season in the south: my skincare is down to three steps",
            "It's so humid that I've put all the heavy creams away",
            "Cleanser → hydrating serum → sunscreen, that's all",
            "Two weeks in, far fewer breakouts",
            "#skincare #minimalskincare #sensitiveskin",
        ),
    ),
    Bilingual(
        topic="skincare",
        picture="skincare",
        zh=(
            "用完的空瓶，和我的真实评价",
            "这个月用空了四瓶",
            "防晒会回购，清爽不油",
            "精华一般，味道有点重",
            "#空瓶记 #护肤 #真实测评",
        ),
        en=(
            "This month's empties, and what I honestly think",
            "Four bottles used up this month",
            "I'll rebuy the sunscreen: light and not greasy",
            "The serum was just okay, and the scent is a bit strong",
            "#empties #skincare #honestreview",
        ),
    ),
    # outfit -----------------------------------------------------------------------------------------
    Bilingual(
        topic="outfit",
        picture="outfit",
        zh=(
            "{city}早秋穿搭：一件开衫搞定温差",
            "早上凉，中午热，开衫最方便",
            "白T + 阔腿裤 + 乐福鞋",
            "包是在{spot}的古着店淘的",
            "#穿搭 #早秋 #OOTD",
        ),
        en=(
            "Early autumn in {city}: one cardigan for cold mornings and warm afternoons",
            "Cool mornings, hot middays, so a cardigan is the easy answer",
            "White tee + wide-leg trousers + loafers",
            "Found the bag at a vintage shop near {spot}",
            "#ootd #autumnstyle #outfit",
        ),
    ),
    Bilingual(
        topic="outfit",
        picture="clothes_rail",
        zh=(
            "胶囊衣橱：十件衣服穿一周",
            "把衣服都挂出来，一眼就知道怎么搭",
            "基本款为主，配色不超过三种",
            "早上再也不用纠结了",
            "#胶囊衣橱 #通勤穿搭 #极简",
        ),
        en=(
            "Capsule wardrobe: ten pieces for a whole week",
            "With everything hanging on one rail, I can see every combination at a glance",
            "Mostly basics, no more than three colours",
            "No more agonising in the morning",
            "#capsulewardrobe #workwear #minimalism",
        ),
    ),
    # home -------------------------------------------------------------------------------------------
    Bilingual(
        topic="home",
        picture="plants",
        zh=(
            "出租屋窗台的小森林🌿",
            "搬来的时候只有一盆绿萝，现在有七盆了",
            "朝南的窗户，阳光很好",
            "每周日浇一次水，和它们说说话",
            "#绿植 #出租屋 #治愈",
        ),
        en=(
            "The little jungle on my rental window sill 🌿",
            "When I moved in there was one pothos; now there are seven pots",
            "A south-facing window with lots of sun",
            "I water them every Sunday and have a little chat with them",
            "#plants #rentalhome #plantlife",
        ),
    ),
    Bilingual(
        topic="home",
        picture="plants",
        zh=(
            "龟背竹长出了第一片开背叶",
            "养了一年，终于等到了",
            "放在离窗户一米的地方，散射光最合适",
            "每一片新叶都像一个小惊喜",
            "#龟背竹 #植物 #家居",
        ),
        en=(
            "My monstera grew its first split leaf",
            "A whole year of waiting, and here it is",
            "It lives about a metre from the window, in bright indirect light",
            "Every new leaf is a small surprise",
            "#monstera #houseplants #home",
        ),
    ),
    # pets -------------------------------------------------------------------------------------------
    Bilingual(
        topic="pets",
        picture="cat",
        zh=(
            "我家猫的新坐垫，她只用了一秒就占领了",
            "本来是给我自己买的坐垫",
            "拆开包装，她就坐上去了，还一脸理所当然",
            "好吧，归你了🐱",
            "#猫咪 #铲屎官 #萌宠",
        ),
        en=(
            "Bought myself a cushion. The cat claimed it in one second",
            "It was supposed to be for me",
            "The moment I unwrapped it she sat down on it as if it had always been hers",
            "Fine, it's yours 🐱",
            "#cats #catlife #pets",
        ),
    ),
    Bilingual(
        topic="pets",
        picture="dog",
        zh=(
            "狗狗第一次听懂了中文指令",
            "教了一个月“坐下”和“握手”",
            "今天朋友用中文说，它居然照做了！",
            "看来它也在学双语🐶",
            "#狗狗 #萌宠 #双语",
        ),
        en=(
            "My dog understood a command in Chinese for the first time",
            "We've spent a month practising 坐下 (sit) and 握手 (shake)",
            "Today a friend said them in Chinese and he did both!",
            "Looks like he's bilingual too 🐶",
            "#dogs #doglife #bilingual",
        ),
    ),
    # photography ------------------------------------------------------------------------------------
    Bilingual(
        topic="photography",
        picture="camera",
        zh=(
            "在二手市场淘到一台胶片机📷",
            "老板说还能用，两百块带走",
            "装了一卷Portra 400，拍完拿去冲洗",
            "等照片的这几天，比拍的时候还期待",
            "#胶片 #胶片相机 #摄影",
        ),
        en=(
            "Found a film camera at the flea market 📷",
            "The seller swore it still worked; two hundred yuan and it was mine",
            "Loaded a roll of Portra 400 and took it to be developed",
            "Waiting for the photos is even more exciting than taking them",
            "#filmphotography #filmcamera #photography",
        ),
    ),
    Bilingual(
        topic="photography",
        picture="city_lights",
        zh=(
            "下雨的夜晚，{city}的光斑",
            "把对焦拉到最近，城市的灯就变成了一颗颗光斑",
            "红的是车尾灯，黄的是路灯",
            "手机也可以拍，试试手动对焦",
            "#夜景 #光斑 #摄影技巧",
        ),
        en=(
            "{city} at night in the rain, all bokeh",
            "Pull the focus all the way in and the city lights turn into soft circles",
            "The red ones are tail lights, the yellow ones street lamps",
            "You can do it on a phone too: try manual focus",
            "#nightphotography #bokeh #phototips",
        ),
    ),
    # crafts -----------------------------------------------------------------------------------------
    Bilingual(
        topic="crafts",
        picture="knitting",
        zh=(
            "织了三个月的围巾，终于完成了🧶",
            "第一次织这么长的东西",
            "中间拆了两次，手都酸了",
            "打算送给我的语言交换搭子",
            "#编织 #手作 #围巾",
        ),
        en=(
            "Three months of knitting, and the scarf is finally done 🧶",
            "The longest thing I've ever knitted",
            "I unravelled it twice along the way, my hands ached",
            "It's a gift for my language exchange partner",
            "#knitting #handmade #scarf",
        ),
    ),
    Bilingual(
        topic="crafts",
        picture="pottery",
        zh=(
            "{city}的陶艺课，做了人生第一个花瓶🏺",
            "拉坯比想象中难多了，歪了好几次",
            "老师说歪一点才有手作的味道",
            "上釉烧好要等两周",
            "#陶艺 #手作 #周末",
        ),
        en=(
            "Pottery class in {city}: I made my first vase 🏺",
            "Throwing on the wheel is much harder than it looks; mine kept going lopsided",
            "The teacher says a little wonkiness is what makes it handmade",
            "Glazing and firing take two weeks",
            "#pottery #handmade #weekend",
        ),
    ),
    Bilingual(
        topic="crafts",
        picture="embroidery",
        zh=(
            "绣了一绷小花，送给妈妈",
            "雏菊和薰衣草，一共用了六种颜色的线",
            "每天晚上绣半小时，很解压",
            "妈妈说要挂在客厅里",
            "#刺绣 #手作 #礼物",
        ),
        en=(
            "Stitched a hoop of little flowers for my mum",
            "Daisies and lavender, six colours of thread in all",
            "Half an hour every evening: so relaxing",
            "Mum says it's going up in the living room",
            "#embroidery #handmade #gift",
        ),
    ),
)
