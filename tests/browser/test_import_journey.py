"""Bringing a TikTok export in a real browser, on a phone and a desktop: upload the ZIP from Settings ->
Import, review what was found (with the never-imported box), bring the posts as drafts, and find them
among the drafts with their original date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.imports.tests import builders
from haven.notes.models import Note
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/?next=/settings/import/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


@pytest.mark.parametrize("name,device", [("phone", PHONE), ("desktop", DESKTOP)])
def test_import_a_tiktok_export_as_drafts(
    browser: Any, live_server: Any, shots: Path, tmp_path: Path, name: str, device: dict[str, Any]
) -> None:
    member = UserFactory(username=f"newcomer_{name}", display_name="", bio="")
    files = {"user_data_tiktok.json": builders.tiktok_c()}
    export = builders.write_zip(tmp_path / "tiktok-export.zip", files)
    context = browser.new_context(**device)
    page = context.new_page()
    _login(page, live_server.url, member.username)
    expect(page.get_by_role("heading", name="Bring your posts from TikTok or Instagram")).to_be_visible()
    page.screenshot(path=str(shots / f"import-upload-{name}.png"))

    page.locator('input[type="file"]').set_input_files(str(export))
    page.get_by_role("button", name="Upload and read").click()
    # The tasks backend in tests is immediate: the review is there on the page the upload leads to.
    never = page.locator("#import-never")
    expect(never).to_be_visible()
    expect(never).to_contain_text("Never imported")
    expect(page.get_by_text("4 posts as drafts")).to_be_visible()
    expect(page.get_by_text("First posted on TikTok on").first).to_be_visible()
    assert "CANARY" not in page.content()
    assert_no_sideways_scroll(page, f"import review ({name})")
    page.screenshot(path=str(shots / f"import-review-{name}.png"), full_page=True)

    page.locator('input[name="posts"]').check()
    page.locator("form").filter(has=page.locator('input[name="posts"]')).locator(
        'button[type="submit"]'
    ).first.click()
    expect(page.get_by_text("4 drafts created.")).to_be_visible()
    page.screenshot(path=str(shots / f"import-done-{name}.png"))
    assert Note.objects.filter(author=member, status="draft").count() == 4

    page.get_by_role("link", name="Go to your drafts").click()
    expect(page.locator("main")).to_contain_text("#")  # the captions keep their hashtags
    context.close()
