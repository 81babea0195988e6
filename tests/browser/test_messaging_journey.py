"""Direct messages across languages in a browser, live over the WebSocket (issue 10's journey).

Lin (interface in Chinese, on a phone) and Emma (English, on a desktop) follow each other. Lin opens
Emma's profile, taps Message and writes in Chinese; Emma's open page shows it without a reload, she
translates it and taps back to the original, then replies while Lin sees her typing and then her
answer. A stranger's message waits in Emma's Requests. Emma blocks Lin from the chat, and the
conversation ends for Lin at once.

The realtime WebSocket needs an ASGI server (pytest-django's live server is WSGI): the `asgi_url`
fixture runs uvicorn with config.asgi in a thread, against the test database.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.services import user_signup
from haven.graph.models import Block
from haven.messaging.models import Conversation, Message, Participant
from haven.notes.tests.factories import follow
from haven.translation.tests.conftest import FakeServer, provider
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"
ROOT = Path(__file__).resolve().parents[2]

HELLO = "你好，Emma！"
CHINESE = "这个周末有空吗？"
ENGLISH = "Are you free this weekend?"
REPLY = "Yes! Saturday morning at the little café by the river?"
STRANGER = "Hi Emma, could you help me with my English homework?"


def _fake_libretranslate(body: dict[str, Any]) -> tuple[int, bytes]:
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    known = {CHINESE: ENGLISH, HELLO: "Hello, Emma!"}
    out = [known.get(t.strip(), f"[{body['target']}] {t}") for t in texts]
    return 200, json.dumps({"translatedText": out if isinstance(body["q"], list) else out[0]}).encode()


@pytest.fixture
def asgi_url(transactional_db: None) -> Iterator[str]:
    """Haven's ASGI application (HTTP and the /ws/ WebSocket) under uvicorn, in a thread."""
    import uvicorn
    from django.db import connection

    from config.asgi import application

    def sessions() -> set[int]:
        if connection.vendor != "postgresql":
            return set()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return {row[0] for row in cursor.fetchall()}

    before = sessions()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(400):  # until it listens (bounded: about 20 s)
        if server.started:
            started.set()
            break
        started.wait(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    # The server's threads may still hold PostgreSQL sessions (scaled profile), and the pool this
    # process shares with them may hand one of those to a later test. Close this thread's connection
    # and the pool (new connections come from a fresh one), then end whatever sessions the server
    # opened that are still there, so that the test database can be dropped at the end of the run.
    if connection.vendor == "postgresql":
        opened = sorted(sessions() - before)  # before the fresh pool opens connections of its own
        connection.close()
        connection.close_pool()
        if opened:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [opened])


def _member(username: str, *, lang: str, languages: list[str], name: str) -> Any:
    return user_signup(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        display_name=name,
        languages=languages,
        interface_language=lang,
    )


def _login(context: Any, url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=login]").first.fill(username)
    page.locator("input[type=password]").first.fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{url}/")
    return page


def _live(page: Any) -> None:
    """Wait until the page's WebSocket said hello."""
    expect(page.locator("html[data-realtime=on]")).to_have_count(1)


