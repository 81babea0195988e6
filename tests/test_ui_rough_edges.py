"""Rough edges a person sees (issue 7 item 11): settings tabs, hashtags once, compression, ASGI, docs URL."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.http import HttpRequest, HttpResponseBase
from django.templatetags.static import static
from django.test import AsyncClient, Client, override_settings
from django.urls import include, path, re_path, reverse
from django.views.static import serve

from haven.accounts.tests.factories import UserFactory
from haven.notes.services import note_create
from haven.notes.tests.factories import MediaImageFactory

ROOT = Path(__file__).resolve().parent.parent

SETTINGS_PAGES = {
    "profile": "accounts:settings",
    "reading": "translation:preferences",
    "vocabulary": "translation:vocabulary",
    "password": "accounts:password",
    "tokens": "accounts:tokens",
    "security": "accounts:security",
    "blocked": "graph:blocked",
    "messages": "messaging:settings",
    "safety": "moderation:mine",
    "recommend": "recommend:settings",
    "people": "people:settings",
    "import": "imports:index",
    "privacy": "privacy:center",
}
TABS_RE = re.compile(r'<nav class="tabs settings-tabs"[^>]*>(.*?)</nav>', re.S)
LINK_RE = re.compile(r'<a href="([^"]+)"( aria-current="page")?')


@pytest.mark.django_db
def test_every_settings_page_shows_the_same_tabs_with_its_own_marked(client: Client) -> None:
    client.force_login(UserFactory())
    expected = [reverse(name) for name in SETTINGS_PAGES.values()]
    for name in SETTINGS_PAGES.values():
        url = reverse(name)
        html = client.get(url).content.decode()
        strips = TABS_RE.findall(html)
        assert len(strips) == 1, f"{url}: one settings tab strip expected, found {len(strips)}"
        links = LINK_RE.findall(strips[0])
        assert [href for href, _ in links] == expected, url
        assert [href for href, current in links if current] == [url], url


@pytest.mark.django_db
def test_hashtags_from_the_body_are_not_repeated_as_chips(client: Client) -> None:
    author = UserFactory()
    image = MediaImageFactory(owner=author)
    note = note_create(
        author=author,
        title="Trip #travel",
        body="Coffee at dawn #coffee #weekend",
        image_ids=[image.pk],
        alt_texts=[""],
        cover_index=0,
        visibility="public",
        location_name="",
        publish=True,
    )
    html = client.get(reverse("notes:detail", args=[note.pk])).content.decode()
    for tag in ("coffee", "weekend"):
        assert html.count(f'href="{reverse("feeds:topic", args=[tag])}"') == 1, tag
    # A tag only in the title is not linked inline, so it still gets its chip.
    assert html.count(f'href="{reverse("feeds:topic", args=["travel"])}"') == 1


@pytest.mark.django_db
def test_html_is_sent_gzip_compressed(client: Client) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"<!doctype html>" in gzip.decompress(response.content)
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.django_db
def test_static_css_is_served_compressed_as_in_the_run_command(tmp_path: Path) -> None:
    """The run command collects static files with CompressedManifestStaticFilesStorage."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = static("web/haven.css")
        assert re.search(r"/web/haven\.[0-9a-f]{12}\.css$", url), url
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        body = gzip.decompress(b"".join(response.streaming_content))  # type: ignore[attr-defined]
        assert b"prefers-color-scheme" in body


def _serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    return serve(request, path, document_root=str(django_settings.MEDIA_ROOT))


urlpatterns = [re_path(r"^served/(?P<path>.*)$", _serve_media), path("", include("config.urls"))]


def _asgi_get(path: str, cookies: str = "") -> tuple[int, bytes, list[warnings.WarningMessage]]:
    """One GET through Django's real ASGI handler, recording every warning raised meanwhile."""
    from django.core.handlers.asgi import ASGIHandler

    headers = [(b"host", b"testserver")]
    if cookies:
        headers.append((b"cookie", cookies.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client never disconnects
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _run_in_fresh_loop(ASGIHandler()(scope, receive, send))  # type: ignore[arg-type]
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, list(caught)


def _streaming_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "StreamingHttpResponse" in str(w.message)]


@pytest.mark.django_db(transaction=True)
def _run_in_fresh_loop(coro: Any) -> Any:
    """asyncio.run in its own thread: a browser test in the same worker may hold a running loop."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_static_and_media_files_stream_without_the_asgi_warning(settings: Any) -> None:
    css_status, css, caught = _asgi_get(static("web/haven.css"))
    assert css_status == 200 and b"--accent" in css
    assert _streaming_warnings(caught) == []

    # A file served by django.views.static.serve (a FileResponse), as the embedded profile serves media.
    settings.ROOT_URLCONF = __name__
    rendition = Path(settings.MEDIA_ROOT) / "r" / "test" / "a.webp"
    rendition.parent.mkdir(parents=True)
    rendition.write_bytes(b"RIFF" + b"x" * 300_000)
    media_status, media, caught = _asgi_get("/served/r/test/a.webp")
    assert media_status == 200 and len(media) == 300_004
    assert _streaming_warnings(caught) == []


@pytest.mark.django_db(transaction=True)
def test_streaming_responses_are_async_under_async_client() -> None:
    response = _run_in_fresh_loop(AsyncClient().get(static("web/haven.css")))
    assert response.status_code == 200
    assert response.streaming and response.is_async  # type: ignore[attr-defined]


def test_readme_points_at_the_real_api_docs_url() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        assert not re.search(r"/api/docs\b", text), f"{doc.name} mentions /api/docs (it is /api/v1/docs)"
    assert "/api/v1/docs" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_documented_api_docs_url_answers(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi" in response.content.lower() or b"swagger" in response.content.lower()
    assert client.get("/api/v1/openapi.json").status_code == 200
