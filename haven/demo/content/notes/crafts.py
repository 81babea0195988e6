"""Crafts notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("{craft}新手第{n}个作品🧶", "{craft}"),
            ("周末在家做{craft}，好解压", "{craft}"),
            ("{city}手作课体验｜{craft}", "{craft}"),
            ("绣了一朵小花，也太可爱了", "embroidery"),
            ("{craft}入门工具清单", "{craft}"),
            ("慢慢来的编织时光🧶", "knitting"),
            ("亲手做的陶瓷花瓶，送给朋友🎁", "pottery"),
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
        tags=(
            "手作",
            "钩针",
            "陶艺",
            "手工diy",
            "慢生活",
            "解压",
        ),
        comments=(
            "好厉害！",
            "求教程🙏",
            "配色好温柔",
            "我也想学",
            "手好巧",
        ),
    ),
    "en": Bank(
        titles=(
            ("{craft} project no. {n}", "{craft}"),
            ("Slow Sunday, some {craft}", "{craft}"),
            ("Took a {craft} class in {city}", "{craft}"),
            ("Embroidered a gift for my exchange partner", "embroidery"),
            ("Beginner {craft} kit: what you actually need", "{craft}"),
            ("Finished knitting it!! (finally)", "knitting"),
            ("Pottery shelf update 🏺", "pottery"),
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
        tags=(
            "knitting",
            "crochet",
            "pottery",
            "handmade",
            "slowliving",
            "手作",
        ),
        comments=(
            "So talented!",
            "Pattern please 🙏",
            "Love these colours",
            "I want to learn this",
            "Beautiful work",
        ),
    ),
}
