"""Bringing a TikTok export in a real browser, on a phone and a desktop: upload the ZIP from Settings ->
Import, review what was found (with the never-imported box), bring the posts as drafts, and find them
among the drafts with their original date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.models import User
from haven.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from haven.graph.models import Follow
from haven.imports.tests import builders
from haven.notes.models import Note
from haven.people.models import ContactList
from haven.people.tests.factories import claim
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Accounts of the following list who are on Haven and said so (former handles, discoverable).
HANDLES = ["crumb.theory", "matcha.mornings", "dumpling.diary"]


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


def test_a_newcomer_signs_up_imports_and_follows_three_people_in_one_tap(
    browser: Any, live_server: Any, shots: Path, tmp_path: Path
) -> None:
    """Sign up, upload a TikTok export, review, import; the three accounts of the following list who
    claimed their handles (and let others find them) are offered and followed in one tap; the drafts
    are there with their captions, and a draft's page says where it was first posted."""
    friends = {handle: UserFactory(username=f"friend_{i}") for i, handle in enumerate(HANDLES)}
    for handle, friend in friends.items():
        claim(friend, handle)
    shy = UserFactory(username="shy_friend")
    claim(shy, "shy.one", discoverable=False)  # never offered: it did not opt in
    document = builders.tiktok_c()
    document["Profile And Settings"]["Following"]["Following"] = [
        {"Date": "2025-03-01 10:00:00", "UserName": handle} for handle in [*HANDLES, "shy.one", "not.here"]
    ]
    export = builders.write_zip(tmp_path / "TikTok_Data_1733.zip", {"user_data_tiktok.json": document})
    url = live_server.url
    context = browser.new_context(**PHONE)
    page = context.new_page()

    page.goto(f"{url}/accounts/signup/")
    page.get_by_label("Username", exact=True).fill("sunny_arrives")
    page.get_by_label("Display name").fill("Sunny")
    page.get_by_label("Email").fill("sunny@example.org")
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase 9")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{url}/welcome/languages/")
    member = User.objects.get(username="sunny_arrives")

    page.goto(f"{url}/settings/import/")
    page.locator('input[type="file"]').set_input_files(str(export))
    page.get_by_role("button", name="Upload and read").click()
    people = page.locator("#import-people")
    expect(people).to_contain_text("Find the 5 accounts you followed on TikTok")
    expect(people.locator('input[name="following"]')).to_be_checked()
    people.locator('input[name="notify_on_join"]').check()
    page.get_by_role("button", name="Import", exact=True).click()

    found = page.locator("#import-people-found")
    expect(found).to_contain_text("3 people you followed on TikTok are here")
    for friend in friends.values():
        expect(found.locator(f'[data-match="{friend.username}"]')).to_be_visible()
    expect(found.locator('[data-match="shy_friend"]')).to_have_count(0)
    # The export holds no video files: each draft links to its editor to add the video.
    expect(page.locator("#import-drafts [data-add-video]")).to_have_count(4)
    assert_no_sideways_scroll(page, "import done with people")
    page.screenshot(path=str(shots / "import-people-phone.png"), full_page=True)
    found.get_by_role("button", name="Follow all 3").click()
    expect(page.get_by_text("You follow 3 more people now.")).to_be_visible()
    followed = set(Follow.objects.filter(follower=member).values_list("followee_id", flat=True))
    assert followed == {friend.pk for friend in friends.values()}
    assert ContactList.objects.get(user=member).notify_on_join

    page.goto(f"{url}/notes/drafts/")
    expect(page.locator("main")).to_contain_text("Sunday sourdough")
    draft = Note.objects.get(author=member, body__startswith="Sunday sourdough")
    page.goto(f"{url}/notes/{draft.pk}/")
    expect(page.locator("[data-provenance]")).to_contain_text("First posted on TikTok on")
    page.locator("[data-provenance] [data-add-video]").click()
    expect(page.get_by_text("Add a video")).to_be_visible()
    page.screenshot(path=str(shots / "import-draft-provenance-phone.png"))
    context.close()
