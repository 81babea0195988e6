"""A small curated map of everyday topics and their counterpart hashtags in English and Chinese.

Onboarding shows a topic once, by the name in the member's interface language ("#coffee" to an English
reader, "#咖啡" to a Chinese one), and following it follows both hashtags, so the first feed already
mixes both language communities. Hashtags outside the map are shown as written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    """A curated topic: its English and Chinese hashtags (normalized, without '#') and an emoji."""

    en: str
    zh: str
    emoji: str

    @property
    def tags(self) -> tuple[str, str]:
        return (self.en, self.zh)


CURATED: tuple[Topic, ...] = (
    Topic("coffee", "咖啡", "☕"),
    Topic("food", "美食", "🍜"),
    Topic("cooking", "做饭", "🍳"),
    Topic("baking", "烘焙", "🥐"),
    Topic("tea", "茶", "🍵"),
    Topic("travel", "旅行", "✈️"),
    Topic("hiking", "徒步", "🥾"),
    Topic("camping", "露营", "🏕️"),
    Topic("citywalk", "城市漫步", "🚶"),
    Topic("outfit", "穿搭", "👗"),
    Topic("skincare", "护肤", "🧴"),
    Topic("makeup", "美妆", "💄"),
    Topic("fitness", "健身", "🏋️"),
    Topic("running", "跑步", "🏃"),
    Topic("yoga", "瑜伽", "🧘"),
    Topic("photography", "摄影", "📷"),
    Topic("books", "读书", "📚"),
    Topic("art", "绘画", "🎨"),
    Topic("music", "音乐", "🎧"),
    Topic("movies", "电影", "🎬"),
    Topic("cats", "猫", "🐱"),
    Topic("dogs", "狗", "🐶"),
    Topic("plants", "植物", "🪴"),
    Topic("homedecor", "家居", "🛋️"),
    Topic("crafts", "手工", "🧶"),
    Topic("gaming", "游戏", "🎮"),
    Topic("tech", "数码", "💻"),
    Topic("learnchinese", "学中文", "🀄"),
    Topic("learnenglish", "学英语", "🔤"),
)

_BY_TAG: dict[str, Topic] = {tag: topic for topic in CURATED for tag in topic.tags}

# Hashtags a newcomer may use to say hello (onboarding's last step), English and Chinese.
HELLO_TAGS: tuple[str, ...] = ("newhere", "新人报到", "hello", "tiktokrefugee")


def curated(tag: str) -> Topic | None:
    """The curated topic that `tag` (a normalized hashtag name) belongs to, if any."""
    return _BY_TAG.get(tag)


def key_of(tag: str) -> str:
    """The one name a topic is chosen by: the English tag of a curated topic, else the tag itself."""
    topic = _BY_TAG.get(tag)
    return topic.en if topic else tag


def tags_of(key: str) -> tuple[str, ...]:
    """Every hashtag that choosing `key` follows: both names of a curated topic, else just `key`."""
    topic = _BY_TAG.get(key)
    return topic.tags if topic else (key,)


def label(key: str, interface_language: str) -> str:
    """The name to show for topic `key` in the interface language ("zh-hans" shows the Chinese tag)."""
    topic = _BY_TAG.get(key)
    if topic is None:
        return key
    return topic.zh if interface_language.lower().startswith("zh") else topic.en


def other_label(key: str, interface_language: str) -> str:
    """The topic's name in the other language ("" for a hashtag outside the map)."""
    topic = _BY_TAG.get(key)
    if topic is None:
        return ""
    return topic.en if interface_language.lower().startswith("zh") else topic.zh
