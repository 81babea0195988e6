"""The visibility oracle over place pages and trending topics (the worlds and the rule of
tests/test_visibility_oracle.py, reused as they are).

Every note of a random world is put at one venue of a city; for every viewer the city's and the
venue's notes (API and HTML) must be exactly the notes the rule lets Discover and topics show them,
and a place where the viewer may see no note must look missing (404). Trending counts only notes that
anyone may be shown (public, from public accounts, not suspended, moderation ok), so the count of #t
in the snapshot must match the rule for an anonymous viewer.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis.extra.django import TestCase

import tests.test_visibility_oracle as oracle
from haven.accounts.models import User
from haven.feeds import trending
from haven.notes import places
from haven.notes.models import Note


def _expected_trend(w: oracle.World) -> int | None:
    """The recent count #t must show with, or None when it must not trend (minimum support)."""
    counted = [
        n
        for n in w.notes
        if oracle.distributed(w, None, n) and n.visibility == "public" and n.author_id not in w.private
    ]
    authors = {n.author_id for n in counted}
    if len(counted) >= trending.MIN_RECENT_NOTES and len(authors) >= trending.MIN_RECENT_AUTHORS:
        return len(counted)
    return None


#: A world where #t trends (three public notes by three authors), with a block, a mute, a draft and
#: notes for followers or the author alone at the same place.
TRENDING_WORLD = {
    "n": 3,
    "private": [False, False, False, False],
    "follows": [(2, 1)],
    "approve": [True] * 8,
    "blocks": [(0, 1)],
    "mutes": [(2, 0)],
    "notes": [
        (0, "public", False),
        (1, "public", False),
        (2, "public", False),
        (0, "followers", False),
        (1, "private", False),
        (2, "public", True),
    ],
    "comments": [],
    "likes": [],
    "saves": [],
    "moderation": ["ok"] * 6,
    "comment_moderation": ["ok"] * 5,
    "suspended": [False] * 4,
}


class PlacesAndTrendingOracle(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(oracle.MODERATED_WORLD)
    @example(TRENDING_WORLD)
    @given(oracle.worlds)
    def test_place_pages_and_trending_match_the_rule(self, spec: dict) -> None:
        w = oracle.build(spec)
        venue = places.place_for_location("Lumen, Shanghai")
        assert venue is not None and venue.parent is not None
        city = venue.parent
        Note.objects.filter(pk__in=[n.pk for n in w.notes]).update(place=venue)
        trending.compute_trending(now=timezone.now() + dt.timedelta(seconds=1))

        want = _expected_trend(w)
        if spec == TRENDING_WORLD:
            assert want == 3  # the example does exercise a trending topic
        items = Client().get("/api/v1/feeds/trending?limit=30").json()["items"]
        shown = {i["tag"]: i["recent_count"] for i in items}
        assert shown.get("t") == want, f"trending {shown} world={spec}"

        viewers: list[User | None] = [*w.users, None]
        for viewer in viewers:
            if viewer is not None and viewer.pk in w.suspended:
                continue
            vid = viewer.pk if viewer else None
            client = Client()
            if viewer:
                client.force_login(viewer)
            ctx = f"viewer={vid} world={spec}"
            expected = {n.pk for n in w.notes if oracle.distributed(w, vid, n)}
            any_visible = any(
                oracle.oracle_sees(w, vid, n) and n.status == "published" and n.moderation == "ok"
                for n in w.notes
            )
            for place in (city, venue):
                r = client.get(f"/api/v1/feeds/places/{place.pk}/notes?limit=50")
                assert r.status_code == (200 if any_visible else 404), f"place api {place.kind} {ctx}"
                if r.status_code == 200:
                    assert oracle._ids(r.json()["items"]) == expected, f"place api {place.kind} {ctx}"
                status, links = oracle._html_note_ids(client, reverse("feeds:place", args=[place.pk]))
                assert status == (200 if any_visible else 404), f"place html {place.kind} {ctx}"
                assert links <= expected, f"place html {place.kind} {ctx}"
