"""Places: folding, reading location names as cities and venues, linking notes on create and edit, the
periodic refresh and pruning, the backfill command, the chosen city and its personal data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from haven.core import personal_data
from haven.core.errors import InvalidInput, NotFound
from haven.core.schedule import get_periodic
from haven.notes import places, services
from haven.notes.models import HomeCity, Note, Place
from haven.notes.places import ParsedPlace, city_key, fold, parse_location, place_for_location
from haven.notes.tests.factories import MediaImageFactory, NoteFactory, UserFactory


class TestFold:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("臺北", "台北"),  # Traditional and Simplified
            ("誠品書店", "诚品书店"),
            ("ＭＡＮＮＥＲ Ｃｏｆｆｅｅ", "manner coffee"),  # full-width
            ("Manner  Coffee!", "manner-coffee"),  # spaces and punctuation
            ("Café de Flore", "CAFE DE FLORE"),  # accents on Latin letters
            ("台北 １０１", "臺北101"),
        ],
    )
    def test_variants_fold_alike(self, a: str, b: str) -> None:
        assert fold(a) == fold(b)

    def test_different_names_stay_apart(self) -> None:
        assert fold("上海") != fold("北京")
        assert fold("がっこう") != fold("かつこう")  # marks of other scripts are kept

    @pytest.mark.parametrize(
        ("name", "key"),
        [
            ("上海", "shanghai"),
            ("上海市", "shanghai"),
            ("Shanghai", "shanghai"),
            ("ＳＨＡＮＧＨＡＩ", "shanghai"),
            ("臺北市", "taipei"),
            ("New York City", "newyork"),
            ("嘉兴市", "嘉兴"),  # an unknown Chinese city by its 市
            ("沃尔玛超市", None),  # a supermarket
            ("士林夜市", None),  # a night market
            ("Wukang Road", None),
            ("", None),
        ],
    )
    def test_city_key(self, name: str, key: str | None) -> None:
        assert city_key(name) == key


class TestParse:
    @pytest.mark.parametrize(
        ("text", "city", "venue"),
        [
            ("Manner Coffee, Shanghai", "shanghai", "mannercoffee"),
            ("上海 · Manner Coffee", "shanghai", "mannercoffee"),
            ("上海·Manner Coffee", "shanghai", "mannercoffee"),
            ("上海｜Manner Coffee", "shanghai", "mannercoffee"),
            ("Shanghai - Manner Coffee", "shanghai", "mannercoffee"),
            ("Manner Coffee · 上海", "shanghai", "mannercoffee"),  # the other end is the city
            ("上海 Manner咖啡", "shanghai", "manner咖啡"),  # 城市 店名
            ("Manner咖啡 上海", "shanghai", "manner咖啡"),
            ("📍臺北 · 誠品書店", "taipei", "诚品书店"),
            ("Manner, Wukang Road, Shanghai", "shanghai", "mannerwukangroad"),
            ("上海", "shanghai", None),
            ("上海 · 上海市", "shanghai", None),
            ("Wukang Road", None, "wukangroad"),
            ("Lumen, Wukang Road", None, "lumenwukangroad"),  # no known city: one venue, nothing guessed
            ("York Minster", None, "yorkminster"),  # only a Chinese city name splits on a space
            ("北京、上海", None, "北京上海"),
        ],
    )
    def test_forms(self, text: str, city: str | None, venue: str | None) -> None:
        parsed = parse_location(text)
        assert parsed is not None
        assert (parsed.city_key, parsed.venue_key) == (city, venue)

    @pytest.mark.parametrize("text", ["", "   ", "!!!", "📍", "· , ·"])
    def test_no_name(self, text: str) -> None:
        assert parse_location(text) is None

    def test_names_are_cleaned_for_display(self) -> None:
        assert parse_location("  📍 Ｍａｎｎｅｒ   Coffee ,  Shanghai ") == ParsedPlace(
            city_key="shanghai", city_name="Shanghai", venue_key="mannercoffee", venue_name="Manner Coffee"
        )


@pytest.mark.django_db
class TestPlaceRows:
    def test_variants_make_one_place(self) -> None:
        names = [
            "臺北 · 誠品書店",
            "台北·诚品书店",
            "誠品書店, Taipei",
            "台北市 诚品书店",
            "ＴＡＩＰＥＩ｜誠品書店",
        ]
        venues = {place_for_location(n).pk for n in names}  # type: ignore[union-attr]
        assert len(venues) == 1
        venue = Place.objects.get(pk=venues.pop())
        assert venue.kind == "venue" and venue.name == "誠品書店"
        assert venue.parent is not None and venue.parent.kind == "city" and venue.parent.key == "city:taipei"
        assert place_for_location("台北") == venue.parent
        assert Place.objects.count() == 2

    def test_same_venue_name_in_two_cities(self) -> None:
        a = place_for_location("Manner Coffee, Shanghai")
        b = place_for_location("Manner Coffee, Beijing")
        c = place_for_location("Manner Coffee")
        assert len({a.pk, b.pk, c.pk}) == 3  # type: ignore[union-attr]
        assert c.parent is None  # type: ignore[union-attr]

    def test_empty_name_has_no_place(self) -> None:
        assert place_for_location("") is None


@pytest.mark.django_db
class TestServicesLinkPlaces:
    def test_create_and_edit(self) -> None:
        author = UserFactory()
        image = MediaImageFactory(owner=author)
        note = services.note_create(author=author, image_ids=[image.pk], location_name="上海 · 武康路")
        assert (
            note.place is not None
            and note.place.name == "武康路"
            and note.place.parent.key == "city:shanghai"
        )
        services.note_update(actor=author, note_id=note.pk, location_name="Beijing")
        note.refresh_from_db()
        assert note.place is not None and note.place.key == "city:beijing"
        services.note_update(actor=author, note_id=note.pk, title="only the title")
        note.refresh_from_db()
        assert note.place.key == "city:beijing"  # untouched when the location is not edited
        services.note_update(actor=author, note_id=note.pk, location_name="")
        note.refresh_from_db()
        assert note.place is None

    def test_invalid_location_creates_no_place(self) -> None:
        author = UserFactory()
        with pytest.raises(InvalidInput):
            services.note_create(
                author=author, image_ids=[MediaImageFactory(owner=author).pk], location_name="x" * 101
            )
        assert not Place.objects.exists()


@pytest.mark.django_db
class TestRefreshAndBackfill:
    def test_counts_public_distributable_notes_and_rolls_venues_into_cities(self) -> None:
        venue = place_for_location("上海 · 武康路")
        city = venue.parent  # type: ignore[union-attr]
        NoteFactory(place=venue)
        NoteFactory(place=venue)
        NoteFactory(place=city)
        NoteFactory(place=venue, visibility="private")
        NoteFactory(place=venue, moderation="limited")
        NoteFactory(place=venue, author=UserFactory(is_private=True))
        places.places_refresh()
        venue.refresh_from_db()  # type: ignore[union-attr]
        city.refresh_from_db()
        assert (venue.note_count, city.note_count) == (2, 3)  # type: ignore[union-attr]

    def test_prunes_places_no_note_uses(self) -> None:
        used = place_for_location("Beijing")
        chosen = place_for_location("Tokyo")
        orphan_venue = place_for_location("Lumen, Chengdu")
        NoteFactory(place=used)
        HomeCity.objects.create(user=UserFactory(), place=chosen)
        result = places.places_refresh()
        assert result["pruned"] == 2  # the venue, then its city
        assert set(Place.objects.values_list("pk", flat=True)) == {used.pk, chosen.pk}  # type: ignore[union-attr]
        assert not Place.objects.filter(pk=orphan_venue.pk).exists()  # type: ignore[union-attr]

    def test_periodic_job_is_registered(self) -> None:
        job = get_periodic("notes_places_refresh")
        assert job is not None and job.every == places.REFRESH_EVERY

    def test_backfill_command(self) -> None:
        a = NoteFactory(location_name="Manner Coffee, Shanghai")
        b = NoteFactory(location_name="上海")
        c = NoteFactory(location_name="")
        d = NoteFactory(location_name="!!!")
        out = StringIO()
        call_command("places_backfill", stdout=out)
        assert "linked 2 notes" in out.getvalue()
        for note in (a, b, c, d):
            note.refresh_from_db()
        assert a.place.parent == b.place  # type: ignore[union-attr]
        assert c.place is None and d.place is None
        call_command("places_backfill", stdout=out)  # idempotent
        assert Note.objects.filter(place__isnull=False).count() == 2


@pytest.mark.django_db
class TestHomeCity:
    def test_choose_only_a_city_with_notes_the_member_may_see(self) -> None:
        member = UserFactory()
        city = place_for_location("Shanghai")
        venue = place_for_location("Manner, Shanghai")
        with pytest.raises(NotFound):
            places.home_city_set(user=member, place_id=city.pk)  # type: ignore[union-attr]
        NoteFactory(place=venue, visibility="private")  # someone else's private note
        with pytest.raises(NotFound):
            places.home_city_set(user=member, place_id=city.pk)  # type: ignore[union-attr]
        NoteFactory(place=venue)
        with pytest.raises(NotFound):
            places.home_city_set(user=member, place_id=venue.pk)  # type: ignore[union-attr]
        for bad in ("", "abc", 0, -1, 2**64):
            with pytest.raises(NotFound):
                places.home_city_set(user=member, place_id=bad)
        assert places.home_city_set(user=member, place_id=city.pk) == city  # type: ignore[union-attr]
        assert places.home_city_of(member) == city
        assert places.home_city_of(None) is None
        assert places.home_city_clear(user=member) is True
        assert places.home_city_clear(user=member) is False

    def test_search_cities(self) -> None:
        shanghai = place_for_location("上海")
        beijing = place_for_location("Beijing")
        place_for_location("Tokyo")  # no notes: never offered
        NoteFactory(place=shanghai)
        NoteFactory(place=beijing)
        NoteFactory(place=beijing)
        places.places_refresh()
        assert places.search_cities("") == [beijing, shanghai]
        assert places.search_cities("shang") == [shanghai]  # the English name of 上海
        assert places.search_cities("上") == [shanghai]
        assert places.search_cities("北京") == [beijing]
        assert places.search_cities("tok") == []
        assert len(places.search_cities("", limit=10_000)) == 2
        with pytest.raises(InvalidInput) as exc:
            places.search_cities("x" * 51)
        assert exc.value.code == "query_too_long"

    def test_personal_data(self) -> None:
        member = UserFactory()
        city = place_for_location("Shanghai")
        NoteFactory(place=city)
        places.home_city_set(user=member, place_id=city.pk)  # type: ignore[union-attr]
        registration = personal_data.registration_for(HomeCity)
        assert registration is not None and registration.section == "places"
        rows = list(registration.exporter(member))  # type: ignore[misc]
        assert rows[0]["near_me_city"] == {"id": city.pk, "name": "Shanghai"}  # type: ignore[union-attr]
        assert registration.eraser(member) == 1  # type: ignore[misc]
        assert not HomeCity.objects.exists()
