"""Generate a realistic community straight into the database named by HAVEN_DATABASE_URL.

    HAVEN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench \
        .venv/bin/python -m bench.generate --size S --reset

Rows are written directly (PostgreSQL COPY, SQLite executemany in big transactions) with secondary
indexes and foreign keys dropped during the load and rebuilt after, then ANALYZE. Table and column
names come from Django's models; nothing else goes through the ORM. See docs/scaling.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from bench.common import OUT, db_label, django_setup, guard_database
from bench.generate import tastes

SIZES: dict[str, dict[str, int]] = {
    "XS": {
        "members": 1_000,
        "notes": 10_000,
        "follows": 50_000,
        "likes": 50_000,
        "comments": 5_000,
        "events": 200_000,
    },
    "S": {
        "members": 10_000,
        "notes": 100_000,
        "follows": 1_000_000,
        "likes": 1_000_000,
        "comments": 50_000,
        "events": 2_000_000,
    },
    "M": {
        "members": 100_000,
        "notes": 1_000_000,
        "follows": 10_000_000,
        "likes": 10_000_000,
        "comments": 500_000,
        "events": 5_000_000,
    },
}
CELEBRITIES = 3  # members 1..3, each followed by 10 % of all members
PASSWORD = "bench-password-2026"  # noqa: S105 - a public bench fixture  # every generated member; one precomputed Argon2 hash
IMAGE_POOL = 200
CHUNK = 100_000
NOTE_WINDOW_DAYS = 60
# Hidden tastes (bench/generate/tastes.py): written to bench/out/tastes-<database>.json, never to the
# product database. Shares of taste-driven picks; the rest go to popular notes.
AUTHOR_TOPIC_SHARE = 0.7  # a note's topic is one of its author's interests, else any topic (uniform):
# supply is flatter than demand, so notes of popular topics draw more engagement each
MAIN_TAG_SHARE = 0.85  # notes tagged with their topic's hashtag in their language (the rest: untagged)
OTHER_TAG_SHARE = 0.2  # ... of those, also with the same topic's hashtag in the other language
GENERIC_TAG_SHARE = 0.15  # notes with a tag that says nothing about the topic (#weekend, #日常)
TASTE_SHARE = 0.8  # likes
SAVE_RATIO = 0.3  # saves per like
SAVE_TASTE_SHARE = 0.9
COMMENT_TASTE_SHARE = 0.7
OPEN_TASTE_SHARE = 0.6  # opens of the note page that did not end in a like
EXTRA_OPEN_RATIO = 1.0  # such opens per like
PASSING_IMPRESSION_RATIO = 2.0  # impressions that led nowhere, per open
EVENT_DAYS = 21  # interaction events cover the last days only (the size's "events" budget caps them)


@dataclass
class Table:
    """A target table and the generated columns, named from the Django model."""

    model: Any
    fields: Sequence[str]

    @property
    def name(self) -> str:
        return str(self.model._meta.db_table)

    @property
    def columns(self) -> list[str]:
        return [self.model._meta.get_field(f).column for f in self.fields] + [c for c, _v in self.defaults]

    @property
    def defaults(self) -> list[tuple[str, Any]]:
        """Columns the generator does not write that need a value (NOT NULL, no database default): the
        model's default, so a field added to a model later does not break the generator."""
        from django.db import connection

        out = []
        for f in self.model._meta.concrete_fields:
            if f.name in self.fields or f.primary_key or f.null:
                continue
            value = f.get_default()  # the declared default, or "" for text fields
            if value is not None:
                out.append((f.column, f.get_db_prep_save(value, connection)))
        return out


def ts(seconds: np.ndarray) -> list[str]:
    """Epoch seconds -> 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC), vectorised."""
    micros = (seconds * 1_000_000).astype("int64").astype("datetime64[us]")
    return [s.replace("T", " ") for s in np.datetime_as_string(micros, unit="us")]


# ---------------------------------------------------------------------------------------------
# Writers