def _shot(page: Any, shots: Path, name: str, *, docs: bool = False) -> None:
    path = shots / name
    if page.viewport_size["width"] < 600:
        assert_no_sideways_scroll(page, name)
    page.screenshot(path=str(path))
    if docs and os.environ.get("HAVEN_SCREENSHOT_DIR"):  # a docs run: refresh docs/screenshots too
        target = ROOT / "docs" / "screenshots" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_two_members_chat_live_across_languages_and_a_block_ends_it(
    browser: Any, asgi_url: str, settings: Any, shots: Path
) -> None:
    server = FakeServer(_fake_libretranslate)
    settings.TRANSLATION_PROVIDERS = [
        provider("libretranslate", server.url, allowed_for_private_content=True, trusted_local=True)
    ]
    url = asgi_url
    lin = _member("lin_cafe", lang="zh-hans", languages=["zh"], name="小美")
    emma = _member("emma_reads", lang="en", languages=["en"], name="Emma")
    _member("sam_new", lang="en", languages=["en"], name="Sam")
    follow(lin, emma)
    follow(emma, lin)
    phone = browser.new_context(**PHONE)
    desktop = browser.new_context(**DESKTOP)
    third = browser.new_context(**PHONE)
    try:
        # Emma waits on her (empty) messages page, on a desktop.
        e = _login(desktop, url, "emma_reads")
        e.goto(f"{url}/messages/")
        _live(e)
        expect(e.locator(".dm-empty-list")).to_be_visible()

        # 1. Lin, on a phone with a Chinese interface, opens Emma's profile and taps Message.
        a = _login(phone, url, "lin_cafe")
        a.goto(f"{url}/@emma_reads/")
        a.locator("[data-message-member]").click()
        a.wait_for_url("**/messages/*/")
        conversation = Conversation.objects.get(kind="direct")
        assert a.url.endswith(f"/messages/{conversation.pk}/")
        _live(a)
        expect(a.locator("html")).to_have_attribute("lang", "zh-Hans")
        a.locator("[data-composer-body]").fill(HELLO)
        a.locator("[data-send]").click()
        expect(a.locator("#m-1 .msg-text")).to_have_text(HELLO)
        expect(a.locator("[data-composer-body]")).to_have_value("")

        # Emma's list shows the new conversation without a reload; she opens it.
        row = e.locator(f"[data-conversation='{conversation.pk}']")
        expect(row).to_contain_text(HELLO)
        expect(row.locator(".dm-unread")).to_have_text("1")
        expect(e.locator(".sidebar [data-badge=messages]")).to_have_text("1")
        row.click()
        e.wait_for_url(f"**/messages/{conversation.pk}/")
        _live(e)
        expect(e.locator("#m-1 .msg-text")).to_have_text(HELLO)

        # 2. Lin writes in Chinese; it appears in Emma's open chat, live, and is read (Lin sees 已读).
        a.locator("[data-composer-body]").fill(CHINESE)
        a.locator("[data-composer-body]").press("Enter")  # a phone: Enter is a new line
        a.locator("[data-send]").click()
        chinese = e.locator("#m-2")
        expect(chinese.locator(".msg-text")).to_have_text(CHINESE)
        expect(a.locator("#m-2 [data-seen]")).to_be_visible()
        assert Message.objects.filter(conversation=conversation).count() == 2  # sent once each

        # 3. Emma translates it, reads the translation, and taps back to the original.
        chinese.locator("[data-translate]").click()
        expect(chinese.locator("[data-translation]")).to_have_text(ENGLISH)
        assert server.requests, "the private message went to the provider allowed for private content"
        # The list beside the chat follows too (read, with the newest message).
        expect(row.locator(".dm-excerpt")).to_have_text(CHINESE)
        expect(row.locator(".dm-unread")).to_have_count(0)
        _shot(e, shots, "messaging-chat-desktop.png", docs=True)
        chinese.locator("[data-show-original]").click()
        expect(chinese.locator("[data-translation]")).to_have_count(0)
        expect(chinese.locator(".msg-text")).to_have_text(CHINESE)
        expect(chinese.locator("[data-translate]")).to_be_visible()

        # 4. Emma replies; Lin sees her typing, then the reply, without a reload.
        box = e.locator("[data-composer-body]")
        box.click()
        box.press_sequentially("Yes!", delay=20)
        expect(a.locator("[data-typing]")).to_contain_text("Emma")
        box.fill(REPLY)
        box.press("Enter")  # a desktop: Enter sends
        expect(a.locator("#m-3 .msg-text")).to_have_text(REPLY)
        expect(a.locator("[data-typing]")).to_be_hidden()
        expect(e.locator("#m-3.is-mine")).to_be_visible()
        expect(a.locator(".msg")).to_have_count(3)  # nothing shown twice
        expect(e.locator(".msg")).to_have_count(3)
        _shot(a, shots, "messaging-chat-phone.png", docs=True)
        a.goto(f"{url}/messages/")
        expect(a.locator(f"[data-conversation='{conversation.pk}']")).to_contain_text(REPLY[:20])
        _shot(a, shots, "messaging-list-phone.png", docs=True)
        a.set_viewport_size({"width": 360, "height": 740})  # the top bar, Messages included, fits
        assert a.evaluate("document.querySelector('.topbar').scrollWidth <= 360")
        box_dm = a.locator(".topbar .topbar-dm").bounding_box()
        assert box_dm is not None and box_dm["x"] + box_dm["width"] <= 360
        a.set_viewport_size(PHONE["viewport"])

        # 5. A stranger's message waits in Emma's Requests.
        c = _login(third, url, "sam_new")
        c.goto(f"{url}/@emma_reads/")
        c.locator("[data-message-member]").click()
        c.wait_for_url("**/messages/*/")
        c.locator("[data-composer-body]").fill(STRANGER)
        c.locator("[data-send]").click()
        expect(c.locator("#m-1 .msg-text")).to_have_text(STRANGER)
        request = Conversation.objects.exclude(pk=conversation.pk).get()
        assert Participant.objects.get(conversation=request, user=emma).state == "request"
        e.goto(f"{url}/messages/")
        expect(e.locator("[data-requests-tab] .dm-count")).to_have_text("1")
        expect(e.locator(f"[data-conversation='{request.pk}']")).to_have_count(0)  # not in the inbox
        _shot(e, shots, "messaging-list-desktop.png", docs=True)
        e.locator("[data-requests-tab]").click()
        expect(e.locator(f"[data-conversation='{request.pk}']")).to_contain_text(STRANGER[:30])
        e.locator(f"[data-conversation='{request.pk}']").click()
        expect(e.locator("[data-request]")).to_be_visible()
        expect(e.locator("[data-composer]")).to_have_count(0)
        _shot(e, shots, "messaging-request-desktop.png")

        # 6. Emma blocks Lin from the chat: the conversation ends for Lin at once.
        a.goto(f"{url}/messages/{conversation.pk}/")
        _live(a)
        e.goto(f"{url}/messages/{conversation.pk}/")
        e.locator(".chat-head summary").click()
        e.locator(".chat-head a[href='/graph/lin_cafe/block/']").click()
        e.wait_for_url("**/graph/lin_cafe/block/")
        e.locator("form[action='/graph/lin_cafe/block/'] button[type=submit]").click()
        e.wait_for_url("**/graph/blocked/")
        assert Block.objects.filter(blocker=emma, blocked=lin).exists()
        expect(a.locator("[data-closed]")).to_be_visible()
        expect(a.locator("[data-composer]")).to_have_count(0)
        _shot(a, shots, "messaging-ended-phone.png")
        a.goto(f"{url}/messages/")
        expect(a.locator(f"[data-conversation='{conversation.pk}']")).to_have_count(0)
        assert a.goto(f"{url}/messages/{conversation.pk}/").status == 404
        e.goto(f"{url}/messages/{conversation.pk}/")
        expect(e.locator("[data-closed]")).to_be_visible()  # Emma keeps it, read-only
        expect(e.locator("[data-composer]")).to_have_count(0)
        assert Message.objects.filter(conversation=conversation).count() == 3
    finally:
        phone.close()
        desktop.close()
        third.close()
        server.close()


