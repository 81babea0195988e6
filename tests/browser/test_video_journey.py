"""A video note in a real browser on a phone (issue 14): upload a phone-like MOV (a rotation flag and a
GPS location) through the resumable upload in the composer and watch its progress, publish, play it on
the note page, add captions, and play it with its captions in the vertical video feed.

Processing runs in the worker as in production; here the task backend runs it inline when the upload
completes, so the composer's status polling sees "ready" right after the last chunk.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from haven.accounts.tests.factories import UserFactory
from haven.media.models import MediaVideo
from haven.media.tests.clips import phone_mov
from haven.notes.models import Note
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed"),
]

CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:01.200
Hello from Paris

00:00:01.200 --> 00:00:02.000
<b>Bonjour</b> tout le monde
"""

# Every text the composer's upload status shows, in order (the widget updates it as it goes).
WATCH_PROGRESS = """() => {
  window.__progress = [];
  const el = document.querySelector("[data-video-progress-text]")
    || document.querySelector("[data-video-progress]");
  new MutationObserver(() => window.__progress.push(el.textContent.trim()))
    .observe(el, {childList: true, characterData: true, subtree: true});
}"""

PLAYS = """async (selector) => {
  const v = document.querySelector(selector);
  v.muted = true;
  await v.play();
  await new Promise((resolve, reject) => {
    const started = Date.now();
    const stuck = () => new Error(
      `stuck at ${v.currentTime} readyState ${v.readyState} error ${v.error && v.error.code}`);
    const tick = () => v.currentTime > 0.4 ? resolve()
      : (Date.now() - started > 15000 ? reject(stuck()) : setTimeout(tick, 100));
    tick();
  });
  return {width: v.videoWidth, height: v.videoHeight, time: v.currentTime, src: v.currentSrc};
}"""

CUES = """async (selector) => {
  const v = document.querySelector(selector);
  const tracks = Array.from(v.textTracks);
  tracks.forEach((t, i) => { t.mode = i === 0 ? "showing" : "disabled"; });
  const track = tracks[0];
  const started = Date.now();
  while (!(track.cues && track.cues.length) && Date.now() - started < 10000) {
    await new Promise(r => setTimeout(r, 100));
  }
  const cues = track.cues ? Array.from(track.cues).map(c => c.text) : [];
  return {count: tracks.length, labels: tracks.map(t => t.label), cues: cues};
}"""


