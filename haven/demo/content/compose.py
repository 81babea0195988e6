"""Composing demo texts: notes (with the picture they show and, for bilingual authors, the author's
own translation), comments and replies."""

from __future__ import annotations

import random
from dataclasses import dataclass

from haven.demo.content.base import Persona
from haven.demo.content.bilingual import NOTES as BILINGUAL
from haven.demo.content.bilingual import Bilingual
from haven.demo.content.comments import (
    CLOSERS,
    COMMENTS,
    EMOJI_COMMENTS,
    GENERIC_TAGS,
    MENTION_LINES,
    MIXED_COMMENTS,
    MIXED_LINES,
    OPENERS,
    REPLIES,
)
from haven.demo.content.notes import BANKS
from haven.demo.content.pictures import alt_texts
from haven.demo.content.words import (
    CITIES,
    COMMENT_MAX,
    SLOTS,
    SPOTS,
    TITLE_MAX,
    fill,
    picture_of,
)

#: Topics whose notes usually carry a place (a city and neighbourhood), or sometimes just a city.
PLACE_TOPICS = frozenset({"food", "cafe", "travel", "photography"})
CITY_TOPICS = frozenset({"outfit", "fitness", "study", "crafts"})
#: The language code of an author's translation, by the language the note is written in.
TRANSLATION_LANGUAGE = {"zh": "en", "en": "zh-Hans"}


@dataclass(frozen=True)
class Translation:
    """The author's own translation of a note."""

    language: str
    title: str
    body: str


@dataclass(frozen=True)
class NoteText:
    title: str
    body: str
    location: str
    alt_texts: tuple[str, ...]
    #: What the note's pictures show: a key of haven.demo.paint.SUBJECTS, matching the title.
    picture: str
    translation: Translation | None = None


def _place(rng: random.Random, lang: str) -> tuple[int, dict[str, str]]:
    side = 0 if lang == "zh" else 1
    city_index = rng.randrange(len(CITIES))
    spot = rng.choice(SPOTS[city_index])[side]
    return city_index, {"city": CITIES[city_index][side], "spot": spot}


def compose_note(
    rng: random.Random,
    *,
    topic: str,
    lang: str,
    images: int,
    friend: str | None = None,
    mixed: bool = False,
    used_titles: set[str] | None = None,
) -> NoteText:
    """A RedNote-style note in `lang` ("zh" or "en"): emoji, short lines, hashtags, maybe an @mention.

    Its `picture` is what the title names (a "{dish}" title shows the dish that filled it), and the
    body's pictured slots agree with it. The city and neighbourhood named in the text agree with the
    note's location; titles already in `used_titles` are avoided where the bank allows.
    """
    bank = BANKS[topic][lang]
    _city, fixed = _place(rng, lang)
    fixed["place"] = rng.choice(SLOTS[lang]["place"])
    used = used_titles if used_titles is not None else set()
    # Each title template once before any comes back, and never the same finished title twice.
    titles = [t for t in bank.titles if f"{topic}:{lang}:{t[0]}" not in used] or list(bank.titles)
    template, picture = rng.choice(titles)
    for attempt in range(9):
        picture, slot_fixed = _resolve(rng, lang, picture, fixed)
        title = fill(template, lang, rng, slot_fixed, picture=picture)[:TITLE_MAX]
        if title not in used or attempt == 8:
            break
        template, picture = rng.choice(bank.titles)
    fixed = slot_fixed
    used.update({title, f"{topic}:{lang}:{template}"})
    parts: list[str] = []
    opener = rng.choice(OPENERS[lang])
    if opener:
        parts.append(opener)
    picked = rng.sample(bank.lines, k=rng.randint(2, min(5, len(bank.lines))))
    lines = [fill(line, lang, rng, fixed, picture=picture) for line in picked]
    if mixed:
        lines.insert(rng.randint(0, len(lines)), rng.choice(MIXED_LINES))
    parts.append("\n".join(lines))
    if friend:
        parts.append(rng.choice(MENTION_LINES[lang]).replace("{friend}", friend))
    if rng.random() < 0.8:
        parts.append(rng.choice(CLOSERS[lang]))
    tags = rng.sample(bank.tags, k=rng.randint(2, min(4, len(bank.tags))))
    if rng.random() < 0.4:
        tags.append(rng.choice(GENERIC_TAGS[lang]))
    parts.append(" ".join(f"#{tag}" for tag in dict.fromkeys(tags)))
    location = ""
    if "{place}" in template and "{city}" not in template:
        location = fixed["place"]
    elif topic in PLACE_TOPICS and rng.random() < 0.9:
        separator = "·" if lang == "zh" else " · "
        location = f"{fixed['city']}{separator}{fixed['spot']}" if rng.random() < 0.7 else fixed["city"]
    elif topic in CITY_TOPICS and rng.random() < 0.25:
        location = fixed["city"]
    return NoteText(
        title=title,
        body="\n\n".join(parts),
        location=location,
        alt_texts=_alts(rng, picture, lang, images),
        picture=picture,
    )


