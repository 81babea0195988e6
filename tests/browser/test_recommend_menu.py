"""The Discover card's "⋯" menu in a real browser, on a phone and a desktop (issue 13): it says why a
card is shown, "Not interested in this note" lays a "Got it" notice over the card and Undo takes it
back; the settings page "Your recommendations" lists the choice; impressions reach the events API.

Cards get a reason from Discover's ranking; where the ranking gives none (the v0 feed), this test adds
one, so the menu is exercised whatever ranks the page.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.accounts.tests.factories import UserFactory
from haven.media.services import image_upload
from haven.notes.services import note_create
from haven.recommend import events
from haven.recommend.models import EventKind, InteractionEvent, NotInterested
from tests.browser.conftest import DESKTOP, PHONE, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COLOURS = [("#6f4e37", "#e8d5b9"), ("#3f7d4e", "#cfe8d4"), ("#d9822b", "#fbe3c4"), ("#2f5d8a", "#dfe9f5")]
TOPICS = ["coffee", "hiking", "cooking", "books"]


def _photo(colours: tuple[str, str], seed: int) -> io.BytesIO:
    img = Image.new("RGB", (480, 560 + (seed % 3) * 60), colours[1])
    draw = ImageDraw.Draw(img)
    draw.ellipse((100 + seed * 7 % 120, 140, 340 + seed * 7 % 120, 380), fill=colours[0])
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82)
    buf.seek(0)
    buf.name = "photo.jpg"
    return buf


def _world() -> Any:
    me = UserFactory(username="rina", display_name="Rina")
    authors = [
        UserFactory(username=f"writer{i}", display_name=n) for i, n in enumerate(["Ava", "Ben", "Cleo"])
    ]
    for i in range(12):
        author, topic = authors[i % 3], TOPICS[i % 4]
        image = image_upload(owner=author, file=_photo(COLOURS[i % 4], i))
        note_create(
            author=author,
            title=f"{topic.title()} notes, week {i + 1}",
            body=f"Small things worth sharing. #{topic}",
            image_ids=[image.pk],
        )
    return me


@pytest.fixture
def with_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    from haven.web import views

    original = views.feed_selectors.card_data

    def card_data(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        cards = original(*args, **kwargs)
        for card in cards:
            topic = TOPICS[(card["id"] - 1) % 4]
            card.setdefault("topics", [topic])
            card.setdefault("reason", {"code": "topic", "text": f"Because you like #{topic}", "topic": topic})
        return cards

    monkeypatch.setattr(views.feed_selectors, "card_data", card_data)


def _signed_in(browser: Any, live_server: Any, user: Any, device: dict[str, Any]) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(**device)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return context


@pytest.mark.parametrize(("device", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_card_menu_not_interested_and_undo(
    browser: Any, live_server: Any, shots: Path, with_reasons: None, device: dict[str, Any], name: str
) -> None:
    me = _world()
    context = _signed_in(browser, live_server, me, device)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    cards = page.locator("#discover .card")
    expect(cards.first).to_be_visible()
    assert_no_sideways_scroll(page, f"discover-{name}")
    page.screenshot(path=str(shots / f"recommend-discover-{name}.png"))

    first = cards.first
    note_id = int(first.get_attribute("data-note-id"))
    source = first.get_attribute("data-source")
    assert source, "a Discover card carries its reason code"
    first.locator(".card-more").click()
    menu = first.locator(".card-menu-pop")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("Why this")
    expect(menu.get_by_role("button", name="Not interested in this note")).to_be_visible()
    expect(menu.get_by_role("button", name="Fewer from @")).to_be_visible()
    box = menu.bounding_box()
    width = device["viewport"]["width"]
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box  # the menu stays on screen
    page.screenshot(path=str(shots / f"recommend-menu-{name}.png"))
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    first.locator(".card-more").click()
    menu.get_by_role("button", name="Not interested in this note").click()
    notice = first.locator(".card-dismissed")
    expect(notice).to_contain_text("Got it: you will see less of this.")
    expect(menu).to_be_hidden()
    assert NotInterested.objects.filter(user=me, kind="note", note_id=note_id).exists()
    page.screenshot(path=str(shots / f"recommend-dismissed-{name}.png"))
    notice.get_by_role("button", name="Undo").click()
    expect(notice).to_have_count(0)
    assert not NotInterested.objects.filter(user=me).exists()

    # Impressions of the cards on screen reach the events API (batched; sent when the page is hidden).
    page.goto(f"{live_server.url}/recommend/settings/")
    page.wait_for_load_state("load")
    impressions = InteractionEvent.objects.filter(user=me, kind=EventKind.IMPRESSION).exclude(source="")
    for _ in range(50):
        _flushed()
        if impressions.exists():
            break
        page.wait_for_timeout(100)
    assert impressions.exists(), list(InteractionEvent.objects.values())
    assert_no_sideways_scroll(page, f"settings-{name}")
    page.screenshot(path=str(shots / f"recommend-settings-{name}.png"), full_page=True)
    context.close()


def _flushed() -> None:
    """In the scaled profile events wait in Redis for the periodic flush: run it, as the worker would."""
    if events.enabled():
        events.events_flush()


def test_the_note_page_sends_open_and_dwell(browser: Any, live_server: Any, with_reasons: None) -> None:
    me = _world()
    context = _signed_in(browser, live_server, me, PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    note_id = int(page.locator("#discover .card").first.get_attribute("data-note-id"))
    page.goto(f"{live_server.url}/notes/{note_id}/")
    page.wait_for_timeout(1500)
    page.goto(f"{live_server.url}/recommend/settings/")
    page.wait_for_load_state("load")
    rows = InteractionEvent.objects.filter(user=me, note_id=note_id, kind=EventKind.DWELL)
    for _ in range(50):
        _flushed()
        if rows.exists():
            break
        page.wait_for_timeout(100)
    kinds = dict(InteractionEvent.objects.filter(user=me, note_id=note_id).values_list("kind", "value"))
    assert EventKind.OPEN in kinds and kinds.get(EventKind.DWELL, 0) >= 1000, kinds
    context.close()
