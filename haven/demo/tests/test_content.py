"""Tests of the demo content: members, note banks, pictures that match titles, author translations."""

from __future__ import annotations

import random
import re

import pytest

from haven.accounts.models import USERNAME_RE
from haven.core.text import detect_language
from haven.demo import content, paint
from haven.demo.content.bilingual import NOTES as BILINGUAL
from haven.demo.content.words import PICTURED, SLOTS
from haven.notes.models import BODY_MAX, TITLE_MAX

LANGS = ("zh", "en")


def test_every_topic_has_content_and_pictures() -> None:
    assert set(content.TOPICS) == set(content.BANKS) == set(content.TOPIC_PICTURES)
    for banks in content.BANKS.values():
        assert set(banks) == {"zh", "en"}
    for subjects in content.TOPIC_PICTURES.values():
        assert set(subjects) <= set(paint.SUBJECTS)
    assert set(content.ALT_TEXTS) == set(paint.SUBJECTS)  # every picture can be described


@pytest.mark.parametrize("topic", content.TOPICS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_title_declares_a_picture_subject_that_exists(topic: str, lang: str) -> None:
    for template, picture in content.BANKS[topic][lang].titles:
        if picture.startswith("{"):
            slot = picture[1:-1]
            assert f"{{{slot}}}" in template, template  # it shows what the title names
            assert slot in PICTURED[lang], template
            assert {value for value, _s in PICTURED[lang][slot]} == set(SLOTS[lang][slot])
            subjects = {subject for _value, subject in PICTURED[lang][slot]}
        else:
            subjects = {picture}
        # never a topic-wide fallback such as "food": a named subject with its own painter
        assert subjects <= set(paint.SUBJECTS), template


def _named(title: str, lang: str) -> set[str]:
    """Picture subjects of the dishes, drinks, pets and crafts a title names (the longest match wins).

    Places are left out: a neighbourhood ("the Bund") can name a place in a citywalk title.
    """
    found = [
        (value, subject)
        for slot, pairs in PICTURED[lang].items()
        if slot != "place"
        for value, subject in pairs
        if value in title
    ]
    kept = [(v, s) for v, s in found if not any(v != w and v in w for w, _s in found)]
    return {subject for _v, subject in kept}


@pytest.mark.parametrize("topic", content.TOPICS)
@pytest.mark.parametrize("lang", LANGS)
def test_composed_notes_show_what_their_titles_say(topic: str, lang: str) -> None:
    rng = random.Random(f"pictures:{topic}:{lang}")
    for _i in range(60):
        text = content.compose_note(rng, topic=topic, lang=lang, images=2)
        assert text.picture in paint.SUBJECTS
        assert _named(text.title, lang) <= {text.picture}, (text.title, text.picture)
        for alt in text.alt_texts:
            assert alt in content.ALT_TEXTS[text.picture][0 if lang == "zh" else 1]


def test_claypot_rice_shows_claypot_rice_not_ramen() -> None:
    rng = random.Random(7)
    seen = 0
    for _i in range(400):
        text = content.compose_note(rng, topic="food", lang=rng.choice(LANGS), images=1)
        if "煲仔饭" in text.title or "claypot rice" in text.title:
            assert text.picture == "claypot_rice"
            seen += 1
    assert seen >= 5


@pytest.mark.parametrize("topic", content.TOPICS)
@pytest.mark.parametrize("lang", LANGS)
def test_composed_notes_and_comments_are_complete_and_bounded(topic: str, lang: str) -> None:
    rng = random.Random(f"{topic}{lang}")
    used: set[str] = set()
    for _i in range(15):
        text = content.compose_note(
            rng, topic=topic, lang=lang, images=3, friend="someone", mixed=True, used_titles=used
        )
        assert text.title and len(text.title) <= TITLE_MAX
        assert len(text.body) <= BODY_MAX and "#" in text.body and "@someone" in text.body
        assert "{" not in text.title + text.body + text.location
        assert len(text.alt_texts) in {0, 3}
        assert text.translation is None
        comment = content.compose_comment(rng, topic=topic, lang=lang)
        assert comment and "{" not in comment
        assert "{" not in content.compose_reply(rng, lang=lang)
    assert len(used) >= 10  # titles vary


def test_bilingual_notes_cover_every_topic_with_a_picture_and_both_languages() -> None:
    for topic in content.TOPICS:
        assert sum(n.topic == topic for n in BILINGUAL) >= 2, topic
    for note in BILINGUAL:
        assert note.picture in paint.SUBJECTS
        assert note.picture in content.TOPIC_PICTURES[note.topic]
        for side in (note.zh, note.en):
            assert len(side) >= 3 and side[-1].startswith("#")
        # only the city and neighbourhood are filled in, the same ones in both languages
        assert set(re.findall(r"\{\w+\}", "".join(note.zh + note.en))) <= {"{city}", "{spot}"}


@pytest.mark.parametrize("index", range(len(BILINGUAL)))
@pytest.mark.parametrize("lang", LANGS)
def test_bilingual_members_notes_carry_the_authors_translation(index: int, lang: str) -> None:
    note = BILINGUAL[index]
    rng = random.Random(index)
    used = {f"bilingual:{n.en[0]}" for n in BILINGUAL if n is not note}  # steer to this note
    text = content.compose_bilingual(
        rng, topic=note.topic, lang=lang, images=2, friend="buddy", used_titles=used
    )

    assert text.picture == note.picture
    assert text.translation is not None
    other = text.translation
    assert other.language == ("en" if lang == "zh" else "zh-Hans")
    for title, body in ((text.title, text.body), (other.title, other.body)):
        assert title and len(title) <= TITLE_MAX and len(body) <= BODY_MAX
        assert "{" not in title + body + text.location
        assert "@buddy" in body and "#" in body
    written, translated = detect_language(text.title + "\n" + text.body), detect_language(other.body)
    assert written.code.startswith("zh" if lang == "zh" else "en")
    assert translated.code.startswith("en" if lang == "zh" else "zh")


def test_personas_are_valid_members_in_both_languages() -> None:
    rng = random.Random(4)
    personas = [content.DEMO, *content.PERSONAS, *(content.generated_persona(rng, i) for i in range(60))]
    names = [p.username for p in personas]

    assert len(names) == len(set(names))
    for persona in personas:
        assert re.fullmatch(USERNAME_RE, persona.username)
        assert 0 < len(persona.display_name) <= 50 and len(persona.bio) <= 500
        assert set(persona.topics) <= set(content.TOPICS)
    langs = [p.lang for p in content.PERSONAS]
    assert langs.count("zh") >= 10 and langs.count("en") >= 10 and "both" in langs
    assert any(p.private for p in content.PERSONAS)