def _picture(
    path: Path, top: tuple[int, int, int], bottom: tuple[int, int, int], size: tuple[int, int]
) -> Path:
    """A small photo-like JPEG: a vertical gradient with a sun."""
    from PIL import Image, ImageDraw

    width, height = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    r = width // 7
    draw.ellipse(
        [width * 0.62 - r, height * 0.38 - r, width * 0.62 + r, height * 0.38 + r], fill=(255, 226, 150)
    )
    draw.rectangle([0, int(height * 0.72), width, height], fill=(52, 70, 96))
    img.save(path, "JPEG", quality=88)
    return path


def test_a_photo_a_shared_note_and_the_group_photo_in_the_browser(
    browser: Any, asgi_url: str, shots: Path, tmp_path: Path
) -> None:
    """Emma sends Lin a photo from the composer; Lin, in that chat, gets a toast for a message in their
    group; Emma sends a note to the group from the note's page and gives the group a photo."""
    from haven.media.services import image_upload
    from haven.messaging import services
    from haven.notes.services import note_create

    url = asgi_url
    lin = _member("lin_cafe", lang="en", languages=["en", "zh"], name="Lin")
    emma = _member("emma_reads", lang="en", languages=["en"], name="Emma")
    sam = _member("sam_new", lang="en", languages=["en"], name="Sam")
    for x, y in [(lin, emma), (emma, lin), (sam, emma), (emma, sam), (lin, sam), (sam, lin)]:
        follow(x, y)
    direct = services.direct_open(sender=emma, recipient=lin)
    services.message_send(sender=lin, conversation_id=direct.pk, body="How was the hike?")
    group = services.group_create(creator=emma, title="Weekend café club", members=[lin, sam])
    services.message_send(sender=sam, conversation_id=group.pk, body="Who's in for Saturday?")
    cover = image_upload(
        owner=sam,
        file=_picture(tmp_path / "c.jpg", (250, 170, 120), (120, 70, 110), (900, 1200)).read_bytes(),
    )
    note = note_create(
        author=sam,
        title="The little café by the river",
        body="Best flat white in town.",
        image_ids=[cover.pk],
    )
    phone = browser.new_context(**PHONE)
    desktop = browser.new_context(**DESKTOP)
    try:
        a = _login(phone, url, "lin_cafe")
        a.goto(f"{url}/messages/{direct.pk}/")
        _live(a)
        e = _login(desktop, url, "emma_reads")
        e.goto(f"{url}/messages/{direct.pk}/")
        _live(e)

        # 1. Emma attaches a photo and writes a caption; both sides see the photo.
        photo = _picture(tmp_path / "hike.jpg", (110, 160, 230), (250, 190, 150), (1200, 900))
        e.locator("[data-photo-input]").set_input_files(str(photo))
        expect(e.locator("[data-photo-preview]")).to_be_visible()
        e.locator("[data-composer-body]").fill("The view from the top!")
        e.locator("[data-send]").click()
        expect(e.locator("#m-2 .msg-image img")).to_be_visible()
        expect(e.locator("[data-photo-preview]")).to_be_hidden()
        expect(a.locator("#m-2 .msg-image img")).to_be_visible()
        expect(a.locator("#m-2 .msg-text")).to_have_text("The view from the top!")
        message = Message.objects.get(conversation=direct, seq=2)
        assert message.kind == "image" and message.image is not None
        _shot(e, shots, "messaging-photo-desktop.png")
        _shot(a, shots, "messaging-photo.png", docs=True)

        # 2. A message in the group while Lin has the direct chat open: a toast links to it.
        # (From another thread: Playwright runs an event loop in this one, and publishing needs none.)
        def send() -> None:
            from django.db import connection

            try:
                services.message_send(
                    sender=sam, conversation_id=group.pk, body="Café at 10, then the market?"
                )
            finally:
                connection.close()

        sender = threading.Thread(target=send)
        sender.start()
        sender.join(10)
        toast = a.locator(".dm-toast")
        expect(toast).to_contain_text("Café at 10")
        expect(toast).to_have_attribute("href", f"/messages/{group.pk}/")

        # 3. Emma sends Sam's note to the group from the note's page (htmx), then opens the chat.
        e.goto(f"{url}/notes/{note.pk}/")
        e.locator("[data-send-to-chat]").click()
        e.wait_for_url(f"**/messages/share/note/{note.pk}/")
        e.locator("#share-body").fill("This one?")
        e.locator(f"[data-share-picker] button[value='{group.pk}']").click()
        expect(e.locator(".dm-share-sent")).to_contain_text("Weekend café club")
        shared = Message.objects.get(conversation=group, kind="note")
        assert shared.shared_note_id == note.pk and shared.body == "This one?"
        _shot(e, shots, "messaging-share-desktop.png")
        phone_share = phone.new_page()
        phone_share.goto(f"{url}/messages/share/note/{note.pk}/")
        _shot(phone_share, shots, "messaging-share.png", docs=True)
        phone_share.close()

        # 4. Emma gives the group a photo and makes Lin an admin, on the group's info page.
        e.goto(f"{url}/messages/{group.pk}/info/")
        group_photo = _picture(tmp_path / "g.jpg", (255, 140, 120), (255, 210, 140), (600, 600))
        with e.expect_navigation():
            e.locator("[data-group-photo] input[type=file]").set_input_files(str(group_photo))
        expect(e.locator(".dm-info-photo img")).to_be_visible()
        e.locator(".dm-member-menu summary").first.click()
        e.locator(".dm-member-menu[open] form[action$='/members/admin/'] button").click()
        e.wait_for_url(f"**/messages/{group.pk}/info/")
        assert Participant.objects.get(conversation=group, user=lin).role == "admin"
        _shot(e, shots, "messaging-group-info-desktop.png")
        a.goto(f"{url}/messages/{group.pk}/info/")
        expect(a.locator(".dm-info-photo img")).to_be_visible()
        _shot(a, shots, "messaging-group-info.png", docs=True)
        a.goto(f"{url}/messages/{group.pk}/")
        expect(a.locator(".chat-head .chat-avatar img")).to_be_visible()
        expect(a.locator("#m-4 .msg-card")).to_contain_text("The little café by the river")
    finally:
        phone.close()
        desktop.close()
