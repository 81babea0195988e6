"""Bilingual notes about skincare, clothes, home, pets and crafts."""

from __future__ import annotations

from haven.demo.content.base import Bilingual

NOTES: tuple[Bilingual, ...] = (
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
