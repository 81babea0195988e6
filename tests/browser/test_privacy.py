"""Privacy and data rights in a real browser: export, two-factor login, deletion cancelled and carried out."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from haven.accounts.models import TotpDevice, User
from haven.accounts.services import user_signup
from haven.media.services import image_upload
from haven.notes.services import note_create
from haven.privacy import services as privacy
from haven.privacy.models import DeletionRequest, ExportRequest
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "priya_privacy"
PASSWORD = "a quiet and private passphrase 7"
STEP = 30  # seconds per TOTP time step


def _jpeg() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (480, 640), "#6a9fb5").save(buf, "JPEG", quality=85)
    buf.seek(0)
    return buf


def _totp_code(user: User, secret: str) -> str:
    """A code the server accepts now and has not seen yet (it takes one step either side, each once)."""
    last = TotpDevice.objects.get(user=user).last_counter
    while True:
        now = time.time()
        if STEP - now % STEP < 3:  # too close to the edge of a step: the server may see the next one
            time.sleep(STEP - now % STEP + 0.1)
            continue
        current = int(now // STEP)
        counter = max(last + 1, current - 1)
        if counter <= current + 1:
            return pyotp.TOTP(secret).generate_otp(counter)
        time.sleep(STEP - now % STEP + 0.1)  # every step in the window is used: wait for the next


def _password_login(page: Any, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username or email").fill(USERNAME)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


def _two_factor_login(page: Any, url: str, user: User, secret: str, shot: Path | None = None) -> None:
    _password_login(page, url)
    page.wait_for_url(f"{url}/accounts/login/two-factor/")
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(_totp_code(user, secret))
    if shot is not None:
        page.screenshot(path=str(shot))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"{url}/")


def _delete_account(page: Any, url: str, shot: Path) -> str:
    page.goto(f"{url}/settings/privacy/")
    section = page.locator("#delete")
    section.get_by_label("Your password").fill(PASSWORD)
    section.get_by_role("checkbox").check()
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(shot))
    section.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(re.compile(r".*/settings/privacy/receipt/[0-9A-F]+/$"))
    expect(page.get_by_role("heading", name="Deletion receipt")).to_be_visible()
    expect(page.get_by_role("link", name="Log in to cancel")).to_be_visible()
    return str(page.url)


def test_export_two_factor_and_account_deletion(browser: Any, live_server: Any, shots: Path) -> None:
    url = live_server.url
    member = user_signup(
        username=USERNAME, email="priya@example.org", password=PASSWORD, display_name="Priya 隐私"
    )
    image = image_upload(owner=member, file=_jpeg())
    note_create(author=member, title="Harbour at dusk", body="Blue hour by the water.", image_ids=[image.pk])

    context = browser.new_context(**PHONE, accept_downloads=True)
    page = context.new_page()
    _password_login(page, url)
    page.wait_for_url(f"{url}/")

    # 1. Request an export; the tasks backend in tests is immediate, so it is ready on the next page.
    page.goto(f"{url}/settings/privacy/")
    download_section = page.locator("#download")
    download_section.get_by_label("Your password").fill(PASSWORD)
    download_section.get_by_role("button", name="Request my data").click()
    page.wait_for_url(f"{url}/settings/privacy/")
    expect(page.get_by_text("We're preparing your data.")).to_be_visible()
    ready = page.locator('.export-list li[data-export-state="ready"]')
    if not ready.count():  # a queued backend: play the worker
        privacy.export_build(export_id=ExportRequest.objects.filter(user=member).latest("pk").pk)
        page.reload()
    expect(ready).to_have_count(1)
    assert_no_sideways_scroll(page, "privacy-export-ready-phone")
    page.screenshot(path=str(shots / "privacy-export-ready-phone.png"), full_page=True)

    # 2. Download it and look inside.
    with page.expect_download() as info:
        ready.get_by_role("link", name="Download").click()
    download = info.value
    assert download.suggested_filename.startswith(f"haven-{USERNAME}-")
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as zf:
        names = set(zf.namelist())
        assert {"manifest.json", "index.html", "data/profile.json"} <= names, sorted(names)
        manifest = json.loads(zf.read("manifest.json"))
        assert "profile" in manifest["sections"]
        assert USERNAME in zf.read("data/profile.json").decode()
        photos = [n for n in names if n.startswith("files/") and not n.endswith("/")]
        assert len(photos) == 1, sorted(names)
        with Image.open(io.BytesIO(zf.read(photos[0]))) as original:
            assert original.size == (480, 640)

    # 3. Turn on two-factor with an authenticator app.
    page.goto(f"{url}/accounts/settings/security/")
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url(f"{url}/accounts/settings/security/two-factor/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "").strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_no_sideways_scroll(page, "two-factor-setup-phone")
    page.screenshot(path=str(shots / "two-factor-setup-phone.png"), full_page=True)
    page.get_by_label("Code", exact=True).fill(_totp_code(member, secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_no_sideways_scroll(page, "recovery-codes-phone")
    page.screenshot(path=str(shots / "recovery-codes-phone.png"), full_page=True)
    page.get_by_role("link", name="I saved them").click()
    expect(page.locator("#security-two-factor").get_by_text("On", exact=True)).to_be_visible()

    # The security tab with two-factor on, on a desktop (same session).
    desktop = browser.new_context(**DESKTOP, storage_state=context.storage_state())
    desk = desktop.new_page()
    desk.goto(f"{url}/accounts/settings/security/")
    expect(desk.locator("#security-two-factor").get_by_text("On", exact=True)).to_be_visible()
    desk.screenshot(path=str(shots / "security-two-factor-on-desktop.png"), full_page=True)
    desk.goto(f"{url}/settings/privacy/")
    expect(desk.get_by_role("heading", name="Download your data")).to_be_visible()
    desk.screenshot(path=str(shots / "privacy-center-desktop.png"), full_page=True)
    desktop.close()

    # 4. Log out, then log in with the password and a code from the app.
    page.goto(f"{url}/accounts/settings/")
    page.locator("form[action='/accounts/logout/']").get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/settings/privacy/")
    expect(page).to_have_url(re.compile(r".*/accounts/login/"))
    _two_factor_login(page, url, member, secret, shot=shots / "login-two-factor-phone.png")

    # 5. Delete the account; logging in within the grace period cancels it.
    receipt_url = _delete_account(page, url, shots / "privacy-delete-form-phone.png")
    assert_no_sideways_scroll(page, "deletion-receipt-scheduled-phone")
    page.screenshot(path=str(shots / "deletion-receipt-scheduled-phone.png"), full_page=True)
    page.goto(f"{url}/settings/privacy/")
    expect(page).to_have_url(re.compile(r".*/accounts/login/"))  # logged out everywhere
    _two_factor_login(page, url, member, secret)
    page.goto(f"{url}/settings/privacy/")
    welcome = page.get_by_role("heading", name="Welcome back: your account deletion is cancelled")
    expect(welcome).to_be_visible()
    assert_no_sideways_scroll(page, "privacy-deletion-cancelled-phone")
    page.screenshot(path=str(shots / "privacy-deletion-cancelled-phone.png"))
    page.goto(receipt_url)
    expect(page.get_by_text("This deletion was cancelled")).to_be_visible()
    assert DeletionRequest.objects.get(user=member).state == "cancelled"

    # 6. Delete again and let the grace period pass (time travel): the account is erased.
    receipt_url = _delete_account(page, url, shots / "privacy-delete-again-phone.png")
    result = privacy.privacy_housekeeping(now=timezone.now() + privacy.DELETION_GRACE + timedelta(days=1))
    assert result["accounts_erased"] == 1, result
    assert not User.objects.filter(username=USERNAME).exists()
    page.goto(receipt_url)
    expect(page.get_by_text("The account was erased on")).to_be_visible()
    expect(page.get_by_role("link", name="Log in to cancel")).to_have_count(0)
    assert_no_sideways_scroll(page, "deletion-receipt-erased-phone")
    page.screenshot(path=str(shots / "deletion-receipt-erased-phone.png"), full_page=True)

    _password_login(page, url)
    expect(page).to_have_url(re.compile(r".*/accounts/login/"))
    expect(page.get_by_text("Wrong username, email or password.")).to_be_visible()
    assert_no_sideways_scroll(page, "login-after-erasure-phone")
    page.screenshot(path=str(shots / "login-after-erasure-phone.png"))
    context.close()
