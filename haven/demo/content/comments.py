"""Bits shared by every topic: openers, closers, mentions, comments, replies and collection names."""

from __future__ import annotations

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
        "@{friend} let's go together next time!",
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