class Writer:
    """Loads rows into one database vendor, and drops/rebuilds secondary indexes around the load."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        connection.ensure_connection()
        self.restore: list[str] = []

    def tz(self, values: list[str]) -> list[str]:
        return [v + "+00" for v in values] if self.vendor == "postgresql" else values

    def truncate(self, tables: Iterable[str]) -> None:
        names = list(tables)
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
            else:
                cur.execute("PRAGMA foreign_keys=OFF")
                for name in names:
                    cur.execute(f"DELETE FROM {name}")  # noqa: S608 - table names come from models
                cur.execute("DELETE FROM sqlite_sequence")
                cur.execute("PRAGMA foreign_keys=ON")

    def drop_secondary(self, tables: Sequence[str], label: str) -> None:
        """Drop foreign keys, unique constraints and non-primary indexes; remember how to rebuild them."""
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute(
                    "SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid), c.contype "
                    "FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) "
                    "AND c.contype IN ('f', 'u') ORDER BY c.contype DESC",
                    [list(tables)],
                )
                constraints = cur.fetchall()
                cur.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
                    "AND i.tablename = ANY(%s) AND i.indexname NOT IN "
                    "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
                    [list(tables)],
                )
                indexes = cur.fetchall()
                drops = [
                    f'ALTER TABLE {t} DROP CONSTRAINT "{n}"' for n, t, _d, kind in constraints if kind == "f"
                ]
                drops += [
                    f'ALTER TABLE {t} DROP CONSTRAINT "{n}"' for n, t, _d, kind in constraints if kind == "u"
                ]
                drops += [f'DROP INDEX "{n}"' for n, _d in indexes]
                self.restore = [d for _n, d in indexes]
                self.restore += [
                    f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for n, t, d, k in constraints if k == "u"
                ]
                self.restore += [
                    f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for n, t, d, k in constraints if k == "f"
                ]
            else:
                placeholders = ",".join("?" * len(tables))
                cur.execute(
                    f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                    f"AND tbl_name IN ({placeholders})",
                    list(tables),
                )
                indexes = cur.fetchall()
                drops = [f'DROP INDEX "{n}"' for n, _s in indexes]
                self.restore = [s for _n, s in indexes]
            OUT.mkdir(parents=True, exist_ok=True)
            (OUT / f"restore-indexes-{label}.sql").write_text(";\n".join(self.restore) + ";\n")
            for statement in drops:
                cur.execute(statement)

    def rebuild_secondary(self) -> float:
        started = time.perf_counter()
        with self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute("SET maintenance_work_mem = '512MB'")
            for statement in self.restore:
                cur.execute(statement)
            cur.execute("ANALYZE")
        return time.perf_counter() - started

    def load(self, table: Table, chunks: Iterator[list[tuple[Any, ...]]]) -> int:
        columns = ", ".join(table.columns)
        extra = tuple(v for _c, v in table.defaults)
        if extra:
            chunks = ([row + extra for row in chunk] for chunk in chunks)
        count = 0
        if self.vendor == "postgresql":
            pg = self.connection.connection
            with pg.cursor() as cur, cur.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for chunk in chunks:
                    for row in chunk:
                        copy.write_row(row)
                    count += len(chunk)
            pg.commit()
        else:
            sql = f"INSERT INTO {table.name} ({columns}) VALUES ({','.join('?' * len(table.columns))})"  # noqa: S608
            raw = self.connection.connection
            for chunk in chunks:
                raw.execute("BEGIN")
                raw.executemany(sql, chunk)
                raw.execute("COMMIT")
                count += len(chunk)
        return count

    def reset_sequences(self, tables: Sequence[str]) -> None:
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cur:
            for name in tables:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )


# ---------------------------------------------------------------------------------------------
# Distributions


def pareto_counts(rng: np.random.Generator, n: int, total: int, cap: int, shape: float = 1.1) -> np.ndarray:
    """`n` non-negative integer counts with a power-law tail, each <= cap, summing to about `total`."""
    raw = rng.pareto(shape, n) + 0.05
    counts = raw / raw.sum() * total
    for _i in range(6):  # clip the head and spread the surplus over the rest
        counts = np.minimum(counts, cap)
        missing = total - counts.sum()
        room = counts < cap
        if missing <= 1 or not room.any():
            break
        counts[room] += missing * counts[room] / counts[room].sum()
    counts = np.minimum(counts, cap)  # when the total cannot fit under the cap, the cap wins
    return np.floor(counts + rng.random(n)).astype(np.int64)


def unique_pairs(left: np.ndarray, right: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (left, right) pairs, self pairs dropped."""
    keep = left != right
    codes = np.unique(left[keep].astype(np.int64) * width + right[keep])
    return codes // width, codes % width


