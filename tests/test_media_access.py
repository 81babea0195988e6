"""Media in the visibility oracle: a rendition is fetched only by those who may see its note.

For followers-only and only-me notes, every rendition URL a stranger or an anonymous visitor can
form or obtain answers 404, while the URLs the author (and, for followers-only, a follower) got from
the API and the HTML pages answer 200; narrowing the note revokes the URLs handed out before.
Public notes keep stable, cacheable URLs, which stop working once the note is no longer public.
"""

from __future__ import annotations

import html
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import resolve
from django.views.static import serve

from haven.accounts.tests.factories import UserFactory
from haven.media.models import MediaImage
from haven.media.selectors import rendition_url
from haven.media.views import rendition
from haven.notes import services as notes
from haven.notes.models import Note, NoteImage
from haven.notes.tests.factories import NoteFactory, block, follow

pytestmark = pytest.mark.django_db

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24
MEDIA_SRC = re.compile(r"""(?:src|content)="([^"]*/media/r/[^"]*)\"""")


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _note(author: Any, visibility: str, *, images: int = 2) -> Note:
    note = NoteFactory(author=author, visibility=visibility, images=images)
    for item in NoteImage.objects.filter(note=note).select_related("image"):
        for path in (item.image.grid_path, item.image.detail_path):
            default_storage.save(path, ContentFile(WEBP))
    return note


def _stable_urls(note: Note) -> set[str]:
    """Every URL a rendition of `note` has had without a signature: the old static path and today's."""
    urls = set()
    for image in MediaImage.objects.filter(note_uses__note=note):
        for path in (image.grid_path, image.detail_path):
            urls.add(f"/media/{path}")
            urls.add(f"/media/r/{image.pk}/{path.rsplit('/', 1)[-1]}")
    return urls


def _urls_seen_by(user: Any, note: Note) -> set[str]:
    """Rendition URLs `user` is handed for `note` by the note API, the note page and the feeds."""
    client = _client(user)
    urls: set[str] = set()
    api = client.get(f"/api/v1/notes/{note.pk}")
    assert api.status_code == 200, api.content
    for image in api.json()["images"]:
        urls.update(u for u in (image["grid_url"], image["detail_url"]) if u)
    page = client.get(f"/notes/{note.pk}/")
    assert page.status_code == 200
    urls.update(html.unescape(u).removeprefix("http://testserver") for u in MEDIA_SRC.findall(page.text))
    if user.pk != note.author_id:
        feed = client.get("/api/v1/feeds/following").json()
        urls.update(i["cover"]["grid_url"] for i in feed["items"] if i["id"] == note.pk and i["cover"])
    card = client.get(f"/@{note.author.username}/")
    urls.update(html.unescape(u) for u in MEDIA_SRC.findall(card.text))
    assert len(urls) >= 2, urls  # at least the grid and detail renditions
    return urls


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("visibility", ["followers", "private"])
def test_renditions_of_a_non_public_note_reach_only_those_who_may_see_it(visibility: str) -> None:
    author, follower, stranger = UserFactory(), UserFactory(), UserFactory()
    follow(follower, author)
    follow(stranger, UserFactory())
    note = _note(author, visibility)

    admitted = [author] + ([follower] if visibility == "followers" else [])
    handed_out: dict[int, set[str]] = {}
    for user in admitted:
        handed_out[user.pk] = _urls_seen_by(user, note)
        for url in handed_out[user.pk]:
            assert _status(_client(user), url) == 200, (user.username, url)

    shut_out = [_client(stranger), _client()] + ([_client(follower)] if visibility == "private" else [])
    for client in shut_out:
        for url in _stable_urls(note):
            assert _status(client, url) == 404, url

    # Narrowing the note to only me revokes what the follower was handed, for everyone but the author.
    notes.note_update(actor=author, note_id=note.pk, visibility="private")
    for url in handed_out.get(follower.pk, set()):
        assert _status(_client(follower), url) == 404, url
        assert _status(_client(), url) == 404, url
    for url in _urls_seen_by(author, note):
        assert _status(_client(author), url) == 200, url


