"""Skincare notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("{skin}亲妈！这瓶{product}我回购了{n}次", "skincare"),
            ("敏感肌换季护肤流程🧴", "skincare"),
            ("空瓶记｜{n}个月用完的宝藏好物", "skincare"),
            ("学生党平价{product}合集", "skincare"),
            ("早C晚A一个月，真实感受", "skincare"),
            ("{skin}夏天的{product}怎么选？", "skincare"),
            ("我的极简护肤步骤✨", "skincare"),
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
        tags=(
            "护肤",
            "敏感肌",
            "好物分享",
            "空瓶记",
            "防晒",
            "护肤心得",
        ),
        comments=(
            "敏感肌能用吗？",
            "蹲一个链接",
            "这个我也在用！",
            "干皮用会不会拔干？",
            "谢谢分享，很实用",
            "皮肤状态好好",
        ),
    ),
    "en": Bank(
        titles=(
            ("My skincare routine for {skin} 🧴", "skincare"),
            ("Chinese skincare brands I didn't know I needed", "skincare"),
            ("Sunscreen I actually finish", "skincare"),
            ("Empties: {n} products I used up", "skincare"),
            ("Barrier repair diaries, week {n}", "skincare"),
            ("Humid city, happy skin?", "skincare"),
            ("Minimal routine that finally works ✨", "skincare"),
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
        tags=(
            "skincare",
            "skincareroutine",
            "sunscreen",
            "sensitiveskin",
            "护肤",
        ),
        comments=(
            "What's the brand?",
            "Does it pill under makeup?",
            "Glowing!!",
            "Adding to cart",
            "Great for dry skin?",
        ),
    ),
}
