"""The personal-data registry (ARCHITECTURE.md rule 11): every model that references a member is
registered or exempted, and the exporters and erasers of core, graph, notes, engagement,
notifications, translation and feeds work on real rows (both profiles).

Third-party models, decided one by one (the walk below flags a model when it has a foreign key,
one-to-one or many-to-many field to the user model, or a field named like personal data):
- auth.Group, auth.Permission: no reference to members (the many-to-many lives on accounts.User;
  its through rows go with the User row), no personal data: not flagged, nothing to register.
- contenttypes.ContentType: model names only: not flagged.
- django_tasks_database.DBTaskResult: task arguments are ids only (rule 6), results are pruned by
  core.pruning: not flagged.
- sessions.Session and admin.LogEntry reference members: accounts registers them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core import personal_data
from haven.core.models import IdempotencyRecord
from haven.engagement import services as engagement
from haven.engagement.models import Collection, Comment, CommentLike, NoteLike, Save
from haven.feeds import candidates, selectors, store
from haven.feeds.models import SeenNote
from haven.feeds.ranking import Candidate
from haven.feeds.tests.redis_support import feed_redis
from haven.graph import services as graph
from haven.graph.models import Block, Follow, FollowRequest, Mute
from haven.notes import services as notes
from haven.notes.models import Hashtag, Mention, Note
from haven.notes.tests.factories import MediaImageFactory, UserFactory
from haven.notifications.models import Notification
from haven.translation import aids_services
from haven.translation.models import CachedTranslation, NoteTranslation, VocabularyEntry
from haven.translation.services import content_hash

__all__ = ["feed_redis"]  # the fixture, used by name

MY_APPS = {"core", "graph", "notes", "engagement", "notifications", "translation", "feeds"}

# Field names that suggest personal data (compared word by word: "recipient" is not an "ip").
PERSONAL_WORDS = {
    "email",
    "ip",
    "phone",
    "mobile",
    "address",
    "agent",
    "birth",
    "birthday",
    "birthdate",
    "dob",
}


# ---------------------------------------------------------------------------------------------
# (a) The walk


def _user_fields(model: type[models.Model]) -> list[str]:
    user_model = get_user_model()
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation
        and not f.auto_created
        and (f.many_to_one or f.one_to_one or f.many_to_many)
        and f.related_model is user_model
    ]


def _personal_named(model: type[models.Model]) -> list[str]:
    found = []
    for f in model._meta.concrete_fields:
        words = set(f.name.lower().split("_"))
        if words & PERSONAL_WORDS or any(w.startswith("birth") for w in words):
            found.append(f.name)
    return found


def test_every_model_holding_member_data_is_registered_or_exempted() -> None:
    problems: list[str] = []
    for model in apps.get_models():
        label = model._meta.label
        user_fields = _user_fields(model)
        personal = _personal_named(model)
        registration = personal_data.registration_for(model)
        exemption = personal_data.exemption_for(model)
        if registration is not None:
            field_names = {f.name for f in model._meta.get_fields()}
            handled = set(registration.owner_fields) | set(registration.other_user_fields)
            unknown = sorted(handled - field_names)
            if unknown:
                problems.append(f"{label}: registration names fields it does not have: {unknown}")
            missing = sorted(set(user_fields) - handled)
            if missing:
                problems.append(
                    f"{label}: references to members not in owner_fields or other_user_fields: {missing}"
                )
            if registration.eraser is None:
                parent = registration.erased_with
                if not parent or parent not in {r.label for r in personal_data.registrations()}:
                    problems.append(f"{label}: erased_with names no registered model ({parent!r})")
            continue
        if exemption is not None:
            if not exemption.reason.strip():
                problems.append(f"{label}: exempted without a reason")
            continue
        if user_fields or personal:
            why = ", ".join(
                [f"references members through {user_fields}"] * bool(user_fields)
                + [f"has personal-looking fields {personal}"] * bool(personal)
            )
            problems.append(f"{label}: not in the personal-data registry ({why})")
    assert not problems, "Personal-data registry is incomplete:\n  " + "\n  ".join(problems)


def test_third_party_models_hold_no_reference_to_members() -> None:
    """The decisions in the module docstring stay true (a new field there would need a registration)."""
    for label in ("auth.Group", "auth.Permission", "contenttypes.ContentType"):
        model = apps.get_model(label)
        assert not _user_fields(model) and not _personal_named(model), label
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        assert not _user_fields(DBTaskResult) and not _personal_named(DBTaskResult)


def test_my_apps_register_every_model_that_holds_member_content() -> None:
    """Models of these apps with personal content but no user field are registered all the same."""
    for model in (Note, Mention, NoteTranslation, CachedTranslation, Comment, SeenNote, IdempotencyRecord):
        assert personal_data.registration_for(model) is not None, model._meta.label
    assert personal_data.registration_for(Hashtag) is None  # shared vocabulary; orphans go with the notes


# ---------------------------------------------------------------------------------------------
# (b) Exporters and erasers with real rows


def _mine() -> list[personal_data.Registration]:
    return [r for r in personal_data.registrations() if r.model._meta.app_label in MY_APPS]


def erase(user: Any) -> dict[str, int]:
    """Run the erasers of the apps under test, in registry order (as the privacy app will)."""
    return {r.label: r.eraser(user) for r in _mine() if r.eraser is not None}


def export(user: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in _mine():
        if r.exporter is not None:
            out.setdefault(r.section, []).extend(r.exporter(user))
    return out


def _note(author: Any, *, title: str, body: str, visibility: str = "public", publish: bool = True) -> Note:
    image = MediaImageFactory(owner=author)
    return notes.note_create(
        author=author, title=title, body=body, image_ids=[image.pk], visibility=visibility, publish=publish
    )


class World:
    def __init__(self) -> None:
        U = UserFactory
        self.a = U(username="anna_pd", languages=["en", "zh"])
        self.b = U(username="ben_pd")
        self.c = U(username="cleo_pd")
        self.d = U(username="dan_pd")
        self.e = U(username="eve_pd", is_private=True)
        self.f = U(username="fay_pd")
        a, b, c, d, e = self.a, self.b, self.c, self.d, self.e
        self.a1 = _note(a, title="Anna tea title", body="Anna tea body #teapd with @ben_pd")
        self.a2 = _note(a, title="Anna followers", body="Anna for followers", visibility="followers")
        self.a3 = _note(a, title="Anna draft", body="Anna draft body", publish=False)
        self.b1 = _note(b, title="Ben dumplings", body="Ben body for @anna_pd #teapd #benonlypd")
        self.b2 = _note(b, title="Ben secret", body="secret of ben", visibility="followers")
        self.c1 = _note(c, title="Cleo note", body="Cleo body")

        graph.follow_create(follower=a, followee=b)
        graph.follow_create(follower=b, followee=a)
        graph.follow_create(follower=c, followee=a)
        graph.follow_create(follower=c, followee=b)
        assert graph.follow_create(follower=a, followee=e) == "requested"
        FollowRequest.objects.create(requester=self.f, target=a)  # as if she had been private
        graph.mute_create(muter=a, muted=c)
        graph.mute_create(muter=b, muted=a)
        graph.block_create(blocker=d, blocked=a)
        graph.block_create(blocker=b, blocked=d)

        for note in (self.b1, self.b2, self.c1, self.a1):
            engagement.note_like(user=a, note_id=note.pk)
        engagement.note_like(user=b, note_id=self.a1.pk)
        engagement.note_like(user=c, note_id=self.b1.pk)
        self.a_on_b1 = engagement.comment_create(author=a, note_id=self.b1.pk, body="Anna comment on ben")
        self.b_reply_a = engagement.comment_create(
            author=b, note_id=self.b1.pk, body="Ben answers anna", parent_id=self.a_on_b1.pk
        )
        self.c_on_b1 = engagement.comment_create(author=c, note_id=self.b1.pk, body="Cleo on ben")
        self.a_reply_c = engagement.comment_create(
            author=a, note_id=self.b1.pk, body="Anna answers cleo", parent_id=self.c_on_b1.pk
        )
        self.c_reply_a = engagement.comment_create(
            author=c, note_id=self.b1.pk, body="Cleo answers anna's reply", parent_id=self.a_reply_c.pk
        )
        self.b_mentions_a = engagement.comment_create(
            author=b, note_id=self.c1.pk, body="Hey @anna_pd look at this"
        )
        self.b_on_a1 = engagement.comment_create(author=b, note_id=self.a1.pk, body="Ben on anna")
        engagement.comment_create(author=a, note_id=self.a1.pk, body="Anna thanks", parent_id=self.b_on_a1.pk)
        engagement.comment_like(user=a, comment_id=self.c_on_b1.pk)
        engagement.comment_like(user=b, comment_id=self.a_on_b1.pk)
        engagement.comment_like(user=b, comment_id=self.c_on_b1.pk)
        board = engagement.collection_create(owner=a, name="Anna board")
        engagement.note_save(user=a, note_id=self.b1.pk, collection_id=board.pk)
        engagement.note_save(user=a, note_id=self.c1.pk)
        engagement.note_save(user=b, note_id=self.a1.pk)
        engagement.note_save(user=b, note_id=self.c1.pk)

        aids_services.vocabulary_add(user=a, word="饺子", note_id=self.b2.pk, context="secret of ben")
        aids_services.vocabulary_add(user=a, word="茶", note_id=self.b1.pk, context="Ben body")
        aids_services.vocabulary_add(user=b, word="tea", note_id=self.a1.pk, context="Anna tea body")
        aids_services.preference_update(user=a, auto_translate=True, show_pinyin=True)
        aids_services.note_translation_save(
            author=a, note_id=self.a1.pk, language="zh-Hans", title="安娜茶", body="安娜的茶"
        )
        aids_services.note_translation_save(
            author=b, note_id=self.b1.pk, language="zh-Hans", title="饺子", body="给 @anna_pd 的饺子"
        )
        for text in (
            "Anna tea title",
            "Anna tea body #teapd with @ben_pd",
            "Anna comment on ben",
            "Ben dumplings",
        ):
            CachedTranslation.objects.create(
                content_hash=content_hash(text),
                source_lang="en",
                target_lang="zh-Hans",
                provider="test",
                sanitizer_version="1",
                text=f"译 {text}",
            )
        for user, note in ((a, self.b1), (b, self.a1), (c, self.a1), (c, self.b1)):
            SeenNote.objects.create(user=user, note=note)
        for user in (a, b):
            IdempotencyRecord.objects.create(
                user=user, scope="notes", key=f"k-{user.pk}", request_hash="x", status_code=201, response={}
            )
        # Ben takes Anna off his followers: she can no longer see his followers-only note.
        graph.follower_remove(owner=b, follower=a)


@pytest.fixture
def world(db: Any) -> World:
    return World()


def _rows_referencing(user: Any) -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in MY_APPS:
            continue
        for name in _user_fields(model):
            count = model._default_manager.filter(**{name: user.pk}).count()
            if count:
                found.append(f"{model._meta.label}.{name}: {count}")
    return found


def _counters_consistent() -> list[str]:
    wrong = []
    for note in Note.objects.all():
        expected = (
            NoteLike.objects.filter(note=note).count(),
            Save.objects.filter(note=note).count(),
            Comment.objects.filter(note=note).count(),
        )
        if (note.like_count, note.save_count, note.comment_count) != expected:
            wrong.append(
                f"note {note.pk}: {(note.like_count, note.save_count, note.comment_count)} != {expected}"
            )
    for comment in Comment.objects.all():
        expected_c = (CommentLike.objects.filter(comment=comment).count(), comment.replies.count())
        if (comment.like_count, comment.reply_count) != expected_c:
            wrong.append(f"comment {comment.pk}: {(comment.like_count, comment.reply_count)} != {expected_c}")
    return wrong


def _snapshot_of(user: Any) -> dict[str, Any]:
    """What `user` has that erasing someone else must leave alone (beyond rows about that someone)."""
    return {
        "notes": sorted(Note.objects.filter(author=user).values_list("pk", "title", "body")),
        "collections": sorted(Collection.objects.filter(owner=user).values_list("pk", "name")),
        "vocabulary": sorted(VocabularyEntry.objects.filter(user=user).values_list("word", flat=True)),
        "translations": sorted(NoteTranslation.objects.filter(note__author=user).values_list("pk", "body")),
    }


def test_world_starts_consistent(world: World) -> None:
    assert _counters_consistent() == []
    assert _rows_referencing(world.a)


def test_erasing_a_member_leaves_no_row_of_these_apps_referencing_them(world: World) -> None:
    a, b, c = world.a, world.b, world.c
    before_b, before_c = _snapshot_of(b), _snapshot_of(c)
    b_likes_elsewhere = set(
        NoteLike.objects.filter(user=b).exclude(note__author=a).values_list("note_id", flat=True)
    )
    a_hashes = [
        content_hash(t)
        for t in ("Anna tea title", "Anna tea body #teapd with @ben_pd", "Anna comment on ben")
    ]
    a_note_ids = list(Note.objects.filter(author=a).values_list("pk", flat=True))

    counts = erase(a)

    assert _rows_referencing(a) == []
    assert not Note.objects.filter(pk__in=a_note_ids).exists()
    assert counts["notes.Note"] == 3 and counts["engagement.Comment"] >= 3
    assert _counters_consistent() == []
    assert _snapshot_of(b) == before_b and _snapshot_of(c) == before_c
    assert set(NoteLike.objects.filter(user=b).values_list("note_id", flat=True)) == b_likes_elsewhere
    # Ben's and Cleo's notes keep their counts of everyone else's engagement.
    world.b1.refresh_from_db()
    assert (world.b1.like_count, world.b1.save_count) == (1, 0)  # Cleo's like stays; Anna's save went
    # Anna's top-level comment took Ben's reply under it; Cleo's reply that answered Anna stays,
    # without the link to her, and Cleo's thread counts one reply less.
    left = Comment.objects.filter(note=world.b1).order_by("pk")
    assert [c.body for c in left] == ["Cleo on ben", "Cleo answers anna's reply"]
    assert world.b1.comment_count == 2 and left[0].reply_count == 1 and left[1].reply_to_id is None
    # Follows, requests, blocks and mutes both ways are gone; others' among themselves stay.
    assert Follow.objects.filter(follower=c, followee=b).exists()
    assert Block.objects.filter(blocker=b, blocked=world.d).exists()
    assert not FollowRequest.objects.filter(target=a).exists() and not Mute.objects.filter(muted=a).exists()
    # Notifications about her notes and comments, or caused by her, are gone.
    assert not Notification.objects.filter(note_id__in=a_note_ids).exists()
    assert not Notification.objects.filter(comment_id__in=[world.a_on_b1.pk, world.a_reply_c.pk]).exists()
    # Translations: cached ones of her texts go, others' stay; Ben's word keeps no sentence of hers.
    assert not CachedTranslation.objects.filter(content_hash__in=a_hashes).exists()
    assert CachedTranslation.objects.filter(content_hash=content_hash("Ben dumplings")).exists()
    bens_word = VocabularyEntry.objects.get(user=b, word="tea")
    assert (bens_word.note_id, bens_word.context) == (None, "")
    assert not NoteTranslation.objects.filter(note_id__in=a_note_ids).exists()
    # Others' text that mentioned her stays, without the link to her profile.
    profile = reverse("web:profile", args=["anna_pd"])
    world.b1.refresh_from_db()
    mention_comment = Comment.objects.get(pk=world.b_mentions_a.pk)
    bens_translation = NoteTranslation.objects.get(note=world.b1)
    assert (
        "@anna_pd" in world.b1.body
        and "@anna_pd" in mention_comment.body
        and "@anna_pd" in bens_translation.body
    )
    for html in (world.b1.body_html, mention_comment.body_html, bens_translation.body_html):
        assert profile not in html and "@anna_pd" in html
    assert not Mention.objects.filter(user=a).exists()
    # Hashtags only her notes used are gone; shared ones stay.
    assert Hashtag.objects.filter(name="teapd").exists() and Hashtag.objects.filter(name="benonlypd").exists()
    # Seen-marks: hers, and others' of her notes.
    assert not SeenNote.objects.filter(note_id__in=a_note_ids).exists()
    assert SeenNote.objects.filter(user=c, note=world.b1).exists()
    assert not IdempotencyRecord.objects.filter(user=a).exists()
    assert IdempotencyRecord.objects.filter(user=b).exists()

    # Idempotent: a second run finds nothing and changes nothing.
    assert set(erase(a).values()) == {0}
    assert _counters_consistent() == []
    # Nothing blocks the account row from going now (media rows cascade with it).
    a.delete()


def test_orphan_hashtags_of_erased_notes_go(db: Any) -> None:
    a, b = UserFactory(), UserFactory()
    _note(a, title="t", body="#onlyannapd #sharedpd")
    _note(b, title="t", body="#sharedpd")
    erase(a)
    assert not Hashtag.objects.filter(name="onlyannapd").exists()
    assert Hashtag.objects.filter(name="sharedpd").exists()


def test_export_holds_the_members_data_as_json(world: World) -> None:
    data = export(world.a)
    blob = json.dumps(data, ensure_ascii=False)  # JSON-ready: no datetime, model or lazy string inside
    notes_out = {n["title"]: n for n in data["notes"]}
    assert set(notes_out) == {"Anna tea title", "Anna followers", "Anna draft"}
    first = notes_out["Anna tea title"]
    assert first["hashtags"] == ["teapd"] and first["mentions"] == ["ben_pd"]
    assert first["visibility"] == "public" and first["status"] == "published"
    assert isinstance(first["images"][0]["image_id"], int) and first["id"] == world.a1.pk
    assert notes_out["Anna draft"]["published_at"] is None
    assert re.match(r"\d{4}-\d\d-\d\dT", first["created_at"])
    comments = {c["body"]: c for c in data["comments"]}
    assert comments["Anna comment on ben"]["note_id"] == world.b1.pk
    assert comments["Anna answers cleo"]["parent_id"] == world.c_on_b1.pk
    likes = data["likes"]
    assert {x["note_id"] for x in likes if x["kind"] == "note"} == {
        world.b1.pk,
        world.b2.pk,
        world.c1.pk,
        world.a1.pk,
    }
    assert {x["comment_id"] for x in likes if x["kind"] == "comment"} == {world.c_on_b1.pk}
    saves = data["saves_and_collections"]
    assert {s["collection"] for s in saves if s["kind"] == "save"} == {"Anna board", "Saved"}
    assert {s["name"] for s in saves if s["kind"] == "collection"} == {"Anna board", "Saved"}
    follows = data["follows"]
    assert [f["username"] for f in follows if f["direction"] == "following"] == []  # Ben removed her
    assert sorted(f["username"] for f in follows if f["direction"] == "follower") == ["ben_pd", "cleo_pd"]
    assert all(set(f) == {"direction", "username"} for f in follows if f["direction"] == "follower")
    requests = {(r["direction"], r["username"]) for r in data["follow_requests"]}
    assert requests == {("sent", "eve_pd"), ("received", "fay_pd")}
    assert [m["username"] for m in data["mutes"]] == ["cleo_pd"]  # not Ben's mute of her
    assert data.get("blocks", []) == []  # Dan blocked her: Dan's choice, not her data
    assert {n["actor"] for n in data["notifications"]} >= {"ben_pd", "cleo_pd"}
    assert all(isinstance(n["verb"], str) for n in data["notifications"])
    tv = data["translations_and_vocabulary"]
    assert {"kind": "preferences", "auto_translate": True, "show_pinyin": True} in [
        {k: v for k, v in row.items() if k != "id"} for row in tv
    ]
    words = {v["word"]: v for v in tv if v["kind"] == "vocabulary"}
    assert words["茶"]["context"] == "Ben body" and words["茶"]["note_id"] == world.b1.pk
    # Ben's followers-only note is hidden from her now: neither its id nor the sentence copied from it.
    assert words["饺子"]["context"] == "" and words["饺子"]["note_id"] is None
    assert [t["title"] for t in tv if t["kind"] == "author_translation"] == ["安娜茶"]
    assert {s["note_id"] for s in data["seen_notes"]} == {world.b1.pk}
    assert [r["key"] for r in data["requests"]] == [f"k-{world.a.pk}"]
    # Nothing private of anyone else.
    for private in ("secret of ben", world.b.email, "Ben secret", "Ben body for"):
        assert private not in blob


def test_erasers_are_idempotent_on_a_member_without_data(db: Any) -> None:
    lonely = UserFactory()
    assert set(erase(lonely).values()) == {0}
    assert all(rows == [] for rows in export(lonely).values())


def test_cache_entries_of_the_member_are_purged(world: World) -> None:
    a, b = world.a, world.b
    # Ranked lists as feeds.selectors writes them (member, personal, generation, seed), and the
    # ranking made ahead for the member's next visit.
    mine = selectors._ranked_key("discover", f"{a.pk}:1:0", "abc123")
    theirs = selectors._ranked_key("discover", f"{b.pk}:1:0", "abc123")
    ahead_mine, ahead_theirs = selectors._prepared_key(a.pk, 0), selectors._prepared_key(b.pk, 0)
    limit_mine, limit_theirs = f"rl:notes.create:{a.pk}:42", f"rl:notes.create:{b.pk}:42"
    for key in (mine, theirs, ahead_mine, ahead_theirs, limit_mine, limit_theirs):
        cache.set(key, [1, 2, 3], 600)
    now = timezone.now()
    rows = [
        (Candidate(world.a1.pk, a.pk, now, 0, 0, 0, "en"), False),
        (Candidate(world.b1.pk, b.pk, now, 0, 0, 0, "en"), False),
    ]
    cache.set(candidates.CACHE_KEY, {"at": 0.0, "rows": rows}, 600)
    erase(a)
    assert cache.get(mine) is None and cache.get(ahead_mine) is None and cache.get(limit_mine) is None
    assert cache.get(theirs) == cache.get(ahead_theirs) == cache.get(limit_theirs) == [1, 2, 3]
    assert [c.author_id for c, _private in cache.get(candidates.CACHE_KEY)["rows"]] == [b.pk]


def _feed_ids(r: Any, user: Any) -> list[int]:
    return [int(m) for m in r.zrevrange(store.feed_key(user.pk), 0, -1)]


def test_redis_feeds_forget_the_member(world: World, feed_redis: Any) -> None:
    r = feed_redis
    a, b, c = world.a, world.b, world.c
    for viewer in (a, b, c):
        selectors.following_feed(viewer, limit=5)  # built and active
    assert world.a1.pk in _feed_ids(r, b)
    store.fanout_note(world.a1.pk)  # her author set
    store.celebrity_mark(a.pk, r=r)
    version = int(r.get(store.CELEBS_VERSION_KEY) or 0)
    erase(a)
    for key in (store.feed_key(a.pk), store.meta_key(a.pk), store.author_key(a.pk)):
        assert not r.exists(key), key
    assert r.zscore(store.ACTIVE_KEY, str(a.pk)) is None
    assert (
        not r.sismember(store.CELEBS_KEY, str(a.pk)) and int(r.get(store.CELEBS_VERSION_KEY)) == version + 1
    )
    a_ids = {world.a1.pk, world.a2.pk, world.a3.pk}
    for viewer in (b, c):
        assert not a_ids & set(_feed_ids(r, viewer))
        assert not r.exists(store.meta_key(viewer.pk))  # her follower: rebuilt from SQL on the next read
    for raw in r.scan_iter(match="hv:*"):
        key = str(raw)
        assert not key.endswith(f":{a.pk}"), key
        if r.type(key) == "zset" and key != store.ACTIVE_KEY:  # hv:active holds member ids
            assert not {str(i) for i in a_ids} & set(r.zrange(key, 0, -1)), key
    assert [n.pk for n in selectors.following_feed(c, limit=5).items] == [world.b2.pk, world.b1.pk]
    erase(a)  # again: nothing left to do


def _labels(registrations: Iterable[personal_data.Registration]) -> set[str]:
    return {r.label for r in registrations}


def test_erasers_that_read_follows_and_texts_run_before_those_rows_go() -> None:
    order = {r.label: r.order for r in personal_data.registrations()}
    assert order["feeds.SeenNote"] < order["graph.Follow"] < order["notes.Note"]
    assert order["translation.CachedTranslation"] < order["engagement.Comment"] < order["notes.Note"]
    assert order["translation.VocabularyEntry"] < order["notes.Note"]  # its note link is SET_NULL
    assert order["engagement.Save"] < order["engagement.Collection"]
    assert "notes.NoteImage" in _labels(
        r for r in personal_data.registrations() if r.erased_with == "notes.Note"
    )
