"""Onboarding selectors: topic pictures and people suggestions come only from notes the member may see,
of public accounts; suggestions mix in the other language community; query counts stay constant."""

from __future__ import annotations

from typing import Any

import pytest

from haven.graph import services as graph
from haven.notes.models import Visibility
from haven.notes.tests.factories import UserFactory, block, follow, mute
from haven.onboarding import selectors, services
from haven.onboarding.tests.factories import tagged_note

pytestmark = pytest.mark.django_db


def _choice(choices: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(c for c in choices if c["key"] == key)


def test_topics_fold_curated_pairs_and_name_them_in_the_interface_language() -> None:
    en_author, zh_author = UserFactory(), UserFactory(languages=["zh"])
    tagged_note(en_author, "coffee", likes=5)
    tagged_note(zh_author, "咖啡", language="zh", likes=9)
    tagged_note(en_author, "knitting", likes=1)
    viewer = UserFactory()
    choices = selectors.topic_choices(viewer, interface_language="en")
    coffee = _choice(choices, "coffee")
    assert (coffee["label"], coffee["other_label"], coffee["note_count"]) == ("coffee", "咖啡", 2)
    assert coffee["tags"] == ["coffee", "咖啡"] and coffee["emoji"] == "☕"
    assert choices[0]["key"] == "coffee"  # the most used first
    assert _choice(choices, "knitting")["other_label"] == ""
    assert "咖啡" not in [c["key"] for c in choices]
    zh = selectors.topic_choices(viewer, interface_language="zh-hans")
    assert _choice(zh, "coffee")["label"] == "咖啡"
    assert len(choices) == selectors.TOPIC_CHOICES  # curated topics fill the grid


def test_topic_cover_is_the_most_liked_visible_public_note() -> None:
    viewer = UserFactory()
    liked = tagged_note(UserFactory(), "hiking", likes=10)
    tagged_note(UserFactory(), "hiking", likes=3)
    choices = selectors.topic_choices(viewer)
    cover = _choice(choices, "hiking")["cover"]
    assert cover["note_id"] == liked.pk and cover["grid_url"]


def test_no_blocked_private_followers_only_muted_own_or_held_note_is_a_topic_picture() -> None:
    viewer = UserFactory()
    blocked_author, blocker, muted = UserFactory(), UserFactory(), UserFactory()
    private = UserFactory(private=True)
    block(viewer, blocked_author)
    block(blocker, viewer)
    follow(viewer, private)  # even a private account the viewer follows is never a picture
    mute(viewer, muted)
    hidden = [
        tagged_note(blocked_author, "hiking", likes=100),
        tagged_note(blocker, "hiking", likes=99),
        tagged_note(private, "hiking", likes=98),
        tagged_note(muted, "hiking", likes=97),
        tagged_note(viewer, "hiking", likes=96),
        tagged_note(UserFactory(), "hiking", likes=95, visibility=Visibility.FOLLOWERS),
        tagged_note(UserFactory(), "hiking", likes=94, moderation="held"),
        tagged_note(UserFactory(is_active=False), "hiking", likes=93),
    ]
    shown = tagged_note(UserFactory(), "hiking", likes=1)
    choices = selectors.topic_choices(viewer)
    hiking = _choice(choices, "hiking")
    assert hiking["cover"]["note_id"] == shown.pk
    assert hiking["note_count"] == 1
    assert not {n.pk for n in hidden} & {c["cover"]["note_id"] for c in choices if c["cover"]}


def _world() -> dict[str, Any]:
    en = [UserFactory(username=f"en_{i}", bio=f"Bio {i}\nsecond line") for i in range(6)]
    zh = [UserFactory(username=f"zh_{i}", languages=["zh"]) for i in range(4)]
    for i, author in enumerate(en):
        tagged_note(author, "coffee", likes=10 + i)
        tagged_note(author, "hiking", likes=5)
    for i, author in enumerate(zh):
        tagged_note(author, "咖啡", language="zh", likes=20 + i)
    off_topic = UserFactory(username="knitter")
    tagged_note(off_topic, "knitting", likes=1)
    return {"en": en, "zh": zh, "off_topic": off_topic}


def _viewer(**kwargs: Any) -> Any:
    viewer = UserFactory(**kwargs)
    services.onboarding_interests_set(user=viewer, topics_chosen=["coffee", "hiking", "tea"])
    return viewer


def test_suggestions_mostly_in_the_members_languages_and_a_few_from_the_other_community() -> None:
    world = _world()
    viewer = _viewer(languages=["en"], learning_languages=["zh"])
    people = selectors.people_suggestions(viewer, limit=8)
    others = [p for p in people if p["other_community"]]
    assert len(people) == 8
    assert len(others) == selectors.OTHER_COMMUNITY
    assert all(p["language"] == "zh" for p in others)
    assert {p["username"] for p in people if not p["other_community"]} <= {u.username for u in world["en"]}
    first = people[0]
    assert first["bio"].startswith("Bio") and "second" not in first["bio"]
    assert first["topics"] and first["sample"]["grid_url"]


def test_suggestions_leave_out_self_followed_requested_blocked_muted_private_and_inactive() -> None:
    world = _world()
    viewer = _viewer(languages=["en"])
    followed, blocked_author, blocker, muted = world["en"][:4]
    follow(viewer, followed)
    block(viewer, blocked_author)
    block(blocker, viewer)
    mute(viewer, muted)
    private = UserFactory(username="private_one", private=True)
    tagged_note(private, "coffee", likes=500)
    graph.follow_create(follower=viewer, followee=private)  # a pending request
    gone = UserFactory(username="gone", is_active=False)
    tagged_note(gone, "coffee", likes=500)
    tagged_note(viewer, "coffee", likes=900)
    names = {p["username"] for p in selectors.people_suggestions(viewer)}
    excluded = {u.username for u in (followed, blocked_author, blocker, muted)} | {
        "private_one",
        "gone",
        viewer.username,
    }
    assert names and not names & excluded


def test_without_topics_popular_authors_fill_in() -> None:
    _world()
    viewer = UserFactory(languages=["en"])
    assert len(selectors.people_suggestions(viewer, limit=5)) == 5


def test_reads_take_a_constant_number_of_queries(django_assert_max_num_queries: Any) -> None:
    _world()
    viewer = _viewer(languages=["en"], learning_languages=["zh"])
    with django_assert_max_num_queries(6):
        selectors.topic_choices(viewer)
    with django_assert_max_num_queries(6):
        selectors.people_suggestions(viewer)
    for i in range(5):
        tagged_note(UserFactory(languages=["zh"]), "咖啡", "hiking", language="zh", likes=i)
    with django_assert_max_num_queries(6):
        selectors.topic_choices(viewer)
    with django_assert_max_num_queries(6):
        selectors.people_suggestions(viewer)
