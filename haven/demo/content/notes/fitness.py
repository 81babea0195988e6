"""Fitness notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("健身打卡第{day}天💪", "workout"),
            ("跑步{km}公里｜今天的风好舒服", "running"),
            ("居家{n}分钟燃脂训练", "workout"),
            ("瑜伽入门，从这{n}个动作开始", "workout"),
            ("减脂期早餐｜吐司煎蛋牛油果", "breakfast"),
            ("晨跑{city}｜最美跑步路线", "running"),
            ("练了{n}个月的变化", "workout"),
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
        tags=(
            "健身",
            "跑步",
            "瑜伽",
            "自律",
            "减脂",
            "运动打卡",
        ),
        comments=(
            "好自律！",
            "一起打卡💪",
            "配速好快",
            "求动作教程",
            "被激励到了",
        ),
    ),
    "en": Bank(
        titles=(
            ("Day {day} of showing up 💪", "workout"),
            ("Sunrise run, {km} km ☀️", "running"),
            ("{n}-minute home workout, just a mat and dumbbells", "workout"),
            ("Yoga mat, dumbbells, done: my morning with the 阿姨s", "workout"),
            ("Gym vocabulary I learned the hard way", "workout"),
            ("Running routes in {city}", "running"),
            ("What {n} months of lifting did", "workout"),
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
        tags=(
            "fitness",
            "running",
            "yoga",
            "gymlife",
            "健身",
        ),
        comments=(
            "Inspiring!",
            "Let's run together sometime",
            "Great pace 🔥",
            "Saving this routine",
            "You got this",
        ),
    ),
}
