"""Trending topics and place pages in headless Chromium, on a phone and a desktop: open a trending topic
from Discover, follow a note's place chip to its venue and city, and choose a city for Near me."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.feeds.trending import compute_trending
from haven.media.services import image_upload
from haven.notes import places
from haven.notes.services import note_create
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg(colour: str) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), colour).save(buf, "JPEG", quality=80)
    buf.seek(0)
    buf.name = "photo.jpg"
    return buf


def _world() -> None:
    authors = [UserFactory(username=f"walker{i}") for i in range(3)]
    spots = ["上海 · 武康路", "Manner Coffee, Shanghai", "上海"]
    for i, author in enumerate(authors):
        image = image_upload(owner=author, file=_jpeg(["#c0603a", "#3a7ac0", "#6ac03a"][i]))
        note_create(
            author=author,
            title=f"梧桐树下 walk {i}",
            body="秋天的武康路 Plane trees in autumn #citywalk",
            image_ids=[image.pk],
            location_name=spots[i],
        )
    compute_trending()
    places.places_refresh()


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_trending_topic_place_pages_and_near_me(
    browser: Any, live_server: Any, shots: Path, device: dict
) -> None:
    _world()
    UserFactory(username="visitor")
    url = live_server.url
    context = browser.new_context(**device)
    page = context.new_page()
    name = "phone" if device is PHONE else "desktop"

    page.goto(f"{url}/")
    strip = page.locator("section.trending-strip")
    expect(strip.get_by_role("link", name="#citywalk")).to_be_visible()
    page.screenshot(path=str(shots / f"discover-trending-{name}.png"))
    strip.get_by_role("link", name="See all").click()
    expect(page.get_by_role("heading", name="Trending topics")).to_be_visible()
    page.screenshot(path=str(shots / f"trending-{name}.png"))
    page.get_by_role("link", name="#citywalk").click()
    expect(page.get_by_role("heading", name="#citywalk")).to_be_visible()

    page.locator("article.card a.card-cover").first.click()
    page.locator("a.note-location").click()
    expect(page.locator(".topic-head h1")).to_be_visible()
    page.screenshot(path=str(shots / f"place-{name}.png"))
    if page.locator(".topic-head h1").inner_text() != "上海":
        page.locator(".topic-head p a").first.click()  # a venue links its city
    expect(page.locator(".topic-head h1")).to_have_text("上海")
    expect(page.locator("nav.chips-row").get_by_role("link", name="武康路")).to_be_visible()
    expect(page.locator("article.card")).to_have_count(3)

    page.goto(f"{url}/accounts/login/?next=/feeds/places/near/")
    page.get_by_label("Username or email").fill("visitor")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Choose your city")).to_be_visible()
    page.get_by_role("searchbox", name="City").fill("shang")
    results = page.locator("#city-results")
    expect(results.get_by_role("link", name="上海")).to_be_visible()
    page.screenshot(path=str(shots / f"near-picker-{name}.png"))
    results.get_by_role("button", name="Choose").click()
    expect(page.locator("article.card")).to_have_count(3)
    page.screenshot(path=str(shots / f"near-{name}.png"))
    assert_no_sideways_scroll(page, f"Near me ({name})")
    context.close()
