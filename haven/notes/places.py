"""Places: notes' location names read as cities and venues, place lookups, and the member's chosen city.

How a location name becomes a place (docs/trending-and-places.md has the full rules and examples):

- Folding (`fold`): NFKC, casefold, Traditional -> Simplified (OpenCC t2s), accents dropped from
  Latin letters, then everything but letters and digits removed (spaces and punctuation, full-width
  ones included). "臺北", "台北" and "ＴＡＩＰＥＩ" fold to keys that compare equal where they should.
- A name is a *city* when it is one of KNOWN_CITIES (English or Chinese names, so "Shanghai", "上海"
  and "上海市" are one city), or 2-4 Han characters ending in 市 that are not a market (超市, 夜市 ...).
- "Venue, City" (comma: the city last), "City · Venue" (·, ・, |, or a spaced dash: the city first),
  either end accepted when only the other end is a city; "城市 店名" (a Chinese city name, a space,
  then the venue). A part in the middle stays with the venue ("Manner, Wukang Road, Shanghai").
- Anything else is one venue in no city: nothing is guessed. A venue is unique within its city.

Place rows hold no member's data; places that no note uses any more are pruned by the periodic job.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from haven.core.errors import InvalidInput, NotFound
from haven.core.reportables import ModerationState
from haven.notes.access import parse_id, viewer_id_of, visible_notes
from haven.notes.models import PLACE_KEY_MAX, PLACE_NAME_MAX, HomeCity, Note, Place

QUERY_MAX = 50  # characters of a place search
SEARCH_LIMIT_MAX = 20
VENUES_MAX = 50
REFRESH_BATCH = 1000
PRUNE_MAX = 5000  # places deleted per refresh run at most
REFRESH_EVERY = timedelta(hours=1)

# Known cities: canonical key, then names in English and Chinese (Simplified; Traditional folds to it).
# Extend freely: a name here is read as that city wherever it appears.
KNOWN_CITIES: tuple[tuple[str, ...], ...] = (
    ("beijing", "Beijing", "Peking", "北京"),
    ("shanghai", "Shanghai", "上海"),
    ("guangzhou", "Guangzhou", "Canton", "广州"),
    ("shenzhen", "Shenzhen", "深圳"),
    ("chengdu", "Chengdu", "成都"),
    ("hangzhou", "Hangzhou", "杭州"),
    ("chongqing", "Chongqing", "重庆"),
    ("xian", "Xi'an", "Xian", "西安"),
    ("nanjing", "Nanjing", "南京"),
    ("wuhan", "Wuhan", "武汉"),
    ("suzhou", "Suzhou", "苏州"),
    ("tianjin", "Tianjin", "天津"),
    ("changsha", "Changsha", "长沙"),
    ("xiamen", "Xiamen", "厦门"),
    ("qingdao", "Qingdao", "青岛"),
    ("kunming", "Kunming", "昆明"),
    ("dali", "Dali", "大理"),
    ("lijiang", "Lijiang", "丽江"),
    ("sanya", "Sanya", "三亚"),
    ("harbin", "Harbin", "哈尔滨"),
    ("shenyang", "Shenyang", "沈阳"),
    ("dalian", "Dalian", "大连"),
    ("zhengzhou", "Zhengzhou", "郑州"),
    ("jinan", "Jinan", "济南"),
    ("fuzhou", "Fuzhou", "福州"),
    ("hefei", "Hefei", "合肥"),
    ("ningbo", "Ningbo", "宁波"),
    ("guilin", "Guilin", "桂林"),
    ("lhasa", "Lhasa", "拉萨"),
    ("hongkong", "Hong Kong", "香港"),
    ("macau", "Macau", "Macao", "澳门"),
    ("taipei", "Taipei", "台北"),
    ("kaohsiung", "Kaohsiung", "高雄"),
    ("taichung", "Taichung", "台中"),
    ("tainan", "Tainan", "台南"),
    ("tokyo", "Tokyo", "东京"),
    ("osaka", "Osaka", "大阪"),
    ("kyoto", "Kyoto", "京都"),
    ("seoul", "Seoul", "首尔"),
    ("busan", "Busan", "釜山"),
    ("singapore", "Singapore", "新加坡"),
    ("kualalumpur", "Kuala Lumpur", "吉隆坡"),
    ("bangkok", "Bangkok", "曼谷"),
    ("chiangmai", "Chiang Mai", "清迈"),
    ("hanoi", "Hanoi", "河内"),
    ("hochiminhcity", "Ho Chi Minh City", "Saigon", "胡志明市", "西贡"),
    ("sydney", "Sydney", "悉尼"),
    ("melbourne", "Melbourne", "墨尔本"),
    ("auckland", "Auckland", "奥克兰"),
    ("london", "London", "伦敦"),
    ("paris", "Paris", "巴黎"),
    ("berlin", "Berlin", "柏林"),
    ("rome", "Rome", "罗马"),
    ("milan", "Milan", "米兰"),
    ("barcelona", "Barcelona", "巴塞罗那"),
    ("amsterdam", "Amsterdam", "阿姆斯特丹"),
    ("newyork", "New York", "New York City", "NYC", "纽约"),
    ("losangeles", "Los Angeles", "LA", "洛杉矶"),
    ("sanfrancisco", "San Francisco", "旧金山"),
    ("seattle", "Seattle", "西雅图"),
    ("vancouver", "Vancouver", "温哥华"),
    ("toronto", "Toronto", "多伦多"),
    ("dubai", "Dubai", "迪拜"),
)

# A Han name ending in 市 is a city unless the character before 市 makes it a market or a shop.
_NOT_CITY_BEFORE_SHI = set("超夜菜集门花鱼早股黑街闹灯年书菜鸟跳")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CITY_LAST = re.compile(r"\s*[,，]\s*")  # "Venue, City"
_CITY_FIRST = re.compile(r"\s*[·・•|｜]\s*|\s+[-–—]\s+")  # "City · Venue"
_EDGE_JUNK = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)  # pins, emoji and punctuation at the ends


@functools.cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """The matching key of a name: NFKC, casefold, Traditional -> Simplified, Latin accents dropped,
    only letters and digits kept ("臺北 101" and "台北101" fold alike)."""
    folded = _converter().convert(unicodedata.normalize("NFKC", text or "").casefold())
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", folded):
        category = unicodedata.category(ch)
        if category == "Mn" and out and ord(out[-1]) < 0x250:
            continue  # an accent on a Latin letter (é -> e); other scripts keep their marks
        if category[0] in "LN":
            out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out))


@functools.cache
def _city_aliases() -> dict[str, tuple[str, str]]:
    """folded alias -> (canonical key, canonical English name)."""
    aliases: dict[str, tuple[str, str]] = {}
    for canonical, english, *others in KNOWN_CITIES:
        for name in (canonical, english, *others):
            aliases[fold(name)] = (canonical, english)
    return aliases


def city_key(name: str) -> str | None:
    """The key of `name` read as a city ("上海市", "Shanghai" -> "shanghai"), or None if it is no city."""
    folded = fold(name)
    if not folded:
        return None
    aliases = _city_aliases()
    if folded in aliases:
        return aliases[folded][0]
    if folded.endswith("市") and folded[:-1] in aliases:
        return aliases[folded[:-1]][0]
    if folded.endswith("city") and folded[:-4] in aliases:
        return aliases[folded[:-4]][0]
    han_stem = folded[:-1]
    if (
        folded.endswith("市")
        and 2 <= len(han_stem) <= 4
        and all(_HAN.match(ch) for ch in clean_name(name))  # one word: no spaces or separators
        and han_stem[-1] not in _NOT_CITY_BEFORE_SHI
    ):
        return han_stem
    return None


def clean_name(text: str) -> str:
    """A name for display: NFKC, one space between words, decorations at both ends removed."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text or "").split())
    return _EDGE_JUNK.sub("", cleaned)[:PLACE_NAME_MAX]


