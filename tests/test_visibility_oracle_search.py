"""The visibility oracle over search: results, people, topics and suggestions while typing (the worlds
and the rule of tests/test_visibility_oracle.py, reused as they are).

For every viewer of a random world, a search that matches every note must return exactly the notes
the rule lets Discover and topics show them, less "Only me" notes, which are never indexed (API and
HTML); people search and suggestions never show a suspended member or one blocked either way (or
muted by the viewer); the topic #t is found, and suggested, only when the viewer may be shown at least
one public note of a public account carrying it (a topic is public: notes for followers, or of
private accounts, do not make one; the member's own drafts do not either).
"""

from __future__ import annotations

from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis.extra.django import TestCase

import tests.test_visibility_oracle as oracle
from haven.accounts.models import User
from haven.core import searchables
from haven.search import index


def _member_findable(w: oracle.World, viewer: int | None, member: int) -> bool:
    if member in w.suspended or oracle.blocked(w, viewer, member):
        return False
    return viewer is None or (viewer, member) not in w.mutes


class SearchOracle(TestCase):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @example(oracle.MODERATED_WORLD)
    @given(oracle.worlds)
    def test_search_and_suggestions_match_the_rule(self, spec: dict) -> None:
        w = oracle.build(spec)
        for kind in searchables.kinds():
            index.reindex(kind, clear=True)
        viewers: list[User | None] = [*w.users, None]
        for viewer in viewers:
            if viewer is not None and viewer.pk in w.suspended:
                continue
            vid = viewer.pk if viewer else None
            client = Client()
            if viewer:
                client.force_login(viewer)
            ctx = f"viewer={vid} world={spec}"
            shown = [n for n in w.notes if oracle.distributed(w, vid, n) and n.visibility != "private"]
            expected = {n.pk for n in shown}

            notes = client.get("/api/v1/search", {"q": "note", "limit": 50, "remember": "false"})
            assert notes.status_code == 200, ctx
            assert {i["id"] for i in notes.json()["items"]} == expected, f"search api {ctx}"
            status, links = oracle._html_note_ids(client, "/search/?q=note")
            assert status == 200 and links == expected, f"search html {ctx}"

            people = client.get(
                "/api/v1/search", {"q": "m", "type": "member", "limit": 50, "remember": "false"}
            )
            found = {i["id"] for i in people.json()["items"]}
            findable = {u.pk for u in w.users if _member_findable(w, vid, u.pk)}
            assert found <= findable, f"people {ctx}"
            for u in w.users:
                one = client.get(
                    "/api/v1/search", {"q": u.username, "type": "member", "remember": "false"}
                ).json()["items"]
                assert (u.pk in {i["id"] for i in one}) == (u.pk in findable), f"people {u.username} {ctx}"

            topic_shown = any(n.visibility == "public" and n.author_id not in w.private for n in shown)
            topics = client.get("/api/v1/search", {"q": "t", "type": "topic", "remember": "false"}).json()
            assert bool(topics["items"]) == topic_shown, f"topics {ctx}"
            suggested = client.get("/api/v1/search/suggest", {"q": "m"}).json()["items"]
            assert {s["id"] for s in suggested if s["kind"] == "member"} <= findable, f"suggest {ctx}"
            tags = client.get("/api/v1/search/suggest", {"q": "t"}).json()["items"]
            assert any(s["kind"] == "topic" for s in tags) == topic_shown, f"suggest topic {ctx}"
