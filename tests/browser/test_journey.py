"""The core loop in a real browser: sign up, post two photos, discover, like/save/comment, get notified."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.accounts.services import user_signup
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"


def _photo(path: Path, colors: tuple[str, str], size: tuple[int, int]) -> Path:
    img = Image.new("RGB", size, colors[0])
    draw = ImageDraw.Draw(img)
    draw.ellipse((size[0] // 5, size[1] // 4, size[0] * 4 // 5, size[1] * 3 // 4), fill=colors[1])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    path.write_bytes(buf.getvalue())
    return path


def test_sign_up_post_discover_engage_and_get_notified(browser, live_server, tmp_path, shots):
    url = live_server.url
    reader = user_signup(
        username="reader_mei", email="mei@example.org", password=PASSWORD, display_name="Mei 小美"
    )
    photos = [
        _photo(tmp_path / "a.jpg", ("#f6d5c4", "#e0714f"), (900, 1200)),
        _photo(tmp_path / "b.jpg", ("#cfe3f3", "#3b7bb8"), (1200, 900)),
    ]

    author = browser.new_context(**PHONE)
    page = author.new_page()
    # 1. Sign up.
    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Username", exact=True).fill("lin_author")
    page.get_by_label("Display name").fill("Lin 林")
    page.get_by_label("Email").fill("lin@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{url}/welcome/languages/")  # sign-up lands on onboarding; Lin skips it
    page.get_by_role("button", name="Skip").click()
    page.wait_for_url(f"{url}/")
    assert_no_sideways_scroll(page, "signed-up-phone")
    page.screenshot(path=str(shots / "signed-up-phone.png"))

    # 2. Post a note with two photos.
    page.goto(f"{url}/notes/new/")
    page.set_input_files("#photo-input", [str(p) for p in photos])
    expect(page.locator('.upload[data-state="ready"]')).to_have_count(2, timeout=30_000)
    page.locator("input[name=title]").fill("Weekend citywalk 周末散步")
    page.locator("textarea[name=body]").fill("Two favourite corners of the old town. #citywalk #周末")
    assert_no_sideways_scroll(page, "composer-phone")
    page.screenshot(path=str(shots / "composer-phone.png"), full_page=True)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r".*/notes/\d+/$"))
    note_path = re.search(r"/notes/\d+/", page.url).group(0)
    assert page.locator(".carousel-slide img").count() == 2
    assert_no_sideways_scroll(page, "note-phone")
    page.screenshot(path=str(shots / "note-phone.png"))

    # 3. It appears on the author's profile; their own Discover leaves it out (it is for others).
    page.goto(f"{url}/")
    assert page.locator(f'.card a[href="{note_path}"]').count() == 0
    assert_no_sideways_scroll(page, "discover-phone")
    page.screenshot(path=str(shots / "discover-phone.png"))
    page.goto(f"{url}/@lin_author/")
    assert page.locator(f'.card a[href="{note_path}"]').count() >= 1

    # 4. Another member likes, saves and comments (on a desktop).
    other = browser.new_context(**DESKTOP)
    page2 = other.new_page()
    page2.goto(f"{url}/accounts/login/")
    page2.get_by_label("Username or email").fill(reader.username)
    page2.get_by_label("Password", exact=True).fill(PASSWORD)
    page2.get_by_role("button", name="Log in", exact=True).click()
    page2.wait_for_url(f"{url}/")
    page2.screenshot(path=str(shots / "discover-desktop.png"))
    page2.goto(f"{url}{note_path}")
    page2.locator(".bar-like").click()
    page2.wait_for_selector('.bar-like[aria-pressed="true"]')
    page2.locator(".bar-save").click()
    page2.wait_for_selector('.bar-save[aria-pressed="true"]')
    page2.locator("#comment-input").fill("Lovely light! 好美的光线")
    page2.get_by_role("button", name="Send").click()
    page2.wait_for_selector(".comment-body:has-text('Lovely light!')")
    page2.screenshot(path=str(shots / "note-desktop.png"))

    # 5. The author sees the notifications.
    page.goto(f"{url}/notifications/")
    inbox = page.locator("main").inner_text()
    assert "Mei" in inbox
    assert re.search(r"liked your note", inbox), inbox
    assert re.search(r"commented", inbox), inbox
    assert_no_sideways_scroll(page, "inbox-phone")
    page.screenshot(path=str(shots / "inbox-phone.png"))
    author.close()
    other.close()