def test_a_signed_url_is_bound_to_its_rendition_note_and_time() -> None:
    author = UserFactory()
    note = _note(author, "followers", images=1)
    other = _note(author, "followers", images=1)
    image = MediaImage.objects.get(note_uses__note=note)
    url = rendition_url(image, "grid", note=note)
    path, query = url.split("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    anonymous = _client()
    assert _status(anonymous, url) == 200

    detail_path = path.replace("-grid.webp", "-detail.webp")
    forged = [
        path,  # no signature
        f"{path}?{urlencode({**params, 's': params['s'][:-2] + 'xx'})}",  # tampered
        f"{detail_path}?{query}",  # another rendition of the same image
        f"{path}?{urlencode({**params, 'n': other.pk})}",  # another note
        f"{path}?{urlencode({**params, 'n': 0})}",  # as if minted for the uploader
        f"{path}?{urlencode({**params, 'e': int(params['e']) + 3600})}",  # longer life
        rendition_url(image, "grid", note=note, now=time.time() - 3 * 3600),  # expired
        f"{path}?n=1&e=99999999999999999999&s=x",
        f"{path}?n=-1&e=x&s=",
        "/media/r/99999999999999999999/x-grid.webp",
    ]
    for bad in forged:
        assert _status(anonymous, bad) == 404, bad


def test_serving_headers() -> None:
    author = UserFactory()
    private = _note(author, "private", images=1)
    public = _note(author, "public", images=1)
    signed = _client(author).get(
        rendition_url(MediaImage.objects.get(note_uses__note=private), "grid", note=private)
    )
    assert signed.status_code == 200
    assert signed["Content-Type"] == "image/webp"
    assert signed["X-Content-Type-Options"] == "nosniff"
    cache_control = signed["Cache-Control"]
    assert cache_control.startswith("private, max-age=")
    assert 3600 - 60 <= int(cache_control.rsplit("=", 1)[1]) <= 7200
    assert b"".join(signed.streaming_content) == WEBP  # type: ignore[attr-defined]

    stable = Note.objects.select_related("author").get(pk=public.pk)
    url = rendition_url(MediaImage.objects.get(note_uses__note=public), "detail", note=stable)
    assert "?" not in url  # a note anyone may see keeps a stable, cacheable URL
    response = _client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _client().head(url).status_code == 200
    assert _client().post(url).status_code == 405


def test_stable_urls_stop_working_when_the_note_stops_being_public() -> None:
    author, follower = UserFactory(), UserFactory()
    follow(follower, author)
    note = _note(author, "public", images=1)
    loaded = Note.objects.select_related("author").get(pk=note.pk)
    url = rendition_url(MediaImage.objects.get(note_uses__note=note), "grid", note=loaded)
    assert urlsplit(url).query == ""
    assert _status(_client(), url) == 200

    notes.note_update(actor=author, note_id=note.pk, visibility="followers")
    assert _status(_client(), url) == 404
    assert _status(_client(follower), url) == 404  # followers get signed URLs from now on
    notes.note_update(actor=author, note_id=note.pk, visibility="public")
    assert _status(_client(), url) == 200

    author.is_private = True
    author.save(update_fields=["is_private"])
    assert _status(_client(), url) == 404
    assert all(_status(_client(follower), u) == 200 for u in _urls_seen_by(follower, note))


def test_a_blocked_viewer_and_drafts_get_no_urls() -> None:
    author, blocked = UserFactory(), UserFactory()
    follow(blocked, author)
    note = _note(author, "followers", images=1)
    block(author, blocked)
    assert _client(blocked).get(f"/api/v1/notes/{note.pk}").status_code == 404
    for url in _stable_urls(note):
        assert _status(_client(blocked), url) == 404

    draft = NoteFactory(author=author, draft=True)
    image = MediaImage.objects.get(note_uses__note=draft)
    default_storage.save(image.grid_path, ContentFile(WEBP))
    for url in _stable_urls(draft):
        assert _status(_client(), url) == 404
    assert _status(_client(author), rendition_url(image, "grid", note=draft)) == 200


def test_avatars_stay_public_files() -> None:
    assert resolve("/media/avatars/1/a.webp").func is serve
    assert resolve("/media/r/1/a-grid.webp").func is rendition


def test_the_stable_url_hint_agrees_with_visible_notes() -> None:
    """notes.access.rendition_audience (no queries) says "public" exactly for notes anonymous visitors see."""
    from haven.notes.access import rendition_audience, visible_notes

    for is_private in (False, True):
        author = UserFactory(is_private=is_private)
        for visibility in ("public", "followers", "private"):
            for draft in (False, True):
                NoteFactory(author=author, visibility=visibility, draft=draft)
    anonymous = set(visible_notes(None).values_list("pk", flat=True))
    for note in Note.objects.select_related("author"):
        assert rendition_audience(note)[0] == (note.pk in anonymous), (note.visibility, note.status)
    unloaded = Note.objects.filter(pk__in=anonymous).first()
    assert unloaded is not None and rendition_audience(unloaded)[0] is False  # author not loaded
