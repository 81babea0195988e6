"""Across languages in a browser: translate a Chinese note and comment, side by side, pinyin, glosses."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.accounts.services import user_signup
from haven.engagement.services import comment_create
from haven.media.services import image_upload
from haven.notes.services import note_create
from haven.translation import aids
from haven.translation.models import VocabularyEntry
from haven.translation.tests.conftest import FakeServer, provider
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"

TITLE = "周末咖啡地图"
BODY = "周末去了老城区的三家咖啡店。第一家的手冲很好喝，环境也安静。#咖啡 #周末"
COMMENT = "这家店在哪里？我也想去！"
ENGLISH = {
    TITLE: "Weekend coffee map",
    BODY: "At the weekend I visited three coffee shops in the old town. The pour-over at the first one "
    "was delicious, and it was quiet too. #coffee #weekend",
    COMMENT: "Where is this shop? <script>alert('x')</script>I want to go too!",
}


def _fake_libretranslate(body: dict[str, Any]) -> tuple[int, bytes]:
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    out = [ENGLISH.get(t.strip(), f"[{body['target']}] {t}") for t in texts]
    return 200, json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}).encode()


def _photo() -> io.BytesIO:
    img = Image.new("RGB", (900, 1200), "#f3e2d3")
    draw = ImageDraw.Draw(img)
    draw.ellipse((220, 380, 680, 840), fill="#7a4a2c")
    draw.ellipse((300, 460, 600, 760), fill="#c98b5a")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    buf.seek(0)
    buf.name = "coffee.jpg"
    return buf


def _login(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{url}/")
    return page


@pytest.fixture
def world() -> dict[str, Any]:
    author = user_signup(
        username="lin_cafe",
        email="lin@example.org",
        password=PASSWORD,
        display_name="林 Lin",
        languages=["zh"],
        interface_language="zh-hans",
    )
    friend = user_signup(
        username="xiao_wang", email="wang@example.org", password=PASSWORD, display_name="小王"
    )
    reader = user_signup(
        username="emma_reads",
        email="emma@example.org",
        password=PASSWORD,
        display_name="Emma",
        languages=["en"],
        interface_language="en",
    )
    image = image_upload(owner=author, file=_photo())
    note = note_create(
        author=author, title=TITLE, body=BODY, image_ids=[image.pk], alt_texts=["咖啡"], publish=True
    )
    comment = comment_create(author=friend, note_id=note.pk, body=COMMENT)
    return {"note": note, "comment": comment, "reader": reader}


def test_english_reader_translates_a_chinese_note_and_comment(browser, live_server, settings, world, shots):
    server = FakeServer(_fake_libretranslate)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url)]
    url, note, comment = live_server.url, world["note"], world["comment"]
    try:
        context = browser.new_context(**DESKTOP)
        page = _login(context, url, "emma_reads")
        page.goto(f"{url}/notes/{note.pk}/")
        note_box = page.locator(f"#tr-note-{note.pk}")
        comment_box = page.locator(f"#tr-c-{comment.pk}")
        expect(note_box.get_by_role("link", name="Translate")).to_be_visible()
        expect(comment_box.get_by_role("link", name="Translate")).to_be_visible()

        note_box.get_by_role("link", name="Translate").click()
        note_box = page.locator(f"#tr-note-{note.pk}")
        expect(note_box).to_have_attribute("data-mode", "translated")
        expect(note_box).to_contain_text("Weekend coffee map")
        expect(note_box).to_contain_text("Translated by libretranslate")
        expect(page.locator(".note-content > .note-body")).to_be_hidden()

        comment_box.get_by_role("link", name="Translate").click()
        comment_box = page.locator(f"#tr-c-{comment.pk}")
        expect(comment_box).to_have_attribute("data-mode", "translated")
        expect(comment_box).to_contain_text("Where is this shop?")
        expect(comment_box).to_contain_text(
            "I want to go too!"
        )  # the provider's markup is dropped, never run
        assert page.locator(f"#tr-c-{comment.pk} script").count() == 0
        page.screenshot(path=str(shots / "translated-desktop.png"))

        note_box.get_by_role("link", name="Show original").click()
        expect(page.locator(f"#tr-note-{note.pk}")).to_have_attribute("data-mode", "original")
        expect(page.locator(".note-content > .note-body")).to_be_visible()

        page.locator(f"#tr-note-{note.pk}").get_by_role("link", name="Side by side").click()
        expect(page.locator(".tr-side .tr-col")).to_have_count(2)
        expect(page.locator(".tr-side")).to_contain_text("Weekend coffee map")
        page.screenshot(path=str(shots / "side-by-side-desktop.png"))
        context.close()
    finally:
        server.close()


def test_without_a_provider_no_translate_button_but_labelled_dictionary_glosses(
    browser, live_server, settings, world, shots
):
    settings.TRANSLATION_PROVIDERS = []
    aids.warm_up()  # the segmenter and dictionary load once per process (a few seconds)
    url, note, comment = live_server.url, world["note"], world["comment"]
    context = browser.new_context(**PHONE)
    page = _login(context, url, "emma_reads")
    page.goto(f"{url}/notes/{note.pk}/")
    box = page.locator(f"#tr-note-{note.pk}")
    expect(box.get_by_role("link", name="Pinyin")).to_be_visible()
    expect(page.get_by_role("link", name="Translate", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Side by side")).to_have_count(0)
    expect(
        page.locator(f"#tr-c-{comment.pk}").get_by_role("link", name="Word-by-word glosses")
    ).to_be_visible()

    box.get_by_role("link", name="Word-by-word glosses").click()
    box = page.locator(f"#tr-note-{note.pk}")
    expect(box).to_have_attribute("data-mode", "glosses", timeout=20_000)
    expect(box.locator(".tr-credit")).to_contain_text("Word-by-word glosses (dictionary)")
    expect(box.locator(".tr-credit")).to_contain_text("not a translation")
    coffee = box.locator(".note-title .wg", has=page.locator(".w", has_text=re.compile(r"^咖啡$"))).first
    expect(coffee.locator(".wg-en")).to_have_text("coffee")
    expect(coffee.locator(".wg-py")).to_be_visible()
    expect(page.locator(".tr-error")).to_have_count(0)
    expect(page.locator(".note-content > .note-body")).to_be_hidden()  # the glosses carry the words
    box.scroll_into_view_if_needed()
    assert_no_sideways_scroll(page, "glosses-phone")
    page.screenshot(path=str(shots / "glosses-phone.png"))
    context.close()


def test_staff_add_a_provider_in_the_admin_and_test_it(browser, live_server, settings, world, shots):
    from haven.accounts.models import User

    settings.TRANSLATION_PROVIDERS = []
    server = FakeServer(_fake_libretranslate)
    staff = user_signup(username="operator", email="op@example.org", password=PASSWORD, display_name="Op")
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    url, note = live_server.url, world["note"]
    try:
        context = browser.new_context(**DESKTOP)
        page = context.new_page()
        page.goto(f"{url}/admin/login/?next=/admin/translation/providerconfig/add/")
        page.fill("#id_username", "operator")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Log in", exact=True).click()
        page.wait_for_url(re.compile(r".*/providerconfig/add/$"))
        page.fill("#id_name", "lt-local")
        page.select_option("#id_kind", "libretranslate")
        page.fill("#id_endpoint_url", server.url)
        page.fill("#id_api_key", "sk-browser-secret-9876")
        page.fill("#id_pairs", "zh-en, en-zh")
        page.check("#id_trusted_local")
        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.get_by_role("button", name="Test this provider")).to_be_visible()
        assert "sk-browser-secret-9876" not in page.content()
        page.get_by_role("button", name="Test this provider").click()
        success = page.locator(".messagelist .success")
        expect(success).to_contain_text("Test passed")
        expect(success).to_contain_text(re.compile(r"\d+ ms"))
        expect(success).to_contain_text("[en]")
        page.screenshot(path=str(shots / "admin-provider-test.png"), full_page=True)
        assert server.requests[-1]["api_key"] == "sk-browser-secret-9876"

        reader = _login(browser.new_context(**DESKTOP), url, "emma_reads")
        reader.goto(f"{url}/notes/{note.pk}/")  # no restart: the new provider serves at once
        note_box = reader.locator(f"#tr-note-{note.pk}")
        note_box.get_by_role("link", name="Translate").click()
        expect(reader.locator(f"#tr-note-{note.pk}")).to_contain_text("Weekend coffee map")
        expect(reader.locator(f"#tr-note-{note.pk}")).to_contain_text("Translated by lt-local")
        context.close()
    finally:
        server.close()


def test_pinyin_gloss_and_save_word_on_a_phone(browser, live_server, settings, world, shots):
    settings.TRANSLATION_PROVIDERS = []
    aids.warm_up()  # the segmenter and dictionary load once per process (a few seconds)
    url, note, reader = live_server.url, world["note"], world["reader"]
    context = browser.new_context(**PHONE)
    page = _login(context, url, "emma_reads")
    page.goto(f"{url}/notes/{note.pk}/")
    page.locator(f"#tr-note-{note.pk}").get_by_role("link", name="Pinyin").click()
    box = page.locator(f"#tr-note-{note.pk}")
    expect(box).to_have_attribute("data-mode", "pinyin", timeout=20_000)
    expect(box.locator("rt").first).to_be_visible()
    box.scroll_into_view_if_needed()
    assert_no_sideways_scroll(page, "pinyin-phone")
    page.screenshot(path=str(shots / "pinyin-phone.png"))

    word = box.locator(".note-body .w", has_text=re.compile(r"^安\W*ān\W*静")).first
    word.tap()
    pop = page.locator(".tr-pop")
    expect(pop).to_be_visible()
    expect(pop.locator(".gloss-pinyin")).to_have_text("ān jìng")
    expect(pop).to_contain_text("quiet")
    assert_no_sideways_scroll(page, "gloss-phone")
    page.screenshot(path=str(shots / "gloss-phone.png"))
    pop.get_by_role("button", name="Save word").tap()
    expect(pop.locator(".gloss-saved")).to_contain_text("Saved")
    entry = VocabularyEntry.objects.get(user=reader, word="安静")
    assert entry.note_id == note.pk and "环境也安静" in entry.context

    page.goto(f"{url}/translation/words/")
    expect(page.locator(".vocab-item")).to_have_count(1)
    expect(page.locator(".vocab-item")).to_contain_text("ān jìng")
    assert_no_sideways_scroll(page, "words-phone")
    page.screenshot(path=str(shots / "words-phone.png"), full_page=True)
    context.close()
