"""Fixtures for browser tests: Debian's Chromium through Playwright, against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("HAVEN_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI for browser tests ({CHROMIUM} is missing)")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: HAVEN_SCREENSHOT_DIR when set (docs), else a temporary folder."""
    target = Path(os.environ.get("HAVEN_SCREENSHOT_DIR") or tmp_path / "shots")
    target.mkdir(parents=True, exist_ok=True)
    return target


# The elements that reach past the right edge (innermost first), to say what overflows.
_WIDEST = """(width) => Array.from(document.querySelectorAll("body *"))
  .filter((el) => el.getBoundingClientRect().right > width + 1)
  .filter((el) => !Array.from(el.children).some((c) => c.getBoundingClientRect().right > width + 1))
  .slice(0, 5)
  .map((el) => {
    const owner = el.className ? el : el.parentElement.closest("[class]") || el;
    const right = Math.round(el.getBoundingClientRect().right);
    return `${el.tagName.toLowerCase()} in .${owner.className}: ${right}`;
  })"""


def assert_no_sideways_scroll(page: Any, name: str) -> None:
    """Fail, naming the elements that stick out, when the page scrolls sideways.

    On a phone (is_mobile) Chromium widens the layout viewport to fit content that overflows, so
    window.innerWidth grows with it and `scrollWidth > innerWidth` can never fail: compare with the
    device's width (the context's viewport) instead.
    """
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width + 1:
        wide = page.evaluate(_WIDEST, width)
        raise AssertionError(f"{name}: the page scrolls sideways ({scroll} > {width}): {wide}")
