"""Caching for the crowd: anonymous Discover, topic, profile and note pages are public with an ETag.

Everything else on those pages (signed in, hidden or limited content, answers that set a cookie)
stays private (haven.core.http_cache, docs/operator-guide.md "Reverse proxy and caching").
"""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.utils.cache import patch_cache_control

from haven.accounts.tests.factories import UserFactory
from haven.core.http_cache import PublicCacheMiddleware
from haven.core.reportables import ModerationState
from haven.notes import services as note_services
from haven.notes.models import Hashtag, Note, NoteHashtag, Visibility
from haven.notes.tests.factories import NoteFactory, follow

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _directives(response: HttpResponse) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def _vary(response: HttpResponse) -> set[str]:
    return {h.strip().lower() for h in response.get("Vary", "").split(",")}


def _assert_public(response: HttpResponse) -> None:
    assert response.status_code == 200
    assert {"public", "max-age=30", "s-maxage=60"} <= _directives(response), response.get("Cache-Control")
    assert "private" not in _directives(response)
    assert response["ETag"].startswith('W/"')
    assert {"cookie", "accept-language"} <= _vary(response)
    assert not response.cookies, response.cookies


def _assert_not_public(response: HttpResponse) -> None:
    assert "public" not in _directives(response), response.get("Cache-Control")
    assert "s-maxage=60" not in _directives(response)
    assert "private" in _directives(response)
    assert not response.has_header("ETag")


@pytest.fixture
def pages() -> dict[str, str]:
    note = NoteFactory(title="Morning light", body="Coffee by the sea #coffee", body_html="<p>Coffee</p>")
    NoteHashtag.objects.create(note=note, hashtag=Hashtag.objects.create(name="coffee"))
    return {
        "discover": "/",
        "topic": "/feeds/topic/coffee/",
        "profile": f"/@{note.author.username}/",
        "note": f"/notes/{note.pk}/",
    }


PAGES = ("discover", "topic", "profile", "note")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_page_is_public_with_an_etag_and_no_cookie(
    client: Client, pages: dict[str, str], page: str
) -> None:
    response = client.get(pages[page])
    _assert_public(response)
    body = response.content.decode()
    assert "Morning light" in body
    # The shared copy carries no per-visitor token: no hidden field, no meta, no csrftoken cookie.
    assert "csrfmiddlewaretoken" not in body
    assert 'name="csrf-token"' not in body
    assert "csrftoken" not in response.cookies