def burst_times(rng: np.random.Generator, n: int, now: float) -> np.ndarray:
    """Epoch seconds over the last NOTE_WINDOW_DAYS: a steady base, a daily rhythm and bursts."""
    window = NOTE_WINDOW_DAYS * 86400
    base = now - rng.random(n) * window
    # daily rhythm: fold a third of the times into the evening hours (UTC 11-15, Asia's evening)
    evening = rng.random(n) < 0.33
    day_start = np.floor(base / 86400) * 86400
    base[evening] = day_start[evening] + 11 * 3600 + rng.random(int(evening.sum())) * 4 * 3600
    # bursts: 25 % of notes fall into 60 short bursts (an event, a trend), exponential widths
    in_burst = rng.random(n) < 0.25
    centers = now - rng.random(60) * window
    which = rng.integers(0, 60, int(in_burst.sum()))
    base[in_burst] = centers[which] + rng.exponential(1800, int(in_burst.sum()))
    # the last day is busier (a live community), so Following pages are fresh
    recent = rng.random(n) < 0.05
    base[recent] = now - rng.random(int(recent.sum())) * 86400
    return np.minimum(base, now - 1)


# ---------------------------------------------------------------------------------------------
# The image pool


def make_image_pool(media_root: Any) -> list[dict[str, Any]]:
    """IMAGE_POOL small real WebP renditions (540 px wide) written once under MEDIA_ROOT/r/bench/."""
    from PIL import Image, ImageDraw

    from haven.core.images import blurhash_of

    folder = media_root / "r" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "pool.json"
    if index.exists():
        pool = json.loads(index.read_text())
        if len(pool) == IMAGE_POOL:
            return list(pool)
    rng = random.Random(7)
    pool = []
    for i in range(IMAGE_POOL):
        height = (720, 540, 675, 405)[i % 4]
        top = tuple(rng.randrange(40, 230) for _c in range(3))
        bottom = tuple(rng.randrange(20, 200) for _c in range(3))
        img = Image.new("RGB", (540, height))
        draw = ImageDraw.Draw(img)
        for y in range(height):
            t = y / height
            draw.line(
                [(0, y), (540, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            )
        for _s in range(rng.randint(3, 8)):
            x, y, r = rng.randrange(540), rng.randrange(height), rng.randrange(20, 140)
            colour = tuple(rng.randrange(256) for _c in range(3))
            (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
                [x - r, y - r, x + r, y + r], fill=colour
            )
        buffer = io.BytesIO()
        img.save(buffer, "WEBP", quality=70)
        data = buffer.getvalue()
        path = f"r/bench/{i:03d}.webp"
        (media_root / path).write_bytes(data)
        pool.append(
            {
                "path": path,
                "width": 540,
                "height": height,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "blurhash": blurhash_of(img),
            }
        )
    index.write_text(json.dumps(pool))
    return pool


# ---------------------------------------------------------------------------------------------
# The run


def chunked(count: int, build: Any) -> Iterator[list[tuple[Any, ...]]]:
    for start in range(0, count, CHUNK):
        yield build(start, min(count, start + CHUNK))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--reset", action="store_true", help="empty the community tables first")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-indexes", action="store_true", help="load with indexes in place")
    args = parser.parse_args(argv)

    django_setup()
    guard_database()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench.generate import text
    from haven.accounts.models import ApiToken, User
    from haven.engagement.models import Collection, Comment, NoteLike, Save
    from haven.feeds.models import SeenNote
    from haven.graph.models import Follow
    from haven.media.models import MediaImage
    from haven.notes.models import Hashtag, Note, NoteHashtag, NoteImage
    from haven.notifications.models import Notification
    from haven.recommend.models import (
        EventKind,
        InteractionEvent,
        NotInterested,
        RecommenderModel,
        TopicFollow,
    )

    size = SIZES[args.size]
    label = db_label()
    rng = np.random.default_rng(args.seed)
    prng = random.Random(args.seed)
    writer = Writer()
    now = time.time()
    stats: dict[str, dict[str, float]] = {}
    started_all = time.perf_counter()

    tables = {
        "user": Table(
            User,
            (
                "id",
                "password",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "display_name",
                "bio",
                "avatar",
                "avatar_blurhash",
                "languages",
                "region",
                "interface_language",
                "is_private",
            ),
        ),
        "follow": Table(Follow, ("follower", "followee", "created_at")),
        "media": Table(
            MediaImage,
            (
                "id",
                "owner",
                "state",
                "original_path",
                "original_format",
                "byte_size",
                "sha256",
                "width",
                "height",
                "blurhash",
                "grid_path",
                "detail_path",
                "error_code",
                "attempts",
                "created_at",
                "state_changed_at",
                "processed_at",
            ),
        ),
        "note": Table(
            Note,
            (
                "id",
                "author",
                "title",
                "body",
                "body_html",
                "location_name",
                "visibility",
                "status",
                "cover_index",
                "language",
                "language_confidence",
                "like_count",
                "save_count",
                "comment_count",
                "created_at",
                "updated_at",
                "published_at",
            ),
        ),
        "note_image": Table(NoteImage, ("note", "image", "position", "alt_text")),
        "hashtag": Table(Hashtag, ("id", "name", "created_at")),
        "note_hashtag": Table(NoteHashtag, ("note", "hashtag")),
        "like": Table(NoteLike, ("user", "note", "created_at")),
        "collection": Table(Collection, ("id", "owner", "name", "is_public", "is_default", "created_at")),
        "save": Table(Save, ("user", "note", "collection", "created_at")),
        "event": Table(
            InteractionEvent, ("user", "note", "kind", "value", "source", "model_version", "created_at")
        ),
        "comment": Table(
            Comment,
            (
                "note",
                "author",
                "body",
                "body_html",
                "language",
                "language_confidence",
                "like_count",
                "reply_count",
                "created_at",
            ),
        ),
    }
    names = [t.name for t in tables.values()]
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {User._meta.db_table}")  # noqa: S608
        existing = cur.fetchone()[0]
    if existing and not args.reset:
        sys.exit(f"{label} already has {existing} members; pass --reset to replace the community")
    extra = [
        m._meta.db_table
        for m in (ApiToken, SeenNote, Notification, NotInterested, TopicFollow, RecommenderModel)
    ]
    writer.truncate(extra + names)
    if not args.keep_indexes:
        writer.drop_secondary(names, label)

    def timed(key: str, table: Table, chunks: Iterator[list[tuple[Any, ...]]]) -> None:
        t0 = time.perf_counter()
        rows = writer.load(table, chunks)
        seconds = time.perf_counter() - t0
        stats[key] = {
            "rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / max(seconds, 1e-9)),
        }
        print(
            f"  {key:<13} {rows:>11,} rows {seconds:8.1f} s {rows / max(seconds, 1e-9):>11,.0f} rows/s",
            flush=True,
        )

    print(f"generating size {args.size} into {label} ({writer.vendor})", flush=True)
    n = size["members"]

    # --- members -------------------------------------------------------------------------------
    password = make_password(PASSWORD)
    joined = ts(now - rng.random(n) * 730 * 86400)
    joined = writer.tz(joined)
    private = rng.random(n) < 0.02
    private[:CELEBRITIES] = False
    people = [text.display_name(prng, i) for i in range(1, n + 1)]
    regions = ("CN", "US", "SG", "GB", "TW", "CA", "AU", "")

    def users(lo: int, hi: int) -> list[tuple[Any, ...]]:
        return [
            (
                i + 1,
                password,
                False,
                f"m{i + 1}",
                "",
                "",
                f"m{i + 1}@bench.invalid",
                False,
                True,
                joined[i],
                people[i][0],
                "",
                "",
                "",
                json.dumps(people[i][1]),
                regions[i % len(regions)],
                people[i][2],
                bool(private[i]),
            )
            for i in range(lo, hi)
        ]

    timed("members", tables["user"], chunked(n, users))

    # --- follows: 3 celebrities followed by 10 % each, then a capped power law -------------------
    celeb_followers = [
        rng.choice(np.arange(1, n + 1), size=n // 10, replace=False) for _c in range(CELEBRITIES)
    ]
    rest = max(0, size["follows"] - sum(len(f) for f in celeb_followers))
    counts = pareto_counts(rng, n - CELEBRITIES, int(rest * 1.02), cap=max(1, n // 20))
    followee = np.concatenate(
        [np.full(len(f), c + 1) for c, f in enumerate(celeb_followers)]
        + [np.repeat(np.arange(CELEBRITIES + 1, n + 1), counts)]
    )
    follower = np.concatenate([*celeb_followers, rng.integers(1, n + 1, int(counts.sum()))])
    follower, followee = unique_pairs(follower, followee, n + 1)
    follow_at = writer.tz(ts(now - rng.random(len(follower)) * 365 * 86400))
    fl, fe = follower.tolist(), followee.tolist()
    timed(
        "follows",
        tables["follow"],
        chunked(len(fl), lambda lo, hi: list(zip(fl[lo:hi], fe[lo:hi], follow_at[lo:hi], strict=True))),
    )
    follower_counts = np.bincount(followee, minlength=n + 1)

    # --- hidden tastes: 2-4 interests per member among the topics, Zipf-popular ----------------------
    n_topics = len(text.TOPICS)
    topic_p = tastes.topic_weights(n_topics)
    interests, interest_count = tastes.draw_interests(rng, n, topic_p)
    reads_zh = np.array([False] + ["zh" in people[i][1] for i in range(n)])
    reads_en = np.array([False] + ["en" in people[i][1] for i in range(n)])

    # --- notes (authors skewed towards popular members) and their images -------------------------
    # Each note has one main topic (mostly one of its author's interests) and is written in a language
    # its author reads; most carry the topic's hashtag in that language, some the other one too.
    m = size["notes"]
    weights = np.sqrt(follower_counts[1:].astype(float) + 1.0)
    authors = rng.choice(np.arange(1, n + 1), size=m, p=weights / weights.sum())
    published = np.sort(burst_times(rng, m, now))  # ids follow publication order, as in real life
    own_topic = rng.random(m) < AUTHOR_TOPIC_SHARE
    pick_interest = (rng.random(m) * interest_count[authors]).astype(np.int64)
    note_topic = np.where(own_topic, interests[authors, pick_interest], rng.integers(0, n_topics, m))
    lang_roll = rng.random(m)
    a_zh, a_en = reads_zh[authors], reads_en[authors]
    note_zh = np.where(a_zh & a_en, lang_roll < 0.5, np.where(a_zh, lang_roll >= 0.03, lang_roll < 0.03))
    note_bucket = note_topic * 2 + note_zh.astype(np.int64)
    per_pool = 120 if m <= 100_000 else 250
    pools = text.topic_note_pool(prng, per_pool)
    variant = rng.integers(0, per_pool, m)
    # hashtags: ids 2t+1 (English) and 2t+2 (Chinese) for topic t, then the generic tags
    main_tag = rng.random(m) < MAIN_TAG_SHARE
    other_tag = main_tag & (rng.random(m) < OTHER_TAG_SHARE)
    generic_tag = rng.random(m) < GENERIC_TAG_SHARE
    generic_id = 2 * n_topics + 1 + note_zh.astype(np.int64) * 3 + rng.integers(0, 3, m)
    all_tags = text.all_tags()
    visibility_roll = rng.random(m)
    draft = rng.random(m) < 0.01
    images_per_note = rng.choice([1, 2, 3, 4], size=m, p=[0.55, 0.25, 0.12, 0.08])
    note_of_image = np.repeat(np.arange(1, m + 1), images_per_note)
    starts = np.cumsum(images_per_note) - images_per_note
    position = np.arange(len(note_of_image)) - np.repeat(starts, images_per_note)
    pool = make_image_pool(settings.MEDIA_ROOT)
    pick = rng.integers(0, len(pool), len(note_of_image))
    statuses = np.where(draft, "draft", "published")
    vis = np.where(visibility_roll < 0.92, "public", np.where(visibility_roll < 0.98, "followers", "private"))

    # --- taste-driven engagement: likes, saves, comments on public notes, after publication --------
    # A note's appeal (a heavy tail, a little more for authors with many followers) weighs every pick;
    # TASTE_SHARE of a member's likes go to notes of their interests, the rest to popular notes.
    appeal = (rng.pareto(1.5, m) + 0.2) * (follower_counts[authors].astype(float) + 1.0) ** 0.25
    open_note = (~draft) & (vis == "public")
    note_ids = np.arange(1, m + 1)
    index = tastes.NoteIndex.build(
        note_ids[open_note], note_bucket[open_note], appeal[open_note], 2 * n_topics, popular_power=1.5
    )

    def engagements(total: int, taste_share: float, delay_hours: float) -> tuple[np.ndarray, ...]:
        """(users, notes, at, in_taste) of about `total` distinct engagements (members' activity on a
        power law), each some time after its note was published; those still in the future dropped."""
        cap = max(20, min(m // 20, 5000))
        activity = pareto_counts(rng, n, int(total * 1.5), cap=cap, shape=1.2)
        users = np.repeat(np.arange(1, n + 1), activity)
        notes, in_taste = tastes.choose_notes(
            rng,
            users,
            interests=interests,
            count=interest_count,
            reads_zh=reads_zh,
            reads_en=reads_en,
            index=index,
            taste_share=taste_share,
        )
        at = published[notes - 1] + rng.exponential(delay_hours * 3600, len(notes))
        keep = (at < now - 1) & (authors[notes - 1] != users)
        users, notes, at, in_taste = users[keep], notes[keep], at[keep], in_taste[keep]
        _codes, first = np.unique(users * (m + 1) + notes, return_index=True)
        if len(first) > total:
            first = rng.choice(first, size=total, replace=False)
        first.sort()
        return users[first], notes[first], at[first], in_taste[first]

    like_user, like_note, like_time, like_taste = engagements(size["likes"], TASTE_SHARE, 36)
    save_user, save_note, save_time, _st = engagements(int(size["likes"] * SAVE_RATIO), SAVE_TASTE_SHARE, 48)
    comment_user, comment_note, comment_time, _ct = engagements(size["comments"], COMMENT_TASTE_SHARE, 24)
    per_note_likes = np.bincount(like_note, minlength=m + 1)
    per_note_saves = np.bincount(save_note, minlength=m + 1)
    per_note_comments = np.bincount(comment_note, minlength=m + 1)

    pub = ts(published)
    pub_tz = writer.tz(pub)
    a_list, v_list, b_list = authors.tolist(), variant.tolist(), note_bucket.tolist()
    tag_lists: list[list[int]] = [[] for _i in range(m)]
    for i in np.flatnonzero(main_tag).tolist():
        tag_lists[i].append(b_list[i] + 1)  # the topic's tag in the note's language
    for i in np.flatnonzero(other_tag).tolist():
        tag_lists[i].append((b_list[i] ^ 1) + 1)  # the same topic's tag in the other language
    for i in np.flatnonzero(generic_tag).tolist():
        tag_lists[i].append(int(generic_id[i]))

    def notes(lo: int, hi: int) -> list[tuple[Any, ...]]:
        rows = []
        for i in range(lo, hi):
            language, title, body, body_html = pools[b_list[i]][v_list[i]]
            body, body_html = text.with_tags(body, body_html, [all_tags[t - 1] for t in tag_lists[i]])
            is_draft = bool(draft[i])
            rows.append(
                (
                    i + 1,
                    a_list[i],
                    title,
                    body,
                    body_html,
                    "",
                    str(vis[i]),
                    str(statuses[i]),
                    0,
                    language,
                    0.9,
                    int(per_note_likes[i + 1]),
                    int(per_note_saves[i + 1]),
                    int(per_note_comments[i + 1]),
                    pub_tz[i],
                    pub_tz[i],
                    None if is_draft else pub_tz[i],
                )
            )
        return rows

    timed("notes", tables["note"], chunked(m, notes))

    img_owner = authors[note_of_image - 1].tolist()
    img_note = note_of_image.tolist()
    img_pick = pick.tolist()

    def media(lo: int, hi: int) -> list[tuple[Any, ...]]:
        rows = []
        for j in range(lo, hi):
            p = pool[img_pick[j]]
            at = pub_tz[img_note[j] - 1]
            rows.append(
                (
                    j + 1,
                    img_owner[j],
                    "ready",
                    "",
                    "webp",
                    p["bytes"],
                    p["sha256"],
                    p["width"],
                    p["height"],
                    p["blurhash"],
                    p["path"],
                    p["path"],
                    "",
                    1,
                    at,
                    at,
                    at,
                )
            )
        return rows

    timed("media_images", tables["media"], chunked(len(img_note), media))
    pos = position.tolist()
    timed(
        "note_images",
        tables["note_image"],
        chunked(len(img_note), lambda lo, hi: [(img_note[j], j + 1, pos[j], "") for j in range(lo, hi)]),
    )

    hashtag_at = writer.tz(ts(np.array([now - 400 * 86400])))[0]
    timed("hashtags", tables["hashtag"], iter([[(k + 1, t, hashtag_at) for k, t in enumerate(all_tags)]]))
    tagged = [(i + 1, t) for i in range(m) for t in tag_lists[i]]
    timed("note_hashtags", tables["note_hashtag"], chunked(len(tagged), lambda lo, hi: tagged[lo:hi]))

    like_at = writer.tz(ts(like_time))
    ln, lu = like_note.tolist(), like_user.tolist()
    timed(
        "likes",
        tables["like"],
        chunked(len(ln), lambda lo, hi: list(zip(lu[lo:hi], ln[lo:hi], like_at[lo:hi], strict=True))),
    )

    # saves: one default collection ("Saved", private) per member who saved, as the product makes it
    savers = np.unique(save_user)
    collection_of = np.zeros(n + 1, dtype=np.int64)
    collection_of[savers] = np.arange(1, len(savers) + 1)
    first_save = np.full(n + 1, now)
    np.minimum.at(first_save, save_user, save_time)
    collection_at = writer.tz(ts(first_save[savers] - 1))
    sv = savers.tolist()
    timed(
        "collections",
        tables["collection"],
        chunked(
            len(sv),
            lambda lo, hi: [(j + 1, sv[j], "Saved", False, True, collection_at[j]) for j in range(lo, hi)],
        ),
    )
    save_at = writer.tz(ts(save_time))
    su, sn, sc = save_user.tolist(), save_note.tolist(), collection_of[save_user].tolist()
    timed(
        "saves",
        tables["save"],
        chunked(len(su), lambda lo, hi: [(su[j], sn[j], sc[j], save_at[j]) for j in range(lo, hi)]),
    )

    comment_at = writer.tz(ts(comment_time))
    cvariants = text.comment_pool(prng, 2000)  # even indexes English, odd Chinese
    cv = (
        rng.integers(0, len(cvariants) // 2, len(comment_note)) * 2
        + note_zh[comment_note - 1].astype(np.int64)
    ).tolist()
    cn, ca = comment_note.tolist(), comment_user.tolist()

    def comments(lo: int, hi: int) -> list[tuple[Any, ...]]:
        return [
            (cn[j], ca[j], *cvariants[cv[j]][1:], cvariants[cv[j]][0], 0.9, 0, 0, comment_at[j])
            for j in range(lo, hi)
        ]

    timed("comments", tables["comment"], chunked(len(cn), comments))

    # --- interaction events of the last EVENT_DAYS: impressions, opens and dwell -----------------
    # Every like in the window was an open (and an impression before it); more opens follow tastes
    # less strictly; most impressions are of popular notes and lead nowhere. Likes, saves and
    # comments themselves are read from the engagement tables, so they are not repeated here.
    window_start = now - EVENT_DAYS * 86400
    recent_like = like_time >= window_start
    extra_user, extra_note, extra_open, extra_taste = engagements(
        int(len(like_user) * EXTRA_OPEN_RATIO) + 1, OPEN_TASTE_SHARE, 24
    )
    recent_extra = extra_open >= window_start
    visit_user = np.concatenate([like_user[recent_like], extra_user[recent_extra]])
    visit_note = np.concatenate([like_note[recent_like], extra_note[recent_extra]])
    visit_open = np.concatenate(
        [like_time[recent_like] - rng.uniform(5, 120, int(recent_like.sum())), extra_open[recent_extra]]
    )
    liked_visit = np.concatenate(
        [np.ones(int(recent_like.sum()), bool), np.zeros(int(recent_extra.sum()), bool)]
    )
    visit_taste = np.concatenate([like_taste[recent_like], extra_taste[recent_extra]])
    passing = int(len(visit_user) * PASSING_IMPRESSION_RATIO)
    budget = size["events"]
    if 3 * len(visit_user) + passing > budget:  # keep a random share of the visits within the budget
        share = budget / (3 * len(visit_user) + passing)
        keep = rng.random(len(visit_user)) < share
        visit_user, visit_note, visit_open = visit_user[keep], visit_note[keep], visit_open[keep]
        liked_visit, visit_taste = liked_visit[keep], visit_taste[keep]
        passing = int(passing * share)
    visit_open = np.maximum(visit_open, window_start)
    dwell_ms = rng.lognormal(np.where(liked_visit | visit_taste, np.log(25_000), np.log(5_000)), 0.8)
    dwell_ms = np.minimum(dwell_ms, 600_000).astype(np.int64)
    pass_user = np.repeat(np.arange(1, n + 1), np.bincount(visit_user, minlength=n + 1)[1:])
    pass_user = pass_user[rng.integers(0, max(1, len(pass_user)), passing)] if len(pass_user) else pass_user
    pass_note = index.popular(rng, len(pass_user))
    pass_at = np.maximum(published[pass_note - 1], window_start) + rng.exponential(24 * 3600, len(pass_user))
    keep = (pass_at < now - 1) & (authors[pass_note - 1] != pass_user)
    pass_user, pass_note, pass_at = pass_user[keep], pass_note[keep], pass_at[keep]
    nv = len(visit_user)
    ev_user = np.concatenate([visit_user, visit_user, visit_user, pass_user])
    ev_note = np.concatenate([visit_note, visit_note, visit_note, pass_note])
    ev_kind = np.concatenate(
        [
            np.full(nv, int(EventKind.IMPRESSION)),
            np.full(nv, int(EventKind.OPEN)),
            np.full(nv, int(EventKind.DWELL)),
            np.full(len(pass_user), int(EventKind.IMPRESSION)),
        ]
    )
    ev_value = np.concatenate(
        [rng.integers(0, 20, nv), np.zeros(nv, np.int64), dwell_ms, rng.integers(0, 20, len(pass_user))]
    )
    ev_time = np.concatenate(
        [visit_open - rng.uniform(1, 60, nv), visit_open, visit_open + dwell_ms / 1000, pass_at]
    )
    ev_time = np.minimum(ev_time, now - 1)
    order = np.argsort(ev_time, kind="stable")
    ev_at = writer.tz(ts(ev_time[order]))
    eu, en_, ek, evv = (a[order].tolist() for a in (ev_user, ev_note, ev_kind, ev_value))
    timed(
        "events",
        tables["event"],
        chunked(
            len(eu),
            lambda lo, hi: [(eu[j], en_[j], ek[j], evv[j], "discover", "", ev_at[j]) for j in range(lo, hi)],
        ),
    )

    def in_interests(users: np.ndarray, notes_: np.ndarray) -> np.ndarray:
        topic = note_topic[notes_ - 1]
        hit = (interests[users] == topic[:, None]) & (
            np.arange(tastes.MAX_INTERESTS) < interest_count[users][:, None]
        )
        return hit.any(axis=1)

    writer.reset_sequences(names)
    rebuild = 0.0
    if not args.keep_indexes:
        print("  rebuilding indexes and constraints, then ANALYZE ...", flush=True)
        rebuild = writer.rebuild_secondary()
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    total_rows = sum(int(s["rows"]) for s in stats.values())
    elapsed = time.perf_counter() - started_all
    print(f"  index rebuild + ANALYZE {rebuild:.1f} s")
    print(f"done: {total_rows:,} rows in {elapsed:.1f} s ({total_rows / elapsed:,.0f} rows/s overall)")
    top = np.argsort(follower_counts)[::-1][:5]
    meta = {
        "size": args.size,
        "database": label,
        "vendor": writer.vendor,
        "generated_at": datetime.fromtimestamp(now, UTC).isoformat(),
        "password": PASSWORD,
        "counts": {k: int(v["rows"]) for k, v in stats.items()},
        "celebrities": [
            {"id": int(i), "username": f"m{int(i)}", "followers": int(follower_counts[i])} for i in top
        ],
        "median_followers": float(np.median(follower_counts[1:])),
        "p99_followers": float(np.percentile(follower_counts[1:], 99)),
        "load": stats,
        "index_rebuild_seconds": round(rebuild, 1),
        "total_seconds": round(elapsed, 1),
        "rows_per_s": round(total_rows / elapsed),
        "note_window_end": (datetime.fromtimestamp(now, UTC) - timedelta(seconds=0)).isoformat(),
    }
    meta["tastes"] = {
        "file": f"tastes-{label}.json",
        "likes_in_taste": round(float(np.mean(in_interests(like_user, like_note))), 3),
        "saves_in_taste": round(float(np.mean(in_interests(save_user, save_note))), 3),
        "topic_weights": [round(float(w), 4) for w in topic_p],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"generate-{label}.json").write_text(json.dumps(meta, indent=2))
    hidden = {
        "size": args.size,
        "seed": args.seed,
        "database": label,
        "generated_at": meta["generated_at"],
        "members": n,
        "notes": m,
        "topics": [
            {"key": t[0], "tags": [t[1], t[2]], "weight": float(w)}
            for t, w in zip(text.TOPICS, topic_p, strict=True)
        ],
        # member id -> topic keys (the hidden interests); note id -> topic index (list index 0 unused)
        "interests": {
            str(u): [text.TOPICS[int(t)][0] for t in interests[u, : interest_count[u]]]
            for u in range(1, n + 1)
        },
        "note_topic": [-1, *note_topic.tolist()],
    }
    (OUT / f"tastes-{label}.json").write_text(json.dumps(hidden, ensure_ascii=False, separators=(",", ":")))
    print(
        f"  hidden tastes: {OUT / f'tastes-{label}.json'} (likes in taste {meta['tastes']['likes_in_taste']})"
    )
    print(f"  celebrities: {meta['celebrities'][:3]}")
    print(f"  wrote {OUT / f'generate-{label}.json'}")


if __name__ == "__main__":
    main()
