"""Trust and safety across languages in a browser (issue 8's journey).

A member reports a Chinese comment. Nobody on the team reads Chinese, so the comment is held until
someone reviews it. An English-only moderator reviews it through the machine translation and
removes it. Its author sees the reason in Chinese and appeals. Another moderator overturns the
decision and the comment is back.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from haven.accounts.services import user_signup
from haven.engagement.models import Comment
from haven.engagement.services import comment_create
from haven.media.services import image_upload
from haven.moderation.models import AuditEntry, Case, ReportReason, StaffRole
from haven.notes.services import note_create
from haven.translation.tests.conftest import FakeServer, provider
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"

COMMENT = "你写的东西都是垃圾，赶紧滚出这个平台"
ENGLISH = "Everything you write is garbage, get off this platform now"


def _fake_libretranslate(body: dict[str, Any]) -> tuple[int, bytes]:
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    out = [ENGLISH if t.strip() == COMMENT else f"[{body['target']}] {t}" for t in texts]
    return 200, json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}).encode()


def _login(context: Any, url: str, username: str, *, button: str = "Log in") -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=login]").first.fill(username)
    page.locator("input[type=password]").first.fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{url}/")
    return page


def _member(username: str, *, lang: str, languages: list[str]) -> Any:
    return user_signup(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        display_name=username,
        languages=languages,
        interface_language=lang,
    )


@pytest.fixture
def world() -> dict[str, Any]:
    # A live-server test flushes the database, the reasons a migration seeds included.
    labels = {"label_en": "Harassment or hate", "label_zh": "骚扰或仇恨言论", "severity": 3}
    ReportReason.objects.get_or_create(code="harassment", defaults=labels)
    host = _member("lin_cafe", lang="zh-hans", languages=["zh"])
    troll = _member("wang_loud", lang="zh-hans", languages=["zh"])
    _member("mei_reports", lang="zh-hans", languages=["zh", "en"])
    first = _member("emma_mod", lang="en", languages=["en"])
    second = _member("sam_mod", lang="en", languages=["en"])
    for moderator in (first, second):
        StaffRole.objects.create(user=moderator, role="moderator", languages=["en"])
    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "#c98b5a").save(buf, "JPEG")
    buf.seek(0)
    buf.name = "cafe.jpg"
    image = image_upload(owner=host, file=buf)
    note = note_create(
        author=host, title="周末咖啡地图", body="老城区的三家咖啡店 #咖啡", image_ids=[image.pk], publish=True
    )
    comment = comment_create(author=troll, note_id=note.pk, body=COMMENT)
    return {"note": note, "comment": comment}


def test_a_chinese_comment_is_reported_held_removed_through_translation_appealed_and_restored(
    browser, live_server, settings, world, shots
):
    server = FakeServer(_fake_libretranslate)
    settings.TRANSLATION_PROVIDERS = [provider("libretranslate", server.url)]
    url, note, comment = live_server.url, world["note"], world["comment"]
    try:
        # 1. A member reports the Chinese comment from the note page, on a phone.
        phone = browser.new_context(**PHONE)
        reporter = _login(phone, url, "mei_reports")
        reporter.goto(f"{url}/notes/{note.pk}/")
        expect(reporter.get_by_text(COMMENT)).to_be_visible()
        reporter.locator(f"a[href='/moderation/report/comment/{comment.pk}/']").click()
        reporter.wait_for_url(f"**/moderation/report/comment/{comment.pk}/")
        reporter.locator("input[name=reason][value=harassment]").check()
        reporter.locator("textarea[name=text]").fill("辱骂楼主")
        assert_no_sideways_scroll(reporter, "moderation-report-phone")
        reporter.screenshot(path=str(shots / "moderation-report-phone.png"), full_page=True)
        reporter.locator(".report-form button[type=submit]").click()
        reporter.wait_for_load_state()

        # It lands in the Chinese queue; nobody on the team reads Chinese, so it is held.
        case = Case.objects.get(target_kind="comment", target_id=comment.pk)
        assert (case.language, case.unstaffed, case.held) == ("zh", True, True)
        assert Comment.objects.get(pk=comment.pk).moderation == "held"
        reporter.goto(f"{url}/notes/{note.pk}/")
        expect(reporter.get_by_text(COMMENT)).to_have_count(0)
        phone.close()

        # 2. An English-only moderator reviews it through the translation, on a phone, and removes it.
        phone = browser.new_context(**PHONE)
        emma = _login(phone, url, "emma_mod")
        emma.goto(f"{url}/moderation/?lang=zh")
        row = emma.locator(f"a[href='/moderation/cases/{case.pk}/']").first
        expect(row).to_be_visible()
        row.click()
        emma.wait_for_url(f"**/moderation/cases/{case.pk}/")
        expect(emma.locator("[data-translation]")).to_contain_text(ENGLISH)
        expect(emma.get_by_text("no reader on the team")).to_be_visible()
        assert_no_sideways_scroll(emma, "moderation-case-phone")
        emma.screenshot(path=str(shots / "moderation-case-phone.png"), full_page=True)
        emma.get_by_role("button", name="Take this case").click()
        emma.wait_for_url(f"**/moderation/cases/{case.pk}/")
        emma.locator("input[name=action][value=remove]").check()
        emma.locator("#decide-reason").select_option("harassment")
        emma.get_by_role("button", name="Decide", exact=True).click()
        emma.wait_for_load_state()
        case.refresh_from_db()
        assert (case.state, case.action) == ("actioned", "remove")
        assert Comment.objects.get(pk=comment.pk).moderation == "removed"
        assert AuditEntry.objects.filter(
            case_id_ref=case.pk, action__in=("case.view", "content.view")
        ).exists()
        phone.close()

        # 3. The author sees the decision and its reason in Chinese, and appeals.
        phone = browser.new_context(**PHONE)
        author = _login(phone, url, "wang_loud")
        author.goto(f"{url}/moderation/mine/")
        decision = author.locator(f".decision[data-case='{case.pk}']")
        expect(decision).to_have_attribute("data-state", "actioned")
        expect(decision).to_contain_text("已移除")
        expect(decision).to_contain_text("骚扰或仇恨言论")
        assert_no_sideways_scroll(author, "moderation-mine-zh-phone")
        author.screenshot(path=str(shots / "moderation-mine-zh-phone.png"), full_page=True)
        decision.locator("summary").click()
        decision.locator("textarea").fill("我只是在开玩笑，请恢复")
        decision.locator("button[type=submit]").click()
        author.wait_for_load_state()
        case.refresh_from_db()
        assert case.state == "appealed"
        phone.close()

        # The first moderator may not decide the appeal.
        desktop = browser.new_context(**DESKTOP)
        emma = _login(desktop, url, "emma_mod")
        emma.goto(f"{url}/moderation/cases/{case.pk}/")
        expect(emma.get_by_text("another moderator reviews this appeal")).to_be_visible()
        desktop.close()

        # 4. Another moderator overturns the decision on a desktop, and the comment is back.
        desktop = browser.new_context(**DESKTOP)
        sam = _login(desktop, url, "sam_mod")
        sam.goto(f"{url}/moderation/")
        sam.locator(f"a[href='/moderation/cases/{case.pk}/']").first.click()
        sam.wait_for_url(f"**/moderation/cases/{case.pk}/")
        expect(sam.locator("[data-translation]")).to_contain_text(ENGLISH)
        sam.screenshot(path=str(shots / "moderation-appeal-desktop.png"), full_page=True)
        sam.locator("input[name=outcome][value=overturned]").check()
        sam.get_by_role("button", name="Decide the appeal").click()
        sam.wait_for_load_state()
        case.refresh_from_db()
        assert case.state == "overturned"
        assert Comment.objects.get(pk=comment.pk).moderation == "ok"
        sam.goto(f"{url}/notes/{note.pk}/")
        expect(sam.get_by_text(COMMENT)).to_be_visible()
        desktop.close()

        phone = browser.new_context(**PHONE)
        author = _login(phone, url, "wang_loud")
        author.goto(f"{url}/moderation/mine/")
        expect(author.locator(f".decision[data-case='{case.pk}']")).to_have_attribute(
            "data-state", "overturned"
        )
        phone.close()
    finally:
        server.close()
