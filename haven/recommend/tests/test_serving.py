"""Discover with the trained ranking (recommend.serving through feeds.selectors.discover_feed)."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.core.pagination import decode_cursor
from haven.engagement.models import NoteLike
from haven.feeds import selectors as feeds
from haven.feeds.tests.factories import UserFactory, block, follow, note_at, tag
from haven.recommend import services, serving, training
from haven.recommend.models import RecommenderModel, TopicFollow

pytestmark = pytest.mark.django_db

TOPICS = ("coffee", "hiking", "skincare", "cooking", "football", "gaming")


@pytest.fixture(autouse=True)
def _fresh_model():
    serving.forget_loaded()
    cache.delete(serving.ACTIVE_VERSION_KEY)
    yield
    serving.forget_loaded()


def world(per_topic: int = 6):
    """Notes in six topics, half in English and half in Chinese, by distinct authors; the popular ones
    are in topics the newcomer will not pick (so topic choice, not popularity, must fill the page)."""
    notes: dict[str, list] = {t: [] for t in TOPICS}
    for t_index, topic in enumerate(TOPICS):
        for i in range(per_topic):
            language = "en" if i % 2 == 0 else "zh"
            likes = 40 if topic in ("football", "gaming") else 2
            note = note_at(
                hours_ago=1 + i + t_index, language=language, like_count=likes, title=f"{topic} {i}"
            )
            tag(note, topic)
            notes[topic].append(note)
    return notes


def page_topics(page, notes) -> list[str]:
    by_id = {n.pk: topic for topic, group in notes.items() for n in group}
    return [by_id[card.pk] for card in page.items]


def newcomer(**fields):
    fields.setdefault("languages", ["en"])
    user = UserFactory(**fields)
    user.learning_languages = ["zh"]
    user.save(update_fields=["learning_languages"])
    services.topic_follows_set(user=user, topics=["coffee", "hiking"], source=TopicFollow.Source.ONBOARDING)
    return user


def test_first_feed_from_onboarding_choices_with_no_history():
    notes = world()
    member = newcomer()
    page = feeds.discover_feed(member, limit=12, record_seen=False)
    topics = page_topics(page, notes)
    assert Counter(topics)["coffee"] + Counter(topics)["hiking"] >= 8, topics
    languages = {card.language for card in page.items}
    assert {"en", "zh"} <= languages  # mostly what they read, some of the community they are learning
    assert page.model_version == serving.PRIOR_VERSION
    codes = {page.reasons[card.pk][0] for card in page.items}
    assert "topic" in codes
    cards = feeds.card_data(member, page.items, reasons=page.reasons)
    topic_card = next(c for c in cards if c["reason"]["code"] == "topic")
    assert topic_card["reason"]["topic"] in ("coffee", "hiking")
    assert "#" + topic_card["reason"]["topic"] in topic_card["reason"]["text"]
    assert topic_card["topics"] == [topic_card["reason"]["topic"]]


def test_first_feed_is_spread_over_topics_and_authors():
    notes = world(per_topic=10)
    member = newcomer()
    page = feeds.discover_feed(member, limit=10, record_seen=False)
    counts = Counter(page_topics(page, notes))
    assert counts["coffee"] >= 2 and counts["hiking"] >= 2, counts
    authors = [card.author_id for card in page.items]
    assert all(a != b for a, b in itertools.pairwise(authors))


def test_not_interested_in_a_topic_takes_effect_on_the_next_page():
    notes = world(per_topic=10)
    member = newcomer()
    first = feeds.discover_feed(member, limit=6, record_seen=False)
    assert "hiking" in page_topics(first, notes)
    services.not_interested_add(user=member, kind="topic", topic="hiking")
    rest = feeds.discover_feed(member, cursor=first.next_cursor, limit=40, record_seen=False)
    assert rest.items
    assert "hiking" not in page_topics(rest, notes)
    assert decode_cursor(rest.next_cursor or first.next_cursor) is not None


def test_not_interested_in_a_note_and_an_author():
    notes = world()
    member = newcomer()
    coffee = notes["coffee"]
    services.not_interested_add(user=member, kind="note", note_id=coffee[0].pk)
    services.not_interested_add(user=member, kind="author", author_id=coffee[1].author_id)
    ids = [card.pk for card in feeds.discover_feed(member, limit=50, record_seen=False).items]
    assert coffee[0].pk not in ids and coffee[1].pk not in ids
    assert coffee[2].pk in ids


def test_refused_personalisation_gets_the_v0_ranking(monkeypatch):
    world()
    member = newcomer()
    monkeypatch.setattr(feeds, "consent_granted", lambda user_id, purpose: False)
    page = feeds.discover_feed(member, limit=5, record_seen=False)
    assert page.model_version == "v0"
    assert page.reasons == {}


def test_v0_setting_turns_the_trained_ranking_off(settings):
    world()
    member = newcomer()
    settings.HAVEN.recommender = "v0"
    try:
        assert feeds.discover_feed(member, limit=5, record_seen=False).model_version == "v0"
    finally:
        settings.HAVEN.recommender = "trained"


def test_blocked_authors_stay_out_of_every_source():
    notes = world()
    member = newcomer()
    blocked_author = notes["coffee"][0].author
    block(member, blocked_author)
    ids = [card.pk for card in feeds.discover_feed(member, limit=50, record_seen=False).items]
    assert notes["coffee"][0].pk not in ids


def co_engagement_world():
    """Members who like note A also like note B (and nothing else links them)."""
    a = note_at(hours_ago=5, title="Pour-over at home", language="en")
    b = note_at(hours_ago=6, title="Grinder settings", language="en")
    fillers = [note_at(hours_ago=4 + i, language="en", like_count=5) for i in range(12)]
    for i in range(8):
        fan = UserFactory()
        NoteLike.objects.create(user=fan, note=a)
        NoteLike.objects.create(user=fan, note=b)
        NoteLike.objects.create(user=fan, note=fillers[i])
    for i in range(8, 12):
        other = UserFactory()
        NoteLike.objects.create(user=other, note=fillers[i])
        NoteLike.objects.create(user=other, note=fillers[(i + 1) % 12])
    return a, b


def test_trained_model_brings_co_engaged_notes_with_the_reason():
    a, b = co_engagement_world()
    row = training.model_train()
    assert row is not None and row.is_active
    member = UserFactory(languages=["en"])
    NoteLike.objects.create(user=member, note=a)
    page = feeds.discover_feed(member, limit=5, record_seen=False)
    ids = [card.pk for card in page.items]
    assert page.model_version == row.version
    assert ids[0] == b.pk, ids
    assert page.reasons[b.pk][:2] == ("similar", "Pour-over at home")
    assert a.pk not in ids  # what the member already liked is not recommended back
    card = feeds.card_data(member, page.items, reasons=page.reasons)[0]
    assert "Pour-over at home" in card["reason"]["text"]


def test_warm_trained_ranking_costs_constant_queries():
    a, _b = co_engagement_world()
    training.model_train()
    member = UserFactory(languages=["en"])
    NoteLike.objects.create(user=member, note=a)
    follow(member, UserFactory())
    feeds.discover_feed(member, limit=5, record_seen=False)  # loads the model
    with CaptureQueriesContext(connection) as few:
        feeds.discover_feed(member, limit=3, record_seen=False)
    with CaptureQueriesContext(connection) as many:
        feeds.discover_feed(member, limit=12, record_seen=False)
    assert len(few) == len(many) <= 12, [q["sql"][:80] for q in many.captured_queries]


def test_a_new_active_model_is_picked_up_after_the_reload_period(
    settings, django_capture_on_commit_callbacks
):
    co_engagement_world()
    with django_capture_on_commit_callbacks(execute=True):
        first = training.model_train()
    assert first is not None
    assert serving.active_model(now=10_000.0).version == first.version
    with django_capture_on_commit_callbacks(execute=True):  # the active version reaches the cache on commit
        second = training.model_train()
    assert second is not None and second.version != first.version
    # Within the reload period the process keeps serving what it has ...
    assert serving.active_model(now=10_001.0).version == first.version
    # ... then it reads the active version again.
    reload = float(settings.HAVEN.recommend_reload_seconds)
    assert serving.active_model(now=10_001.0 + reload).version == second.version
    assert RecommenderModel.objects.filter(is_active=True).count() == 1


def test_exploration_and_the_exchange_never_lift_a_note_already_served():
    """The exploration and other-language slots lift notes into the first page; a note the member was
    already served is never the one lifted (it stays pushed down by its seen feature)."""
    import datetime as dt

    import numpy as np
    from django.utils import timezone

    from haven.recommend import features

    now = timezone.now()
    items = [
        features.Item(
            note_id=i,
            author_id=1000 + i,
            published_at=now - dt.timedelta(hours=i % 7),
            like_count=i % 5,
            save_count=0,
            comment_count=0,
            language="zh" if i % 3 == 0 else "en",
        )
        for i in range(1, 61)
    ]
    seen = frozenset(i for i in range(1, 61) if i % 2 == 0)
    profile = features.Profile(reads=frozenset({"en"}), seen=seen)
    history = serving.History(note_ids=[], weights=[], kinds=[], authors=[], titles={})
    lifted = 0
    for seed in range(40):
        ranked = serving._order(profile, items, serving._PRIOR, history, now=now, seed=str(seed))
        for note_id, (code, _arg) in ranked.reasons.items():
            if code in ("explore", "exchange"):
                lifted += 1
                assert note_id not in seen, (seed, note_id, code)
        assert not seen & set(ranked.ids[:10])
    assert lifted >= 40 * 2  # the slots were used
    assert np.isfinite(list(ranked.scores.values())).all()
