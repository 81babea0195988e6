"""Commerce pages on a phone: the product editor's variant table, the earnings tables.

The product editor's option headers follow the option names as typed (editor.js), and under 560 px each
variant row is a card of labelled fields: nothing scrolls sideways.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.shops.tests.factories import make_shop
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{url}/")
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_product_editor_option_headers_and_variant_cards(
    browser: Any, live_server: Any, shots: Path, scheme: str
) -> None:
    seller = UserFactory(username="vera_sells")
    shop = make_shop(seller)
    for name, device in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(**device, color_scheme=scheme)
        page = _login(context, live_server.url, "vera_sells")
        page.goto(f"{live_server.url}/products/new/?shop={shop.pk}")
        head = page.locator('[data-option-head="0"]')
        expect(head).to_have_text("Option value")
        page.locator("#option-name-0").fill("Size")
        expect(head).to_have_text("Size")
        cell = page.locator("table.variant-table tbody tr").first.locator('[data-option-cell="0"]')
        expect(cell).to_have_attribute("data-label", "Size")
        expect(cell.locator("input")).to_have_attribute("aria-label", "Size")
        page.locator("#option-name-0").fill("")
        expect(head).to_have_text("Option value")
        page.locator("#option-name-0").fill("Size")
        assert_no_sideways_scroll(page, f"editor-{scheme}-{name}")
        row = page.locator("table.variant-table tbody tr").first
        if device is PHONE:  # a card: the row is no wider than the screen, its cells are labelled
            box = row.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390
            assert (
                page.evaluate("getComputedStyle(document.querySelector('.variant-table tr')).display")
                == "grid"
            )
        row.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"product-editor-{scheme}-{name}.png"))
        context.close()
