"""Study and language-exchange notes: titles (each with its picture), lines, hashtags, comments."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("{skill}打卡第{day}天📚", "study_desk"),
            ("和外国朋友语言交换的第一周", "study_desk"),
            ("我是怎么把{skill}提上来的", "study_desk"),
            ("图书馆学习日常｜专注{n}小时", "study_desk"),
            ("求语言交换搭子！EN ⇄ 中文", "study_desk"),
            ("考研/雅思人的一天", "study_desk"),
            ("一个超好用的背单词方法", "study_desk"),
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
        tags=(
            "学习打卡",
            "学英语",
            "languageexchange",
            "雅思",
            "自律",
            "学习方法",
        ),
        comments=(
            "可以一起练口语吗？",
            "求资料🙏",
            "好自律，向你学习",
            "我也在找语言交换！",
            "坚持就是胜利",
        ),
    ),
    "en": Bank(
        titles=(
            ("Learning Chinese: day {day} 🇨🇳", "study_desk"),
            ("{skill} study routine that actually stuck", "study_desk"),
            ("Words I learned this week: {word}", "study_desk"),
            ("Looking for a language exchange partner! (EN ⇄ 中文)", "study_desk"),
            ("I ordered dinner without pointing 🥹", "study_desk"),
            ("How I'm learning characters", "study_desk"),
            ("Study with me at a {city} café 📖", "study_desk"),
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
        tags=(
            "学中文",
            "learnchinese",
            "languageexchange",
            "studygram",
            "mandarin",
            "hsk",
        ),
        comments=(
            "加油!!",
            "I'd love to exchange!",
            "Your handwriting is so neat",
            "Which app do you use?",
            "Same struggle with tones 😭",
        ),
    ),
}
