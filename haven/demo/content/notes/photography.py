"""Photography notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("用{camera}拍的{city}🎞️", "city"),
            ("胶片的颜色真的好治愈", "camera"),
            ("扫街日记｜{spot}", "city"),
            ("夜景光斑也能拍出氛围感｜{n}个小技巧", "city_lights"),
            ("{film}在阴天的表现", "camera"),
            ("夜晚的城市，光斑好温柔", "city_lights"),
            ("拍立得｜最近的生活碎片", "instant_photos"),
        ),
        lines=(
            "📷相机：{camera}",
            "🎞️胶卷：{film}",
            "光线：下午四点的侧光",
            "构图：找引导线，把人放在三分线上",
            "不修图，直出",
            "冲扫花了{price}，等了一周",
            "喜欢拍普通人的日常",
            "多走多拍，好照片是走出来的",
        ),
        tags=(
            "摄影",
            "胶片",
            "扫街",
            "citywalk",
            "随手拍",
            "photography",
        ),
        comments=(
            "好有氛围感",
            "是什么胶卷呀？",
            "构图好舒服",
            "求参数！",
            "每一张都好喜欢",
        ),
    ),
    "en": Bank(
        titles=(
            ("{city} on {film} 🎞️", "city"),
            ("Shot on {camera}", "camera"),
            ("Street photography walk: {spot}", "city"),
            ("{n} instant photos from this month", "instant_photos"),
            ("Bokeh season ✨", "city_lights"),
            ("Developing film in {city}: a guide", "camera"),
            ("Instant photos from the weekend", "instant_photos"),
        ),
        lines=(
            "📷 Camera: {camera}",
            "🎞️ Film: {film}",
            "The light at 4pm in autumn is unfair",
            "Lab charged ¥{price} to develop and scan",
            "No edits, straight from the scan",
            "People here are so patient when you ask to take a photo",
            "Keep walking and the photos find you",
        ),
        tags=(
            "filmphotography",
            "streetphotography",
            "35mm",
            "citywalk",
            "摄影",
        ),
        comments=(
            "Those colours!",
            "Which lab did you use?",
            "Gorgeous shots",
            "Love the framing",
            "Teach me 🙏",
        ),
    ),
}
