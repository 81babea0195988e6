"""A newcomer's first hour in a real browser, on a phone (issues 13 and 15): onboarding, then a first
Discover built from it.

A small world of photo notes in English and Chinese across everyday topics (#coffee/#咖啡, #hiking/#徒步,
#cooking/#做饭, #skincare, #gaming, #books); the notes outside the newcomer's topics are the most liked,
so a feed that ignored the choices would show them first. Kai signs up on his phone, reads English
and learns Chinese, tries to go on with two topics (a clear message asks for three), picks coffee,
hiking and cooking, follows a suggested person in one tap, reads the translation and pinyin tour and
goes to Discover. There most of the first page is about his topics and at least one card is in
Chinese; every card's "⋯" menu says why it is shown, and "Not interested in #hiking" on a hiking card
takes hiking out of the page after a reload.

The Chinese in names and bios uses only characters of Haven's CJK webfont subset. A docs run
(HAVEN_SCREENSHOT_DIR set) refreshes docs/screenshots/onboarding-*.png (phone 390x844, desktop 1280x800).
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.media.services import image_upload
from haven.notes.models import Note
from haven.notes.services import note_create
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a sturdy passphrase 9"

# topic -> (English tag, Chinese tag or "", colours of its photos, likes of its notes)
TOPICS: dict[str, tuple[str, str, tuple[str, str], int]] = {
    "coffee": ("coffee", "咖啡", ("#6f4e37", "#e8d5b9"), 5),
    "hiking": ("hiking", "徒步", ("#3f7d4e", "#cfe8d4"), 5),
    "cooking": ("cooking", "做饭", ("#d9822b", "#fbe3c4"), 5),
    "skincare": ("skincare", "", ("#e9a6b6", "#fff0f3"), 40),
    "gaming": ("gaming", "", ("#4b3f8f", "#d8d3f5"), 40),
    "books": ("books", "", ("#2f5d8a", "#dfe9f5"), 40),
}
CHOSEN = ("coffee", "hiking", "cooking")
# The screenshots a docs run copies to docs/screenshots.
DOCS = {
    "onboarding-languages-phone",
    "onboarding-interests-phone",
    "onboarding-people-phone",
    "onboarding-hello-phone",
    "onboarding-interests-desktop",
}


def _photo(colours: tuple[str, str], seed: int) -> io.BytesIO:
    img = Image.new("RGB", (480, 600), colours[1])
    draw = ImageDraw.Draw(img)
    r = 120 + (seed % 3) * 30
    cx, cy = 140 + (seed * 53) % 200, 200 + (seed * 31) % 200
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours[0])
    draw.rectangle((0, 520, 480, 600), fill=colours[0])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82)
    buf.seek(0)
    buf.name = "photo.jpg"
    return buf


def _world() -> dict[int, tuple[str, str]]:
    """Notes by English and Chinese writers; returns note id -> (topic, language)."""
    en = [
        UserFactory(username=f"{name.lower()}_en", display_name=name, bio=bio, languages=["en"])
        for name, bio in [
            ("Ava", "Flat whites and long walks."),
            ("Ben", "Weekend trails, weekday recipes."),
            ("Cleo", "Home cook. Slow Sundays."),
            ("Dan", "Photos of small good things."),
        ]
    ]
    zh = [
        UserFactory(
            username=f"zh_{i}", display_name=name, bio=bio, languages=["zh"], interface_language="zh-hans"
        )
        for i, (name, bio) in enumerate(
            [("小美", "上海 · 喜欢分享日常生活"), ("阿明", "成都 · 周末记录"), ("小周", "今天的早餐和心情")]
        )
    ]
    notes: dict[int, tuple[str, str]] = {}
    seed = 0
    for topic, (en_tag, zh_tag, colours, likes) in TOPICS.items():
        for i in range(4):
            seed += 1
            author = en[i % len(en)]
            image = image_upload(owner=author, file=_photo(colours, seed))
            note = note_create(
                author=author,
                title=f"{en_tag.title()} moments {i + 1}",
                body=f"A little {en_tag} story from this week. #{en_tag}",
                image_ids=[image.pk],
            )
            Note.objects.filter(pk=note.pk).update(language="en", like_count=likes + i)
            notes[note.pk] = (topic, "en")
        if zh_tag:
            for i in range(3):
                seed += 1
                author = zh[i % len(zh)]
                image = image_upload(owner=author, file=_photo(colours, seed))
                note = note_create(
                    author=author,
                    title=f"周末的日常 {i + 1}",
                    body=f"今天的生活记录，和大家分享。#{zh_tag}",
                    image_ids=[image.pk],
                )
                Note.objects.filter(pk=note.pk).update(language="zh", like_count=likes + i)
                notes[note.pk] = (topic, "zh")
    return notes


def _look(page: Any, shots: Path, name: str) -> None:
    """No sideways scrolling; a screenshot of the screen (docs runs copy those in DOCS to docs/)."""
    page.wait_for_load_state("load")
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(1, 1)  # no hover state left on the last button tapped
    page.wait_for_timeout(150)
    page.evaluate("document.fonts.ready.then(() => true)")
    assert_no_sideways_scroll(page, name)
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(shots / f"{name}-full.png"), full_page=True)
    if os.environ.get("HAVEN_SCREENSHOT_DIR") and name in DOCS:
        target = ROOT / "docs" / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _card_ids(page: Any) -> list[int]:
    return [
        int(i)
        for i in page.locator("article.card[data-note-id]").evaluate_all(
            "(cards) => cards.map((c) => c.dataset.noteId)"
        )
    ]


def test_a_newcomer_onboards_and_the_first_discover_reflects_the_choices(
    browser: Any, live_server: Any, shots: Path
) -> None:
    notes = _world()
    url = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()

    # 1. Sign up: lands on the first step, languages, with English read (from sign-up).
    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Username", exact=True).fill("kai_new")
    page.get_by_label("Display name").fill("Kai")
    page.get_by_label("Email").fill("kai@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.locator("input[name=languages][value=en]").check(force=True)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{url}/welcome/languages/")
    expect(page.get_by_role("heading", name="Which languages are yours?")).to_be_visible()
    expect(page.locator("#id_reads_0")).to_be_checked()  # English, from sign-up
    page.locator("label[for=id_learning_1]").click()  # learning 中文
    expect(page.locator("#id_learning_1")).to_be_checked()
    _look(page, shots, "onboarding-languages-phone")
    page.get_by_role("button", name="Continue").click()

    # 2. Interests: photo tiles; two are not enough, three are.
    page.wait_for_url(f"{url}/welcome/interests/")
    for key in CHOSEN[:2]:
        page.locator(f"label.ob-topic[data-topic={key}]").click()
    expect(page.locator("[data-ob-count]")).to_have_text("2")
    expect(page.locator("label.ob-topic[data-topic=coffee] img")).to_be_visible()  # a cover photo
    expect(page.locator("label.ob-topic[data-topic=coffee]")).to_contain_text("#coffee")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".ob-error")).to_contain_text("Pick at least 3 topics")
    page.locator(f"label.ob-topic[data-topic={CHOSEN[2]}]").click()
    expect(page.locator("[data-ob-count]")).to_have_text("3")
    _look(page, shots, "onboarding-interests-phone")
    page.get_by_role("button", name="Continue").click()

    # 3. People: from the topics, with a few across the language bridge; follow one in a tap.
    page.wait_for_url(f"{url}/welcome/people/")
    people = page.locator("li.ob-person")
    expect(people.first).to_be_visible()
    expect(page.locator(".ob-bridge li.ob-person").first).to_be_visible()
    people.first.get_by_role("button", name="Follow").click()
    expect(people.first.locator("button.is-following")).to_be_visible()
    _look(page, shots, "onboarding-people-phone")
    page.get_by_role("button", name="Continue").click()

    # 4. Say hello, the tour, then Discover.
    page.wait_for_url(f"{url}/welcome/hello/")
    expect(page.get_by_role("button", name="#newhere")).to_be_visible()
    expect(page.get_by_role("heading", name="Pinyin")).to_be_visible()
    _look(page, shots, "onboarding-hello-phone")
    page.get_by_role("button", name="Go to Discover").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/welcome/")  # finished: never sent back
    page.wait_for_url(f"{url}/")

    # 5. The first Discover reflects the choices: mostly the chosen topics, some Chinese.
    expect(page.locator("article.card[data-note-id]").first).to_be_visible()
    _look(page, shots, "onboarding-discover-phone")
    first_page = _card_ids(page)
    in_topics = [i for i in first_page if notes.get(i, ("", ""))[0] in CHOSEN]
    assert len(in_topics) * 2 > len(first_page), (
        f"{len(in_topics)} of {len(first_page)} cards are about {CHOSEN}: "
        f"{[notes.get(i) for i in first_page]}"
    )
    assert any(notes.get(i, ("", ""))[1] == "zh" for i in first_page), "no card in Chinese on the first page"

    # 6. Every card's "⋯" menu says why it is shown.
    first = page.locator("article.card[data-note-id]").first
    first.locator("details.card-menu > summary").click()
    expect(first.locator(".card-why")).to_be_visible()
    assert first.locator(".card-why").inner_text().strip()
    assert page.locator("article.card[data-note-id] details.card-menu").count() == len(first_page)
    first.locator("details.card-menu > summary").click()

    # 7. "Not interested in #hiking" on a hiking card: hiking is gone from the page after a reload.
    hiking = [i for i in first_page if notes.get(i, ("", ""))[0] == "hiking" and notes[i][1] == "en"]
    assert hiking, "no English hiking card on the first page to dismiss the topic from"
    card = page.locator(f"article.card[data-note-id='{hiking[0]}']")
    card.locator("details.card-menu > summary").click()
    button = card.locator('button[data-not-interested="topic"]')
    expect(button).to_contain_text("#hiking")
    button.click()
    page.wait_for_timeout(300)
    page.reload()
    expect(page.locator("article.card[data-note-id]").first).to_be_visible()
    after = _card_ids(page)
    assert not [i for i in after if notes.get(i, ("", ""))[0] == "hiking" and notes[i][1] == "en"], (
        "#hiking notes are still on the page after 'Not interested in #hiking'"
    )
    context.close()


def test_onboarding_pages_on_a_desktop(browser: Any, live_server: Any, shots: Path) -> None:
    _world()
    UserFactory(username="desk_member", languages=["en"], learning_languages=["zh"])
    url = live_server.url
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/welcome/")
    page.get_by_label("Username or email").fill("desk_member")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{url}/welcome/languages/")
    _look(page, shots, "onboarding-languages-desktop")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/welcome/interests/")
    for key in CHOSEN:
        page.locator(f"label.ob-topic[data-topic={key}]").click()
    _look(page, shots, "onboarding-interests-desktop")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/welcome/people/")
    _look(page, shots, "onboarding-people-desktop")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/welcome/hello/")
    _look(page, shots, "onboarding-hello-desktop")
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url(f"{url}/")
    context.close()
