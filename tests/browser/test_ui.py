"""Rough edges in headless Chromium: settings tabs on a phone, failed uploads, dark mode, CJK font."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.media.services import image_upload
from haven.notes.services import note_create
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SETTINGS_PAGES = [
    "accounts:settings",
    "translation:preferences",
    "translation:vocabulary",
    "accounts:password",
    "accounts:tokens",
    "accounts:security",
    "graph:blocked",
    "messaging:settings",
    "moderation:mine",
    "recommend:settings",
    "people:settings",
    "imports:index",
    "privacy:center",
]


def _jpeg(name: str = "photo.jpg", colour: str = "#d98c5f") -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), colour).save(buf, "JPEG", quality=80)
    buf.seek(0)
    buf.name = name
    return buf


def _login(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{url}/")
    return page


def test_every_settings_tab_is_reachable_on_a_phone(browser: Any, live_server: Any, shots: Path) -> None:
    UserFactory(username="tabby")
    url = live_server.url
    context = browser.new_context(**PHONE)
    page = _login(context, url, "tabby")
    for name in SETTINGS_PAGES:
        path = reverse(name)
        page.goto(f"{url}{path}")
        tabs = page.locator("nav.settings-tabs a")
        expect(tabs).to_have_count(len(SETTINGS_PAGES))
        expect(page.locator("nav.settings-tabs a[aria-current=page]")).to_have_attribute("href", path)
        # The strip wraps: every tab is on screen at once, nothing hidden past the edge.
        overflow = page.eval_on_selector("nav.settings-tabs", "n => n.scrollWidth - n.clientWidth")
        assert overflow <= 1, (path, overflow)
        assert_no_sideways_scroll(page, path)
        for i in range(len(SETTINGS_PAGES)):
            tab = tabs.nth(i)
            expect(tab).to_be_visible()
            box = tab.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (path, tab.inner_text(), box)
            # Nothing covers it: the element at its centre is the tab itself.
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)"
                "?.closest('nav.settings-tabs a')?.getAttribute('href')",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
            )
            assert hit == reverse(SETTINGS_PAGES[i]), (path, i, hit)
    page.goto(f"{url}{reverse('translation:preferences')}")
    page.screenshot(path=str(shots / "settings-tabs-phone.png"))
    context.close()


def test_a_failed_upload_is_marked_offers_retry_and_remove_and_is_not_counted(
    browser: Any, live_server: Any, shots: Path, tmp_path: Path
) -> None:
    UserFactory(username="snapper")
    url = live_server.url
    good = tmp_path / "good.jpg"
    good.write_bytes(_jpeg().getvalue())
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG " * 40)
    context = browser.new_context(**PHONE)
    page = _login(context, url, "snapper")
    page.goto(f"{url}/notes/new/")
    count = page.locator("[data-image-count]")
    expect(count).to_have_text("0")

    page.set_input_files("#photo-input", [str(good), str(corrupt)])
    tiles = page.locator("li.upload")
    expect(tiles).to_have_count(2)
    failed = page.locator("li.upload[data-state=error], li.upload[data-state=failed]")
    expect(failed).to_have_count(1)
    expect(page.locator("li.upload[data-state=ready], li.upload[data-state=processing]")).to_have_count(1)
    expect(count).to_have_text("1")  # the failed photo does not count toward the limit
    # No broken image: a failed tile shows no picture that could not be decoded.
    broken = failed.evaluate(
        "li => [...li.querySelectorAll('img')].filter(i => i.complete && !i.naturalWidth).length"
    )
    assert broken == 0
    expect(failed.locator(".thumb-state")).to_be_visible()
    expect(failed.get_by_role("button", name="Remove photo 2")).to_be_visible()
    page.screenshot(path=str(shots / "composer-failed-phone.png"))
    failed.get_by_role("button", name="Remove photo 2").click()
    expect(tiles).to_have_count(1)
    expect(count).to_have_text("1")

    # A network failure can be retried: the first attempt is dropped, the retry goes through.
    dropped: list[str] = []

    def flaky(route: Any) -> None:
        if route.request.method == "POST" and not dropped:
            dropped.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/api/v1/media/images", flaky)
    page.set_input_files("#photo-input", [str(good)])
    expect(failed).to_have_count(1)
    expect(count).to_have_text("1")
    retry = failed.get_by_role("button", name="Try again")
    expect(retry).to_be_visible()
    page.screenshot(path=str(shots / "composer-retry-phone.png"))
    retry.click()
    expect(failed).to_have_count(0)
    expect(page.locator("li.upload[data-state=ready], li.upload[data-state=processing]")).to_have_count(2)
    expect(count).to_have_text("2")
    assert len(dropped) == 1
    context.close()


def _note(username: str) -> int:
    author = UserFactory(username=username, display_name="晓 Xiao")
    image = image_upload(owner=author, file=_jpeg("dish.jpg", "#c0603a"))
    note = note_create(
        author=author,
        title="砂锅饭 Claypot rice",
        body="周末做了砂锅饭，锅巴很香。A crispy crust at the bottom. #砂锅饭 #homecooking",
        image_ids=[image.pk],
        alt_texts=["砂锅饭"],
        publish=True,
    )
    return int(note.pk)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_light_and_dark_look_right_on_phone_and_desktop(
    browser: Any, live_server: Any, shots: Path, scheme: str
) -> None:
    note_id = _note("xiao_cooks")
    url = live_server.url
    backgrounds = []
    for name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(**device, color_scheme=scheme)
        page = context.new_page()
        for label, path in (("discover", "/"), ("note", f"/notes/{note_id}/"), ("login", "/accounts/login/")):
            page.goto(f"{url}{path}")
            page.wait_for_load_state("networkidle")
            assert_no_sideways_scroll(page, f"{scheme}-{label}-{name}")
            page.screenshot(path=str(shots / f"{scheme}-{label}-{name}.png"))
        backgrounds.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
        ink = page.evaluate("getComputedStyle(document.body).color")
        context.close()
        dark_bg = backgrounds[-1] not in ("rgb(255, 255, 255)",)
        assert dark_bg == (scheme == "dark"), (scheme, backgrounds[-1], ink)


def test_chinese_interface_strings_use_the_shipped_subset_font(
    browser: Any, live_server: Any, shots: Path
) -> None:
    url = live_server.url
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.evaluate(
        "() => fetch(document.querySelector('form.lang-switch').action, "
        "{method: 'POST', body: new URLSearchParams("
        "{language: 'zh-hans', next: '/accounts/login/', csrfmiddlewaretoken: "
        "document.querySelector('[name=csrfmiddlewaretoken]').value})})"
    )
    page.goto(f"{url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.evaluate("() => document.fonts.ready")
    page.wait_for_function("document.fonts.status === 'loaded'")
    page.wait_for_timeout(1500)  # font-display: swap repaints once the face has arrived
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.family.replace(/\\\"/g, '') === 'Haven CJK'"
        " && f.status === 'loaded').length"
    )
    assert loaded >= 1, "the Chinese subset webfont was not used for the interface's Chinese strings"
    page.screenshot(path=str(shots / "zh-login-phone.png"))
    context.close()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_phone_top_bar_fits_for_visitors(browser: Any, live_server: Any, language: str) -> None:
    """Brand, search, language, Log in and Sign up all fit in a 360 px wide top bar."""
    context = browser.new_context(**{**PHONE, "viewport": {"width": 360, "height": 740}})
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    for selector in (".brand", ".topbar-search-link", "#lang-select", ".topbar-actions .btn-primary"):
        box = page.locator(f".topbar {selector}").first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
    assert page.evaluate("document.querySelector('.topbar').scrollWidth <= 360")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_flash_messages_sit_above_the_heading_and_close(
    browser: Any, live_server: Any, shots: Path, scheme: str
) -> None:
    """A flash message is in the page's flow (the heading below it stays uncovered) and its close
    button (a static script, no inline handler) takes it away."""
    UserFactory(username="flashy")
    url = live_server.url
    for name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(**device, color_scheme=scheme)
        page = _login(context, url, "flashy")
        page.goto(f"{url}{reverse('accounts:settings')}")
        page.get_by_role("button", name="Save changes").click()
        message = page.locator(".messages li").filter(has_text="Your profile is saved.")
        expect(message).to_be_visible()
        heading = page.locator("main h1").first
        box, head = message.bounding_box(), heading.bounding_box()
        assert box is not None and head is not None
        assert box["y"] + box["height"] <= head["y"], ("the message covers the heading", box, head)
        assert page.evaluate("getComputedStyle(document.querySelector('.messages')).position") == "static"
        marker = page.evaluate("getComputedStyle(document.querySelector('.messages li'), '::marker').content")
        assert marker in ("none", "normal", ""), marker
        assert_no_sideways_scroll(page, f"flash-{scheme}-{name}")
        page.screenshot(path=str(shots / f"flash-{scheme}-{name}.png"))
        page.get_by_role("button", name="Dismiss").click()
        expect(page.locator(".messages")).to_have_count(0)
        context.close()