@dataclass(frozen=True)
class ParsedPlace:
    """What a location name says: a city, a venue, or a venue in a city (names cleaned, keys folded)."""

    city_key: str | None = None
    city_name: str = ""
    venue_key: str | None = None
    venue_name: str = ""


def _with_city(city_part: str, venue_part: str) -> ParsedPlace | None:
    key = city_key(city_part)
    if key is None:
        return None
    venue = clean_name(venue_part)
    venue_key = fold(venue)
    if not venue_key or city_key(venue) == key:
        return ParsedPlace(city_key=key, city_name=clean_name(city_part))
    return ParsedPlace(city_key=key, city_name=clean_name(city_part), venue_key=venue_key, venue_name=venue)


def parse_location(text: str) -> ParsedPlace | None:
    """Read a location name as a city, a venue, or a venue in a city; None when it holds no name.

    Pure and conservative (see the module docstring): a city is recognised only by name, never guessed
    from its position alone.
    """
    cleaned = clean_name(text)
    if not fold(cleaned):
        return None
    if city_key(cleaned):
        return ParsedPlace(city_key=city_key(cleaned), city_name=cleaned)
    for separator, city_first in ((_CITY_FIRST, True), (_CITY_LAST, False)):
        parts = [p for p in separator.split(cleaned) if fold(p)]
        if len(parts) < 2:
            continue
        sep = " · " if city_first else ", "
        head, tail = parts[0], sep.join(parts[1:])
        front, back = sep.join(parts[:-1]), parts[-1]
        tries = [(head, tail), (back, front)] if city_first else [(back, front), (head, tail)]
        for city_part, venue_part in tries:
            parsed = _with_city(city_part, venue_part)
            if parsed is not None:
                return parsed
    tokens = cleaned.split(" ")
    if len(tokens) >= 2:  # "上海 Manner咖啡" / "Manner咖啡 上海": only a Chinese city name splits on a space
        for city_part, venue_part in ((tokens[0], " ".join(tokens[1:])), (tokens[-1], " ".join(tokens[:-1]))):
            if _HAN.search(city_part):
                parsed = _with_city(city_part, venue_part)
                if parsed is not None:
                    return parsed
    return ParsedPlace(venue_key=fold(cleaned), venue_name=cleaned)


