"""Place pages and Near me: HTML views and the JSON API (status codes, error codes, bounded inputs,
visibility through notes.access) and query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from haven.feeds.tests.factories import NoteFactory, UserFactory, block, mute
from haven.notes import places
from haven.notes.models import HomeCity, Place

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shanghai() -> dict[str, Any]:
    """Shanghai with two venues; public notes at the city and at each venue."""
    venue = places.place_for_location("上海 · 武康路")
    other = places.place_for_location("Manner Coffee, Shanghai")
    assert venue is not None and other is not None and venue.parent is not None
    city = venue.parent
    notes = {
        "city": NoteFactory(place=city, title="Skyline at dusk"),
        "venue": NoteFactory(place=venue, title="Plane trees on Wukang Road"),
        "other": NoteFactory(place=other, title="Flat white"),
    }
    places.places_refresh()
    return {"city": city, "venue": venue, "other": other, "notes": notes}


class TestPlacePage:
    def test_city_page_lists_its_venues_notes(self, client: Client, shanghai: dict[str, Any]) -> None:
        r = client.get(f"/feeds/place/{shanghai['city'].pk}/")
        assert r.status_code == 200
        body = r.content.decode()
        for note in shanghai["notes"].values():
            assert f"/notes/{note.pk}/" in body
        assert "3 notes" in body
        assert f'href="/feeds/place/{shanghai["venue"].pk}/"' in body  # the venue list
        assert "武康路" in body and "Manner Coffee" in body

    def test_venue_page_links_its_city(self, client: Client, shanghai: dict[str, Any]) -> None:
        body = client.get(f"/feeds/place/{shanghai['venue'].pk}/").content.decode()
        notes = shanghai["notes"]
        assert f"/notes/{notes['venue'].pk}/" in body
        assert f"/notes/{notes['city'].pk}/" not in body
        assert f"/notes/{notes['other'].pk}/" not in body
        assert f'href="/feeds/place/{shanghai["city"].pk}/"' in body

    @pytest.mark.parametrize("place_id", ["0", "99999999", "9" * 30])
    def test_missing_place(self, client: Client, place_id: str) -> None:
        assert client.get(f"/feeds/place/{place_id}/").status_code == 404

    def test_place_known_only_from_hidden_notes_is_not_found(self, client: Client) -> None:
        author, stranger = UserFactory(), UserFactory()
        secret = places.place_for_location("12 Quiet Lane, Shanghai")
        NoteFactory(author=author, place=secret, visibility="private", title="My flat")
        assert client.get(f"/feeds/place/{secret.pk}/").status_code == 404  # type: ignore[union-attr]
        client.force_login(stranger)
        assert client.get(f"/feeds/place/{secret.pk}/").status_code == 404  # type: ignore[union-attr]
        assert client.get(f"/api/v1/feeds/places/{secret.pk}").status_code == 404  # type: ignore[union-attr]
        client.force_login(author)  # the author sees their own note there
        assert "My flat" in client.get(f"/feeds/place/{secret.pk}/").content.decode()  # type: ignore[union-attr]

    def test_moderated_and_blocked_notes_stay_out(self, client: Client, shanghai: dict[str, Any]) -> None:
        viewer = UserFactory()
        limited = NoteFactory(place=shanghai["venue"], moderation="limited", title="Limited")
        held = NoteFactory(place=shanghai["venue"], moderation="held", title="Held")
        blocked_author = UserFactory()
        blocked_note = NoteFactory(place=shanghai["venue"], author=blocked_author, title="Blocked")
        muted_author = UserFactory()
        muted_note = NoteFactory(place=shanghai["venue"], author=muted_author, title="Muted")
        block(viewer, blocked_author)
        mute(viewer, muted_author)
        client.force_login(viewer)
        body = client.get(f"/feeds/place/{shanghai['city'].pk}/").content.decode()
        for hidden in (limited, held, blocked_note, muted_note):
            assert f"/notes/{hidden.pk}/" not in body

    def test_pages_and_htmx_next_page(self, client: Client, shanghai: dict[str, Any]) -> None:
        for i in range(22):
            NoteFactory(place=shanghai["venue"], title=f"Extra {i}")
        body = client.get(f"/feeds/place/{shanghai['venue'].pk}/").content.decode()
        next_url = body.split('class="load-more" hx-get="')[1].split('"')[0].replace("&amp;", "&")
        more = client.get(next_url, **HTMX).content.decode()
        assert "hx-swap-oob" in more and "Extra 0" in more
        assert client.get(f"/feeds/place/{shanghai['venue'].pk}/?cursor=garbage").status_code == 400

    def test_note_page_links_its_place(self, client: Client, shanghai: dict[str, Any]) -> None:
        note = shanghai["notes"]["venue"]
        note.location_name = "上海 · 武康路"
        note.save(update_fields=["location_name"])
        body = client.get(f"/notes/{note.pk}/").content.decode()
        assert f'href="/feeds/place/{shanghai["venue"].pk}/"' in body

    def test_query_budget(
        self, client: Client, shanghai: dict[str, Any], django_assert_max_num_queries: Any
    ) -> None:
        for i in range(15):
            NoteFactory(place=shanghai["venue"], title=f"More {i}")
        viewer = UserFactory()
        client.force_login(viewer)
        client.get(f"/feeds/place/{shanghai['city'].pk}/")  # warm caches (site settings, translations)
        # session + user, place, count, venues, home city, page, card prefetches, likes (10 measured).
        with django_assert_max_num_queries(11):
            assert client.get(f"/feeds/place/{shanghai['city'].pk}/").status_code == 200


class TestNear:
    def test_anonymous_sees_the_picker(self, client: Client, shanghai: dict[str, Any]) -> None:
        r = client.get("/feeds/places/near/")
        assert r.status_code == 200
        body = r.content.decode()
        assert "Choose your city" in body
        assert f'href="/feeds/place/{shanghai["city"].pk}/"' in body  # popular cities offered
        assert "never reads your location from your photos" in body
        assert client.post("/feeds/places/near/", {"place_id": shanghai["city"].pk}).status_code == 302
        assert not HomeCity.objects.exists()

    def test_picker_search_as_you_type(self, client: Client, shanghai: dict[str, Any]) -> None:
        fragment = client.get("/feeds/places/near/?picker=1&q=shang", **HTMX).content.decode()
        assert "<html" not in fragment and "上海" in fragment
        fragment = client.get("/feeds/places/near/?picker=1&q=nowhere", **HTMX).content.decode()
        assert "No city with notes matches" in fragment
        r = client.get("/feeds/places/near/?picker=1&q=" + "x" * 500, **HTMX)
        assert r.status_code == 200 and "at most 50 characters" in r.content.decode()

    def test_choose_see_change_and_forget(self, client: Client, shanghai: dict[str, Any]) -> None:
        member = UserFactory()
        client.force_login(member)
        assert "Choose your city" in client.get("/feeds/places/near/").content.decode()
        r = client.post("/feeds/places/near/", {"place_id": shanghai["city"].pk})
        assert r.status_code == 302 and r.url == "/feeds/places/near/"
        body = client.get("/feeds/places/near/").content.decode()
        assert "Choose your city" not in body
        for note in shanghai["notes"].values():
            assert f"/notes/{note.pk}/" in body
        assert "Choose your city" in client.get("/feeds/places/near/?change=1").content.decode()
        city_page = client.get(f"/feeds/place/{shanghai['city'].pk}/").content.decode()
        assert "Your city" in city_page
        client.post("/feeds/places/near/", {"clear": "1"})
        assert not HomeCity.objects.filter(user=member).exists()

    @pytest.mark.parametrize("value", ["", "abc", "0", "-3", "9" * 40])
    def test_bad_choices_are_refused_gently(self, client: Client, value: str) -> None:
        client.force_login(UserFactory())
        r = client.post("/feeds/places/near/", {"place_id": value})
        assert r.status_code == 302
        assert not HomeCity.objects.exists()

    def test_a_venue_cannot_be_chosen(self, client: Client, shanghai: dict[str, Any]) -> None:
        client.force_login(UserFactory())
        client.post("/feeds/places/near/", {"place_id": shanghai["venue"].pk})
        assert not HomeCity.objects.exists()


class TestApi:
    def test_place_info_and_notes(self, client: Client, shanghai: dict[str, Any]) -> None:
        city = shanghai["city"]
        r = client.get(f"/api/v1/feeds/places/{city.pk}")
        assert r.status_code == 200
        body = r.json()
        assert body["kind"] == "city" and body["note_count"] == 3 and body["city"] is None
        assert {v["name"] for v in body["venues"]} == {"武康路", "Manner Coffee"}
        assert body["venues"][0]["city"] is None or body["venues"][0]["city"]["id"] == city.pk
        venue = client.get(f"/api/v1/feeds/places/{shanghai['venue'].pk}").json()
        assert venue["city"] == {"id": city.pk, "kind": "city", "name": city.name}
        notes = client.get(f"/api/v1/feeds/places/{city.pk}/notes?limit=2").json()
        assert len(notes["items"]) == 2 and notes["next_cursor"]
        rest = client.get(
            f"/api/v1/feeds/places/{city.pk}/notes?limit=2&cursor={notes['next_cursor']}"
        ).json()
        assert len(rest["items"]) == 1 and rest["next_cursor"] is None

    @pytest.mark.parametrize(
        ("url", "status", "code"),
        [
            ("/api/v1/feeds/places/99999", 404, "not_found"),
            ("/api/v1/feeds/places/0", 422, "invalid_input"),
            ("/api/v1/feeds/places/abc", 422, "invalid_input"),
            ("/api/v1/feeds/places/" + "9" * 30, 422, "invalid_input"),
            ("/api/v1/feeds/places/99999/notes", 404, "not_found"),
            ("/api/v1/feeds/places?q=" + "x" * 51, 422, "invalid_input"),
            ("/api/v1/feeds/places?limit=21", 422, "invalid_input"),
            ("/api/v1/feeds/near", 401, "not_authenticated"),
        ],
    )
    def test_errors(self, client: Client, url: str, status: int, code: str) -> None:
        r = client.get(url)
        assert r.status_code == status
        assert r.json()["code"] == code

    def test_bad_cursor(self, client: Client, shanghai: dict[str, Any]) -> None:
        r = client.get(f"/api/v1/feeds/places/{shanghai['city'].pk}/notes?cursor=nope")
        assert r.status_code == 400 and r.json()["code"] == "invalid_cursor"

    def test_search(self, client: Client, shanghai: dict[str, Any]) -> None:
        r = client.get("/api/v1/feeds/places?q=上")
        assert r.status_code == 200
        assert [p["id"] for p in r.json()] == [shanghai["city"].pk]
        assert r.json()[0]["note_count"] == 3

    def test_near_me(self, client: Client, shanghai: dict[str, Any]) -> None:
        member = UserFactory()
        client.force_login(member)
        assert client.get("/api/v1/feeds/near").json() == {"city": None, "items": [], "next_cursor": None}
        r = client.put(
            "/api/v1/feeds/near/city", {"place_id": shanghai["city"].pk}, content_type="application/json"
        )
        assert r.status_code == 200 and r.json()["id"] == shanghai["city"].pk
        near = client.get("/api/v1/feeds/near").json()
        assert near["city"]["id"] == shanghai["city"].pk and len(near["items"]) == 3
        for bad, status in (({"place_id": shanghai["venue"].pk}, 404), ({"place_id": 0}, 422), ({}, 422)):
            r = client.put("/api/v1/feeds/near/city", bad, content_type="application/json")
            assert r.status_code == status
        assert client.delete("/api/v1/feeds/near/city").status_code == 204
        assert not HomeCity.objects.exists()

    def test_place_api_query_budget(
        self, client: Client, shanghai: dict[str, Any], django_assert_max_num_queries: Any
    ) -> None:
        for i in range(15):
            NoteFactory(place=shanghai["venue"], title=f"More {i}")
        # place, count, page and its card prefetches: constant in the page size (4 measured)
        with django_assert_max_num_queries(5):
            assert client.get(f"/api/v1/feeds/places/{shanghai['city'].pk}/notes?limit=20").status_code == 200
        with django_assert_max_num_queries(3):  # place, count, venues
            assert client.get(f"/api/v1/feeds/places/{shanghai['city'].pk}").status_code == 200


def test_place_rows_hold_no_member() -> None:
    assert not [
        f for f in Place._meta.get_fields() if getattr(f, "related_model", None) is UserFactory._meta.model
    ]