@pytest.mark.parametrize("page", PAGES)
def test_if_none_match_gets_304_without_body(client: Client, pages: dict[str, str], page: str) -> None:
    first = client.get(pages[page])
    again = client.get(pages[page])
    # Two renders differ only by their CSP nonce, which the ETag leaves out.
    assert first.content != again.content
    assert again["ETag"] == first["ETag"]
    response = client.get(pages[page], HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert "public" in _directives(response)
    # A new CSP (new nonce) on a 304 would replace the one cached with the old body's nonce.
    assert not response.has_header("Content-Security-Policy")
    assert client.get(pages[page], HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_head_is_public_too(client: Client, pages: dict[str, str], page: str) -> None:
    etag = client.get(pages[page])["ETag"]
    response = client.head(pages[page])
    assert response.status_code == 200
    assert "public" in _directives(response)
    assert client.head(pages[page], HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_an_edit_changes_the_etag(client: Client) -> None:
    note = NoteFactory(title="Before")
    url = f"/notes/{note.pk}/"
    old = client.get(url)["ETag"]
    note_services.note_update(actor=note.author, note_id=note.pk, title="After")
    response = client.get(url, HTTP_IF_NONE_MATCH=old)
    assert response.status_code == 200
    assert "After" in response.content.decode()
    assert response["ETag"] != old


def test_languages_get_their_own_etag(client: Client) -> None:
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert chinese["Content-Language"] == "zh-hans"
    assert english["ETag"] != chinese["ETag"]
    crossed = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN", HTTP_IF_NONE_MATCH=english["ETag"])
    assert crossed.status_code == 200


def test_htmx_fragment_varies_on_hx_request(client: Client) -> None:
    for _ in range(25):
        NoteFactory()
    page = client.get("/")
    cursor = page.content.decode().split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")
    fragment = client.get(cursor, **HTMX)
    full = client.get(cursor)
    _assert_public(fragment)
    assert "hx-request" in _vary(fragment)
    assert fragment["ETag"] != full["ETag"]


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_is_private(client: Client, pages: dict[str, str], page: str) -> None:
    etag = client.get(pages[page])["ETag"]
    client.force_login(UserFactory())
    response = client.get(pages[page], HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200  # never the visitors' 304
    _assert_not_public(response)
    assert "no-cache" in _directives(response)
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_followers_only_note_is_never_public(client: Client) -> None:
    note = NoteFactory(visibility=Visibility.FOLLOWERS)
    url = f"/notes/{note.pk}/"
    hidden = client.get(url)
    assert hidden.status_code == 404
    _assert_not_public(hidden)
    fan = UserFactory()
    follow(fan, note.author)
    client.force_login(fan)
    shown = client.get(url)
    assert shown.status_code == 200
    _assert_not_public(shown)


def test_public_note_of_a_private_account_is_never_public(client: Client) -> None:
    note = NoteFactory(author=UserFactory(private=True))
    response = client.get(f"/notes/{note.pk}/")
    assert response.status_code == 404
    _assert_not_public(response)


def test_private_profile_is_never_public(client: Client) -> None:
    owner = UserFactory(private=True)
    NoteFactory(author=owner, title="Secret diary")
    response = client.get(f"/@{owner.username}/")
    assert response.status_code == 200  # the header is shown to strangers ...
    assert "Secret diary" not in response.content.decode()
    _assert_not_public(response)  # ... but never kept by shared caches


def test_limited_note_and_its_profile_are_never_public(client: Client) -> None:
    note = NoteFactory(title="Limited reach")
    Note.objects.filter(pk=note.pk).update(moderation=ModerationState.LIMITED)
    page = client.get(f"/notes/{note.pk}/")
    assert page.status_code == 200
    _assert_not_public(page)
    profile = client.get(f"/@{note.author.username}/")
    assert "Limited reach" in profile.content.decode()
    _assert_not_public(profile)


def test_missing_pages_are_never_public(client: Client) -> None:
    for url in ("/notes/999999/", "/@nobody-here/"):
        response = client.get(url)
        assert response.status_code == 404
        _assert_not_public(response)


def test_a_pending_message_cookie_keeps_the_page_private(client: Client, pages: dict[str, str]) -> None:
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "You are logged out.")])
    response = client.get(pages["discover"])
    assert "You are logged out." in response.content.decode()
    assert "messages" in response.cookies  # shown once: the cookie is deleted
    _assert_not_public(response)


def test_a_stale_session_cookie_keeps_the_page_private(client: Client, pages: dict[str, str]) -> None:
    client.cookies["sessionid"] = "no-such-session"
    response = client.get(pages["note"])
    assert "sessionid" in response.cookies  # the empty session's cookie is deleted
    _assert_not_public(response)


def test_any_response_that_sets_a_cookie_loses_public() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=600)
        response.set_cookie("flavour", "oat")
        return response

    response = PublicCacheMiddleware(view)(RequestFactory().get("/anything"))
    assert "public" not in _directives(response)  # type: ignore[arg-type]
    assert "private" in _directives(response)  # type: ignore[arg-type]


def test_other_pages_are_left_alone(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert "public" in _directives(response)
    assert not response.has_header("ETag")


@override_settings(PUBLIC_CACHE_SECONDS=0)
@pytest.mark.parametrize("page", PAGES)
def test_turned_off_nothing_is_public(client: Client, pages: dict[str, str], page: str) -> None:
    response = client.get(pages[page])
    assert response.status_code == 200
    assert "public" not in _directives(response)
    assert not response.has_header("ETag")
    assert 'name="csrf-token"' in response.content.decode()  # pages render their token as before


def test_anonymous_note_page_links_like_and_save_to_login(client: Client) -> None:
    note = NoteFactory()
    body = client.get(f"/notes/{note.pk}/").content.decode()
    login = f'href="/accounts/login/?next=/notes/{note.pk}/"'
    assert f'class="bar-btn bar-like" {login}' in body
    assert f'class="bar-btn bar-save" {login}' in body
    assert 'class="like-form"' not in body