def _get_or_create(key: str, **defaults: Any) -> Place:
    place = Place.objects.filter(key=key).first()
    if place is not None:
        return place
    try:
        with transaction.atomic():
            return Place.objects.create(key=key, **defaults)
    except IntegrityError:  # created by a concurrent writer since the read above
        return Place.objects.get(key=key)


def place_for_location(text: str) -> Place | None:
    """The Place a location name is read as (created when new), or None for an empty name.

    Called by the notes services after the name was validated; 1-2 queries for known places.
    """
    parsed = parse_location(text)
    if parsed is None:
        return None
    city = None
    if parsed.city_key:
        city = _get_or_create(
            f"city:{parsed.city_key}"[:PLACE_KEY_MAX], kind=Place.Kind.CITY, name=parsed.city_name
        )
    if not parsed.venue_key:
        return city
    key = f"venue:{parsed.city_key or ''}/{parsed.venue_key}"[:PLACE_KEY_MAX]
    return _get_or_create(key, kind=Place.Kind.VENUE, name=parsed.venue_name, parent=city)


# ----------------------------------------------------------------------------------------------
# Reads


def get_place(place_id: Any) -> Place:
    """The place with its city, or NotFound ("not_found"). Whether the viewer may see anything there is
    the caller's question (feeds.selectors.place_info answers it through notes.access)."""
    pk = parse_id(place_id)
    place = Place.objects.select_related("parent").filter(pk=pk).first() if pk else None
    if place is None:
        raise NotFound(_("Place not found."))
    return place


def place_scope(place: Place) -> QuerySet[Place, Any]:
    """The place and, for a city, its venues (as a subquery of ids)."""
    if place.kind == Place.Kind.CITY:
        return Place.objects.filter(Q(pk=place.pk) | Q(parent_id=place.pk)).values("pk")
    return Place.objects.filter(pk=place.pk).values("pk")


def venues_of(city: Place, *, limit: int = 12) -> list[Place]:
    """A city's venues that have public notes, most notes first (counts from the periodic refresh)."""
    limit = max(1, min(int(limit), VENUES_MAX))
    return list(
        Place.objects.filter(parent_id=city.pk, note_count__gt=0).order_by("-note_count", "pk")[:limit]
    )


def search_cities(query: str, *, limit: int = 10) -> list[Place]:
    """Cities whose folded key starts with the folded `query` (or whose known name does), that have
    public notes, most notes first. Bounded: `query` at most QUERY_MAX characters, `limit` 1..20."""
    if len(query or "") > QUERY_MAX:
        raise InvalidInput(
            _("Search for a place with at most %(n)d characters.") % {"n": QUERY_MAX},
            code="query_too_long",
            details={"max_length": QUERY_MAX},
        )
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    folded = fold(query or "")
    cities = Place.objects.filter(kind=Place.Kind.CITY, note_count__gt=0)
    if folded:
        canonical = {key for alias, (key, _name) in _city_aliases().items() if alias.startswith(folded)}
        condition = Q(key__startswith=f"city:{folded}")
        if canonical:
            condition |= Q(key__in=[f"city:{key}" for key in sorted(canonical)[:50]])
        cities = cities.filter(condition)
    return list(cities.order_by("-note_count", "pk")[:limit])


def home_city_of(user: Any) -> Place | None:
    """The city `user` chose for "Near me", or None (anonymous viewers have none)."""
    if viewer_id_of(user) is None:
        return None
    choice = HomeCity.objects.select_related("place").filter(user_id=user.pk).first()
    return choice.place if choice else None


def home_city_set(*, user: Any, place_id: Any) -> Place:
    """Choose the city for "Near me": a city where `user` can see notes (else NotFound, like missing)."""
    pk = parse_id(place_id)
    place = Place.objects.filter(pk=pk, kind=Place.Kind.CITY).first() if pk else None
    if place is None or not notes_at(user, place).exists():
        raise NotFound(_("Place not found."))
    HomeCity.objects.update_or_create(user_id=user.pk, defaults={"place": place})
    return place