def _signed_in(browser: Any, live_server: Any, user: Any, device: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(**device)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return context


def test_upload_publish_and_watch_a_video_with_captions(
    browser: Any, live_server: Any, shots: Path, tmp_path: Path
) -> None:
    member = UserFactory(username="mei", display_name="Mei")
    clip = phone_mov(tmp_path / "paris.mov", seconds=2.0)
    context = _signed_in(browser, live_server, member, PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The composer: choose the file, watch the upload and processing progress, publish.
    page.goto(f"{live_server.url}/notes/new/")
    page.wait_for_load_state("load")
    page.evaluate(WATCH_PROGRESS)
    page.set_input_files("[data-testid=video-input]", str(clip))
    status = page.locator("[data-video-progress-text]")
    expect(status).to_contain_text("Your video is ready.", timeout=90_000)
    seen = page.evaluate("window.__progress")
    assert any("Uploading" in text and "%" in text for text in seen), seen
    video = MediaVideo.objects.get(owner=member)
    assert video.state == "ready" and (video.width, video.height) == (540, 960)
    poster = page.locator("[data-video-progress] img[data-video-poster]")
    expect(poster).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-video-progress] img[data-video-poster]');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )  # the poster is served to its owner (a signed URL outside any note)
    expect(page.locator("section[aria-labelledby=photos-label]")).to_be_hidden()  # photos step aside
    assert_no_sideways_scroll(page, "composer-video")
    page.screenshot(path=str(shots / "video-composer-phone.png"))
    page.fill("input[name=title]", "A minute in Paris")
    page.fill("textarea[name=body]", "Morning light by the river #travel")
    page.locator("button[value=publish]").click()
    page.wait_for_url("**/notes/*/")
    note = Note.objects.get(author=member)
    assert note.video_id == video.pk and note.status == "published"

    # The note page plays it (portrait: the rotation flag was applied to the pixels).
    played = page.evaluate(PLAYS, "[data-testid=note-video]")
    assert played["height"] > played["width"], played
    page.evaluate("document.querySelector('[data-testid=note-video]').currentTime = 1.95")
    from haven.media import counters

    for _ in range(50):  # two seconds of play report one view
        counters.views_flush()  # the scaled profile buffers views in Redis (the worker's job)
        if MediaVideo.objects.get(pk=video.pk).view_count:
            break
        page.wait_for_timeout(100)
    assert MediaVideo.objects.get(pk=video.pk).view_count == 1
    expect(page.locator("[data-testid=player-feed-link]")).to_be_visible()
    assert_no_sideways_scroll(page, "note-video")

    # The author adds English captions from the note page; the player shows them.
    page.locator("[data-testid=caption-manager] summary").click()
    page.select_option("[data-testid=caption-manager] select[name=language]", "en")
    captions = tmp_path / "paris.en.vtt"
    captions.write_text(CAPTIONS, encoding="utf-8")
    page.set_input_files("[data-testid=caption-file]", str(captions))
    page.locator("[data-testid=caption-manager] button[type=submit]").last.click()
    page.wait_for_load_state("load")
    cues = page.evaluate(CUES, "[data-testid=note-video]")
    assert cues["cues"][:2] == ["Hello from Paris", "Bonjour tout le monde"], cues  # tags stripped
    page.evaluate("document.querySelector('[data-testid=note-video]').currentTime = 0.5")
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots / "video-note-phone.png"))

    # The vertical feed, opened on this video: it plays, with the caption track.
    page.goto(f"{live_server.url}/videos/?start={note.pk}")
    page.wait_for_load_state("load")
    slide = page.locator(f"[data-testid=video-slide][data-note-id='{note.pk}']")
    if not slide.count():
        slide = page.locator("[data-testid=video-slide]").first
    expect(slide).to_be_visible()
    slide_video = f"[data-testid=video-slide][data-note-id='{note.pk}'] video"
    if not page.locator(slide_video).count():
        slide_video = "[data-testid=video-slide] video"
    played = page.evaluate(PLAYS, slide_video)
    assert played["time"] > 0.4
    feed_cues = page.evaluate(CUES, slide_video)
    assert "Hello from Paris" in feed_cues["cues"], feed_cues
    assert_no_sideways_scroll(page, "video-feed")
    page.screenshot(path=str(shots / "video-feed-phone.png"))
    assert not errors, errors
    context.close()

    # The same feed on a desktop: a centred 9:16 column; the note page; the card in a profile feed.
    desktop = _signed_in(browser, live_server, member, DESKTOP).new_page()
    desktop.goto(f"{live_server.url}/videos/?start={note.pk}")
    desktop.wait_for_load_state("load")
    expect(desktop.locator("[data-testid=video-slide]").first).to_be_visible()
    desktop.wait_for_timeout(500)
    desktop.screenshot(path=str(shots / "video-feed-desktop.png"))
    desktop.goto(f"{live_server.url}/notes/{note.pk}/")
    desktop.wait_for_load_state("load")
    expect(desktop.locator("[data-testid=note-video]")).to_be_visible()
    assert_no_sideways_scroll(desktop, "note-video-desktop")
    desktop.screenshot(path=str(shots / "video-note-desktop.png"))
    desktop.goto(f"{live_server.url}/@mei/")
    desktop.wait_for_load_state("load")
    card = desktop.locator(f".card[data-note-id='{note.pk}']")  # the profile's grid: poster and length
    expect(card.locator("[data-testid=card-duration]")).to_contain_text("0:02")
    expect(card.locator("img")).to_be_visible()
    desktop.screenshot(path=str(shots / "video-card-desktop.png"))
    desktop.context.close()
