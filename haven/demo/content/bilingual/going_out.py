"""Bilingual notes about trips, study, exercise and photography."""

from __future__ import annotations

from haven.demo.content.base import Bilingual

NOTES: tuple[Bilingual, ...] = (
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
)