def home_city_clear(*, user: Any) -> bool:
    """Forget the member's chosen city; True if there was one."""
    deleted, _per_model = HomeCity.objects.filter(user_id=user.pk).delete()
    return bool(deleted)


def notes_at(viewer: Any, place: Place) -> QuerySet[Note]:
    """Published notes at `place` (a city: its venues too) that may be distributed to `viewer`."""
    return visible_notes(viewer).filter(
        status=Note.Status.PUBLISHED, moderation=ModerationState.OK, place_id__in=place_scope(place)
    )


# ----------------------------------------------------------------------------------------------
# Periodic refresh and backfill


def places_refresh() -> dict[str, int]:
    """Recount public distributable notes per place (a city adds its venues'), then prune places that no
    note uses, that have no venue and that no member chose (at most PRUNE_MAX per run). Idempotent."""
    own = dict(
        visible_notes(None)
        .filter(moderation=ModerationState.OK, place__isnull=False)
        .order_by()
        .values("place_id")
        .annotate(n=Count("id"))
        .values_list("place_id", "n")
    )
    totals = dict(own)
    for venue_id, city_id in Place.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        if venue_id in own:
            totals[city_id] = totals.get(city_id, 0) + own[venue_id]
    updated = 0
    changed: list[Place] = []
    for place in Place.objects.only("pk", "note_count").iterator(chunk_size=REFRESH_BATCH):
        count = totals.get(place.pk, 0)
        if place.note_count != count:
            place.note_count = count
            changed.append(place)
        if len(changed) >= REFRESH_BATCH:
            updated += Place.objects.bulk_update(changed, ["note_count"])
            changed = []
    if changed:
        updated += Place.objects.bulk_update(changed, ["note_count"])
    unused = Place.objects.filter(
        ~Exists(Note.objects.filter(place_id=OuterRef("pk"))),
        ~Exists(HomeCity.objects.filter(place_id=OuterRef("pk"))),
    )
    pruned = 0
    venue_ids = list(unused.filter(kind=Place.Kind.VENUE).values_list("pk", flat=True)[:PRUNE_MAX])
    if venue_ids:
        pruned += Place.objects.filter(pk__in=venue_ids).delete()[0]
    city_ids = list(
        unused.filter(kind=Place.Kind.CITY)
        .exclude(Exists(Place.objects.filter(parent_id=OuterRef("pk"))))
        .values_list("pk", flat=True)[: PRUNE_MAX - len(venue_ids)]
    )
    if city_ids:
        pruned += Place.objects.filter(pk__in=city_ids).delete()[0]
    return {"updated": updated, "pruned": pruned}


def backfill_places(*, batch: int = 500, limit: int | None = None) -> int:
    """Link notes that have a location name but no place yet (run by `manage.py places_backfill`);
    returns how many notes were linked. Idempotent and resumable: it walks by id."""
    linked = 0
    after = 0
    while limit is None or linked < limit:
        rows = list(
            Note.objects.filter(pk__gt=after, place__isnull=True)
            .exclude(location_name="")
            .order_by("pk")
            .values_list("pk", "location_name")[:batch]
        )
        if not rows:
            break
        with transaction.atomic():
            for pk, name in rows:
                place = place_for_location(name)
                if place is not None:
                    linked += Note.objects.filter(pk=pk, place__isnull=True).update(place=place)
        after = rows[-1][0]
    return linked


# ----------------------------------------------------------------------------------------------
# Registrations (from NotesConfig.ready())


def register() -> None:
    """The periodic refresh and the personal-data registration of the chosen city."""
    from haven.core import personal_data
    from haven.core.schedule import register_periodic
    from haven.notes import tasks

    register_periodic(
        "notes_places_refresh",
        task=tasks.refresh_places,
        every=REFRESH_EVERY,
        jitter=timedelta(minutes=10),
        description="Recount notes per place and prune places no note uses (notes.places).",
    )
    personal_data.register(
        HomeCity,
        section="places",
        owner_fields=("user",),
        exporter=export_home_city,
        eraser=personal_data.rows_deleter(HomeCity),
    )


def export_home_city(user: Any) -> list[dict[str, Any]]:
    choice = HomeCity.objects.select_related("place").filter(user_id=user.pk).first()
    if choice is None:
        return []
    place = choice.place
    return [
        {
            "near_me_city": {"id": place.pk, "name": place.name},
            "chosen_at": choice.chosen_at.isoformat(),
        }
    ]
