"""The HTML search pages: results in tabs, filters, suggestions, recent searches, the box on every page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.tests.factories import UserFactory
from haven.notes.tests.factories import NoteFactory
from haven.search.models import SearchHistory
from haven.search.tests.helpers import index_all, tag

pytestmark = pytest.mark.django_db
URL = "/search/"


def test_every_page_has_the_search_box(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'class="topbar-search"' in home and 'action="/search/"' in home
    page = client.get(URL).content.decode()
    assert 'class="topbar-search"' not in page  # the search page has its own, bigger box
    assert 'name="q"' in page and "autofocus" in page


def test_notes_people_and_topics_tabs(client: Client) -> None:
    note = tag(NoteFactory(title="周末咖啡地图", body="三家咖啡店"), "咖啡")
    person = UserFactory(username="kafei_lin", display_name="咖啡林")
    index_all()
    notes = client.get(URL, {"q": "咖啡"})
    assert notes.status_code == 200
    html = notes.content.decode()
    assert (
        f'href="/notes/{note.pk}/"' in html
        and 'data-tab="member"' in html
        and 'data-tab="product"' in html  # products are searchable since commerce
    )
    people = client.get(URL, {"q": "咖啡", "type": "member"}).content.decode()
    assert f'data-hit="member-{person.pk}"' in people and "@kafei_lin" in people
    topics = client.get(URL, {"q": "kafei", "type": "topic"}).content.decode()
    assert 'data-hit="topic-' in topics and "#咖啡</a>" in topics


def test_filters_and_bad_input(client: Client) -> None:
    NoteFactory(title="Hand-pulled noodles", language="en")
    index_all()
    chinese_only = client.get(URL, {"q": "noodles", "lang": "zh"}).content.decode()
    assert "Nothing found" in chinese_only
    assert (
        "Hand-pulled noodles"
        in client.get(URL, {"q": "noodles", "lang": "en", "since": "week"}).content.decode()
    )
    # Unknown filter values fall back to "any"; an over-long query gets a clear 400, never a 500.
    assert (
        client.get(URL, {"q": "noodles", "lang": "xx", "since": "forever", "type": "nope"}).status_code == 200
    )
    assert client.get(URL, {"q": "x" * 500}).status_code == 200  # cut to 100 characters, like the box
    bad_cursor = client.get(URL, {"q": "noodles", "cursor": "garbage"})
    assert bad_cursor.status_code == 400 and b"cursor" in bad_cursor.content.lower()


def test_suggestions_while_typing(client: Client) -> None:
    UserFactory(username="kafei_lin", display_name="咖啡林")
    tag(NoteFactory(title="x"), "咖啡")
    index_all()
    html = client.get(reverse("search:suggest"), {"q": "kaf"}).content.decode()
    assert "@kafei_lin" in html and "咖啡" in html and "/search/?q=kaf" in html
    assert client.get(reverse("search:suggest"), {"q": ""}).content.strip() == b""


def test_recent_searches_are_private_and_deletable(client: Client) -> None:
    member, other = UserFactory(), UserFactory()
    client.force_login(member)
    client.get(URL, {"q": "noodles"})
    client.get(URL, {"q": "咖啡", "type": "member"})
    entry = SearchHistory.objects.get(user=member, query="noodles")
    home = client.get(URL).content.decode()
    assert "Recent searches" in home and "noodles" in home and "type=member" in home
    client.force_login(other)
    assert "noodles" not in client.get(URL).content.decode()
    assert client.post(reverse("search:history_delete", args=[entry.pk])).status_code == 404
    client.force_login(member)
    assert client.post(reverse("search:history_delete", args=[entry.pk])).status_code == 302
    assert not SearchHistory.objects.filter(pk=entry.pk).exists()
    client.post(reverse("search:history_clear"))
    assert not SearchHistory.objects.filter(user=member).exists()
    # Anonymous visitors search without a history.
    client.logout()
    assert client.get(URL, {"q": "noodles"}).status_code == 200
    assert client.post(reverse("search:history_clear")).status_code == 302  # to the login page


def test_partial_matches_are_said(client: Client) -> None:
    NoteFactory(title="Oat milk latte at home", language="en")
    index_all()
    html = client.get(URL, {"q": "latte zzzqqq"}).content.decode()
    assert "data-relaxed" in html and "Oat milk latte" in html
    body = client.get("/api/v1/search", {"q": "latte zzzqqq"}).json()
    assert body["relaxed"] is True and body["items"]
    assert client.get("/api/v1/search", {"q": "latte"}).json()["relaxed"] is False
