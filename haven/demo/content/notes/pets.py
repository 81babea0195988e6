"""Pet notes: titles (each with the picture it shows), lines, hashtags and comments, zh + en."""

from haven.demo.content.base import Bank

BANK: dict[str, Bank] = {
    "zh": Bank(
        titles=(
            ("{pet_name}今天又在犯困😪", "{pet_name}"),
            ("养{pet}之后的生活be like", "{pet}"),
            ("{pet_name}的{n}岁生日🎂", "{pet_name}"),
            ("一只会看镜头的{pet}", "{pet}"),
            ("铲屎官的日常｜{pet_name}篇", "{pet_name}"),
            ("谁懂啊，{pet_name}太会撒娇了", "{pet_name}"),
            ("第一次带{pet_name}去公园", "{pet_name}"),
        ),
        lines=(
            "🐾{pet_name}，{n}岁，性格超好",
            "每天回家第一件事就是吸{pet}",
            "今天又趁我不注意偷吃了一口",
            "睡觉一定要贴着我",
            "去医院体检一切正常，放心了",
            "新买的窝，它嫌弃了三天终于肯睡了",
            "喊名字会回头，聪明得很",
            "领养代替购买❤️",
        ),
        tags=(
            "萌宠",
            "猫咪",
            "狗狗",
            "铲屎官",
            "吸猫",
            "宠物日常",
        ),
        comments=(
            "太可爱了吧！！",
            "小猫咪叫什么名字🐱",
            "想摸",
            "好乖呀",
            "这个表情哈哈哈哈",
            "求更多照片",
        ),
    ),
    "en": Bank(
        titles=(
            ("{pet_name} has opinions today", "{pet_name}"),
            ("Adopted a {pet} in {city}!", "{pet}"),
            ("{pet_name} turns {n} today 🎂", "{pet_name}"),
            ("Morning routine, supervised by {pet_name}", "{pet_name}"),
            ("The {pet} tax 🐾", "{pet}"),
            ("{pet_name}'s vet visit, in Chinese: survived", "{pet_name}"),
            ("She sits like a loaf, I rest my case", "cat"),
        ),
        lines=(
            "🐾 {pet_name}, {n} years old, chaos gremlin",
            "Adopted from a local shelter ❤️",
            "She only drinks from the tap, obviously",
            "Learned that cats here say 喵 and mine agrees",
            "The neighbours' kids call him 小胖 and honestly fair",
            "He waits at the door every evening",
            "New bed: ignored for three days, now won't leave it",
        ),
        tags=(
            "catsofhaven",
            "dogsofhaven",
            "adoptdontshop",
            "petlife",
            "萌宠",
        ),
        comments=(
            "I love them",
            "Give them a kiss from me 🥹",
            "That face!!",
            "Protect at all costs",
            "Too cute",
        ),
    ),
}