def _resolve(
    rng: random.Random, lang: str, picture: str, fixed: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """A title's picture as a subject: "{dish}" picks the dish now (fixed for the whole note)."""
    if not (picture.startswith("{") and picture.endswith("}")):
        return picture, fixed
    slot = picture[1:-1]
    value = fixed.get(slot) or rng.choice(SLOTS[lang][slot])
    subject = picture_of(slot, value, lang)
    if subject is None:  # a bank names a slot that shows nothing: a bug in the content
        raise ValueError(f"slot {slot!r} value {value!r} has no picture")
    return subject, {**fixed, slot: value}


def _alts(rng: random.Random, picture: str, lang: str, images: int) -> tuple[str, ...]:
    if rng.random() >= 0.7:
        return ()
    return tuple(rng.choice(alt_texts(picture, lang)) for _i in range(images))


def compose_bilingual(
    rng: random.Random,
    *,
    topic: str,
    lang: str,
    images: int,
    friend: str | None = None,
    used_titles: set[str] | None = None,
) -> NoteText:
    """A note by a bilingual member, in `lang`, carrying the author's own translation into the other.

    Falls back to `compose_note` (untranslated) only for a topic with no bilingual notes.
    """
    choices = [n for n in BILINGUAL if n.topic == topic]
    if not choices:
        return compose_note(
            rng, topic=topic, lang=lang, images=images, friend=friend, used_titles=used_titles
        )
    used = used_titles if used_titles is not None else set()
    fresh = [n for n in choices if f"bilingual:{n.en[0]}" not in used] or choices
    note = rng.choice(fresh)
    city_index, _fixed = _place(rng, "zh")
    spot_index = rng.randrange(len(SPOTS[city_index]))
    zh = _bilingual_text(note, "zh", city_index, spot_index, friend)
    en = _bilingual_text(note, "en", city_index, spot_index, friend)
    used.update({zh[0], en[0], f"bilingual:{note.en[0]}"})
    (title, body, location), (other_title, other_body, _other) = (zh, en) if lang == "zh" else (en, zh)
    return NoteText(
        title=title,
        body=body,
        location=location,
        alt_texts=_alts(rng, note.picture, lang, images),
        picture=note.picture,
        translation=Translation(language=TRANSLATION_LANGUAGE[lang], title=other_title, body=other_body),
    )


def _bilingual_text(
    note: Bilingual, lang: str, city_index: int, spot_index: int, friend: str | None
) -> tuple[str, str, str]:
    side = 0 if lang == "zh" else 1
    city, spot = CITIES[city_index][side], SPOTS[city_index][spot_index][side]
    title, body = note.text(lang)
    title = title.replace("{city}", city).replace("{spot}", spot)[:TITLE_MAX]
    body = body.replace("{city}", city).replace("{spot}", spot)
    if friend:  # the same thanks in both languages, before the hashtags
        text, _sep, tags = body.rpartition("\n\n")
        thanks = "谢谢 @{friend} 的推荐！" if lang == "zh" else "Thanks @{friend} for the tip!"
        body = f"{text}\n\n{thanks.replace('{friend}', friend)}\n\n{tags}"
    if note.place is not None:
        location = note.place[side]
    elif any("{spot}" in line for line in note.zh):
        location = f"{city}·{spot}" if lang == "zh" else f"{city} · {spot}"
    elif any("{city}" in line for line in note.zh):
        location = city
    else:
        location = ""
    return title, body, location


def compose_comment(rng: random.Random, *, topic: str, lang: str, avoid: set[str] | None = None) -> str:
    """A comment in `lang`, sometimes mixed Chinese/English or emoji only (not one of `avoid`)."""
    text = ""
    for _attempt in range(6):
        text = _comment(rng, topic=topic, lang=lang)
        if not avoid or text not in avoid:
            break
    return text


def _comment(rng: random.Random, *, topic: str, lang: str) -> str:
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(EMOJI_COMMENTS)
    if roll < 0.22:
        return rng.choice(MIXED_COMMENTS)
    pool = BANKS[topic][lang].comments if roll < 0.65 else COMMENTS[lang]
    text = fill(rng.choice(pool), lang, rng)
    if rng.random() < 0.25:
        text += rng.choice((" 😍", " 🥹", " ✨", " 🔥", "！", " 😂"))
    return text[:COMMENT_MAX]


def compose_reply(rng: random.Random, *, lang: str) -> str:
    """A short answer to a comment."""
    if rng.random() < 0.1:
        return rng.choice(EMOJI_COMMENTS)
    return fill(rng.choice(REPLIES[lang]), lang, rng)


def writing_language(rng: random.Random, persona: Persona) -> tuple[str, bool]:
    """Which language a member writes one text in, and whether to mix in the other one."""
    if persona.lang == "both":
        return ("zh" if rng.random() < 0.55 else "en"), rng.random() < 0.3
    return persona.lang, False
