"""What each picture subject shows, in words: alt texts in both languages, and subjects per topic."""

from __future__ import annotations

#: subject -> (zh alt texts, en alt texts): each describes what the painter draws for that subject.
ALT_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "noodles": (
        ("一碗汤面，配溏心蛋和小菜", "桌上的一碗面和几碟小菜"),
        ("A bowl of noodle soup with a soft egg", "A bowl of noodles with side dishes on a table"),
    ),
    "breakfast": (
        ("早餐拼盘：吐司、煎蛋和牛油果", "一盘早午餐和一杯拿铁"),
        ("Breakfast plate with toast, egg and avocado", "Brunch on a plate next to a latte"),
    ),
    "dessert": (
        ("一盘马卡龙和草莓", "下午茶：马卡龙、草莓和咖啡"),
        ("A plate of macarons with strawberries", "Macarons, strawberries and a coffee"),
    ),
    "hotpot": (
        ("鸳鸯锅和一圈涮菜", "红汤清汤两吃的火锅"),
        ("A split hotpot with plates of ingredients around it", "Spicy and mild hotpot broth side by side"),
    ),
    "claypot_rice": (
        ("砂锅里的腊味煲仔饭，配青菜和荷包蛋", "揭开盖子的煲仔饭和一碟酱油"),
        ("Claypot rice with Chinese sausage, greens and an egg", "An open claypot of rice with soy sauce"),
    ),
    "dumplings": (
        ("蒸笼里的小笼包，配姜丝香醋", "一笼刚出锅的小笼包"),
        ("Soup dumplings in a bamboo steamer with vinegar", "A steamer basket of xiaolongbao"),
    ),
    "wontons": (
        ("一碗红油抄手，撒着芝麻和葱花", "红油里的馄饨和一碟泡菜"),
        ("A bowl of wontons in chilli oil with sesame", "Spicy wontons with a side of pickles"),
    ),
    "latte": (
        ("桌上的一杯拿铁和可颂", "一杯拉花咖啡和一本书"),
        ("A latte with foam art and a croissant", "A latte next to a book"),
    ),
    "matcha_latte": (
        ("一杯抹茶拿铁和可颂", "抹茶拉花和一本书"),
        ("A matcha latte and a croissant", "Matcha latte art next to a book"),
    ),
    "cafe_window": (
        ("窗边的咖啡和小蛋糕", "阳光窗边的一杯咖啡"),
        ("A cup of coffee by a sunny window", "Coffee and cake on a café table"),
    ),
    "bubble_tea": (
        ("两杯珍珠奶茶，插着粗吸管", "杯底满满的黑糖珍珠"),
        ("Two cups of bubble tea with wide straws", "Milk tea with tapioca pearls at the bottom"),
    ),
    "iced_coffee": (
        ("一杯加冰的咖啡", "冰块和牛奶在咖啡里"),
        ("An iced coffee in a clear cup", "Ice and milk swirling in coffee"),
    ),
    "mountains": (
        ("日落时分的山峦和湖面", "层层叠叠的远山"),
        ("Layered mountains at sunset above a lake", "Ridges of mountains fading into the distance"),
    ),
    "seaside": (
        ("海边的日出", "海面上的一艘帆船"),
        ("A beach at sunrise with a sailboat", "Waves on a quiet beach"),
    ),
    "city": (
        ("黄昏的城市天际线", "亮起灯的高楼"),
        ("A city skyline at dusk with lit windows", "City towers as the lights come on"),
    ),
    "city_lights": (
        ("夜晚城市的彩色光斑", "柔和的夜景光斑"),
        ("Colourful bokeh lights at night", "Soft city lights out of focus"),
    ),
    "outfit": (
        ("平铺的一套穿搭：上衣、裤子、鞋子和包", "一套穿搭和配饰的平铺图"),
        ("Flat lay of a top, trousers, shoes and a bag", "An outfit laid out with accessories"),
    ),
    "clothes_rail": (
        ("衣架上挂着的一排衣服", "一周的穿搭挂在衣架上"),
        ("Clothes hanging on a rail", "A week of outfits on a clothes rail"),
    ),
    "skincare": (
        ("架子上的几瓶护肤品", "柔和光线下的瓶瓶罐罐"),
        ("Skincare bottles on stone plinths", "A pump bottle and jars in soft light"),
    ),
    "plants": (
        ("窗台上的几盆绿植", "阳光照进窗边的植物"),
        ("Potted plants on a window sill", "Plants in the sun by a window"),
    ),
    "cat": (
        ("坐在垫子上的小猫", "一只圆滚滚的猫咪"),
        ("A cat sitting on a round cushion", "A round, sleepy cat"),
    ),
    "dog": (("坐在垫子上的小狗", "一只开心的狗狗"), ("A dog sitting on a cushion", "A happy dog")),
    "workout": (
        ("瑜伽垫、哑铃和水杯", "运动装备平铺图"),
        ("A yoga mat with dumbbells and a water bottle", "Workout gear laid out"),
    ),
    "running": (
        ("日出时的跑道", "清晨的操场跑道"),
        ("A running track at sunrise", "An empty track in the morning light"),
    ),
    "study_desk": (
        ("书桌上的笔记本和电脑", "写满笔记的练习本"),
        ("A desk with a laptop, notebook and coffee", "A notebook full of practice on a desk"),
    ),
    "camera": (
        ("桌上的复古相机", "一台胶片相机"),
        ("A vintage camera on a soft background", "A film camera"),
    ),
    "instant_photos": (
        ("钉在墙上的几张拍立得", "一面拍立得照片墙"),
        ("Instant photos pinned to a board", "A board of instant photos"),
    ),
    "knitting": (
        ("毛线球和织了一半的织物", "毛线和棒针"),
        ("Balls of yarn and a knitted swatch", "Yarn and knitting needles"),
    ),
    "pottery": (
        ("架子上的几只陶瓷花瓶", "手作的陶瓷器"),
        ("Ceramic vases on a shelf", "Handmade pottery on a shelf"),
    ),
    "embroidery": (
        ("绣绷上的小花刺绣", "一只刺绣绷子"),
        ("An embroidery hoop with flowers", "Flowers stitched in a hoop"),
    ),
}

#: Subjects a member's avatar may show, by their favourite topic.
TOPIC_PICTURES: dict[str, tuple[str, ...]] = {
    "food": ("noodles", "dumplings", "hotpot", "claypot_rice", "wontons", "breakfast", "dessert"),
    "cafe": ("latte", "matcha_latte", "cafe_window", "bubble_tea", "iced_coffee"),
    "travel": ("mountains", "seaside", "city"),
    "outfit": ("outfit", "clothes_rail"),
    "skincare": ("skincare",),
    "home": ("plants",),
    "pets": ("cat", "dog"),
    "fitness": ("workout", "running"),
    "study": ("study_desk",),
    "photography": ("camera", "city_lights", "instant_photos"),
    "crafts": ("knitting", "pottery", "embroidery"),
}


def alt_texts(picture: str, lang: str) -> tuple[str, ...]:
    """Alt texts (in `lang`) that describe a picture of `picture`."""
    zh, en = ALT_TEXTS[picture]
    return zh if lang == "zh" else en
