"""Search in a browser on a phone: 咖啡, coffee and kafei, a result, a trending topic and a place page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from haven.accounts.services import user_signup
from haven.feeds import trending
from haven.media.services import image_upload
from haven.notes.services import note_create
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"


def _photo(owner: Any, colour: str) -> int:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), colour).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "photo.jpg"
    return image_upload(owner=owner, file=buf).pk


@pytest.fixture
def world() -> dict[str, Any]:
    lin = user_signup(
        username="lin_cafe",
        email="lin@example.org",
        password=PASSWORD,
        display_name="林咖啡",
        languages=["zh"],
        interface_language="zh-hans",
    )
    emma = user_signup(
        username="emma_reads",
        email="emma@example.org",
        password=PASSWORD,
        display_name="Emma",
        languages=["en"],
        interface_language="en",
    )
    zh = note_create(
        author=lin,
        title="周末咖啡地图",
        body="老城区的三家咖啡店，手冲很好喝。#咖啡 #周末",
        image_ids=[_photo(lin, "#7a4a2c")],
        location_name="上海 · 老城咖啡馆",
    )
    en = note_create(
        author=emma,
        title="Coffee shops worth the walk",
        body="Three small coffee roasters I loved. #coffee",
        image_ids=[_photo(emma, "#c98b5a")],
        location_name="Shanghai",
    )
    more = [
        note_create(
            author=lin, title=f"咖啡拉花练习 {i}", body="今天的拉花 #咖啡", image_ids=[_photo(lin, "#e8d5c0")]
        )
        for i in range(3)
    ] + [
        note_create(
            author=emma, title="My first 咖啡 in Shanghai", body="#咖啡", image_ids=[_photo(emma, "#fff")]
        )
    ]
    trending.compute_trending()
    return {"zh": zh, "en": en, "more": more}


def test_search_from_a_phone(browser, live_server, world, shots) -> None:
    url = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{url}/")
    page.locator(".topbar-search-link").click()
    page.wait_for_url(f"{url}/search/")
    box = page.locator(".search-page-form input[name=q]")
    expect(box).to_be_focused()
    expect(page.locator(".search-home")).to_contain_text("#咖啡")  # trending

    box.fill("咖啡")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(f"a[href='/notes/{world['zh'].pk}/']").first).to_be_visible()
    assert_no_sideways_scroll(page, "search-zh-phone")
    page.screenshot(path=str(shots / "search-zh-phone.png"), full_page=True)

    box = page.locator(".search-page-form input[name=q]")
    box.fill("coffee")
    box.press("Enter")
    page.wait_for_url("**/search/?q=coffee")
    expect(page.locator(f"a[href='/notes/{world['en'].pk}/']").first).to_be_visible()

    # Pinyin: "kafei" suggests the topic while typing, and finds the Chinese notes.
    box = page.locator(".search-page-form input[name=q]")
    box.fill("")
    box.press_sequentially("kafei", delay=40)
    expect(page.locator(".suggest-list")).to_contain_text("咖啡")
    assert_no_sideways_scroll(page, "search-suggest-phone")
    page.screenshot(path=str(shots / "search-suggest-phone.png"))
    box.press("Enter")
    page.wait_for_url("**/search/?q=kafei")
    result = page.locator(f"a[href='/notes/{world['zh'].pk}/']").first
    expect(result).to_be_visible()
    page.locator("[data-tab=member]").click()
    expect(page.locator(".search-rows")).to_contain_text("@lin_cafe")
    page.go_back()
    page.locator(f"a[href='/notes/{world['zh'].pk}/']").first.click()
    page.wait_for_url(f"**/notes/{world['zh'].pk}/")
    expect(page.get_by_text("周末咖啡地图").first).to_be_visible()

    # Its place: the venue's page, then its city (Shanghai holds the English note too).
    page.locator("a.note-location").click()
    page.wait_for_url("**/feeds/place/**")
    expect(page.locator(f"a[href='/notes/{world['zh'].pk}/']").first).to_be_visible()
    assert_no_sideways_scroll(page, "place-venue-phone")
    page.screenshot(path=str(shots / "place-venue-phone.png"), full_page=True)
    page.goto(f"{url}/feeds/place/{world['zh'].place.parent_id}/")
    expect(page.locator(f"a[href='/notes/{world['en'].pk}/']").first).to_be_visible()
    expect(page.locator(f"a[href='/notes/{world['zh'].pk}/']").first).to_be_visible()

    # A trending topic from the search page.
    page.goto(f"{url}/search/")
    page.locator(".search-home ol a").first.click()
    page.wait_for_url("**/feeds/topic/**")
    expect(page.locator("h1")).to_contain_text("#")
    context.close()

    desktop = browser.new_context(**DESKTOP)
    page = desktop.new_page()
    page.goto(f"{url}/")
    top = page.locator(".topbar-search input[name=q]")
    top.press_sequentially("咖啡", delay=40)
    expect(page.locator(".topbar-search .suggest-list")).to_contain_text("咖啡")
    top.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.screenshot(path=str(shots / "search-zh-desktop.png"), full_page=True)
    desktop.close()
