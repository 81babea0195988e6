"""Query budgets of the hot read paths: pinned, and independent of how much there is to show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haven.accounts.tests.factories import UserFactory
from haven.engagement import services as engagement
from haven.engagement.tests.factories import CommentFactory
from haven.graph.tests.factories import FollowFactory
from haven.notes.tests.factories import NoteFactory

pytestmark = pytest.mark.django_db

# Measured counts (embedded profile) + 2 of headroom for the scaled profile's extra round trips.
# Budgets include the session and user lookups of a signed-in request, and the navigation's badges
# (unread notifications; unread messages and requests: one aggregate query each).
BUDGETS = {
    # Discover: + what the personal ranking reads of the member (recommend.serving: history, choices in
    # one UNION, their history's topics, the candidates' topics, their latest seen-marks).
    "discover_api": 15,
    "following_api": 7,
    "profile_notes_api": 9,
    "profile_card_api": 8,
    "note_api": 8,
    "discover_html": 18,
    "following_html": 8,
    "profile_html": 15,  # +1 since people: the owner's self-declared former handles (one query)
    "note_html": 19,  # +1 commerce: the products tagged (one query); +1 imports: where it was first posted
}


def _world(n: int) -> tuple[Client, dict[str, str]]:
    """A reader following an author with `n` notes (3 images each), likes, and `n` comments with replies;
    `n` notes by others."""
    reader, author = UserFactory(), UserFactory()
    FollowFactory(follower=reader, followee=author)
    notes = [NoteFactory(author=author, images=3) for _ in range(n)]
    for note in notes:
        engagement.note_like(user=reader, note_id=note.pk)
    # Notes of someone the reader does not follow and has not engaged with: what a personalised
    # Discover shows (it leaves out what the member already liked).
    for _ in range(n):
        NoteFactory(author=UserFactory(), images=3)
    first = notes[0]
    for _ in range(n):
        top = CommentFactory(note=first, author=UserFactory())
        CommentFactory(note=first, author=UserFactory(), parent=top)
    client = Client()
    client.force_login(reader)
    limit = str(n)
    return client, {
        "discover_api": f"/api/v1/feeds/discover?limit={limit}",
        "following_api": f"/api/v1/feeds/following?limit={limit}",
        "profile_notes_api": f"/api/v1/feeds/users/{author.username}/notes?limit={limit}",
        "profile_card_api": f"/api/v1/graph/users/{author.username}",
        "note_api": f"/api/v1/notes/{first.pk}",
        "discover_html": "/",
        "following_html": "/feeds/following/",
        "profile_html": f"/@{author.username}/",
        "note_html": f"/notes/{first.pk}/",
    }


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, sessions) so both sizes start alike
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_query_count_is_pinned_and_does_not_grow(path: str) -> None:
    counts = []
    for n in (3, 12):
        client, urls = _world(n)
        counts.append(_count(client, urls[path]))
    small, large = counts
    assert small == large, f"{path}: {small} queries for 3 items but {large} for 12"
    assert large <= BUDGETS[path], f"{path}: {large} queries, budget {BUDGETS[path]}"
