"""Training of Discover's models (recommend.training): data export, artifacts, the ranker, versions."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.engagement.models import NoteLike
from haven.feeds.tests.factories import UserFactory, note_at, tag
from haven.recommend import algorithms, features, training
from haven.recommend.models import EventKind, InteractionEvent, RecommenderModel
from haven.recommend.tasks import recommend_train

pytestmark = pytest.mark.django_db


def likes(member, *notes):
    for note in notes:
        NoteLike.objects.create(user=member, note=note)


def test_too_little_engagement_trains_nothing():
    note = note_at()
    likes(UserFactory(), note)
    assert training.model_train() is None
    assert not RecommenderModel.objects.exists()
    assert recommend_train.call() == ""


def test_export_orders_each_members_engagement_in_time_and_merges_repeats():
    a, b, c = (note_at(hours_ago=i) for i in range(3))
    member = UserFactory()
    now = timezone.now()
    for note, minutes in ((b, 30), (a, 20), (c, 10)):
        like = NoteLike.objects.create(user=member, note=note)
        NoteLike.objects.filter(pk=like.pk).update(created_at=now - timedelta(minutes=minutes))
    InteractionEvent.objects.create(user=member, note=a, kind=EventKind.OPEN, created_at=now)
    InteractionEvent.objects.create(
        user=member, note=c, kind=EventKind.DWELL, value=2_000, created_at=now
    )  # a short read is no signal
    data = training.interactions_export(since=now - timedelta(days=1))
    note_ids = data["item_ids"].tolist()
    assert [note_ids[i] for i in data["items"].tolist()] == [b.pk, a.pk, c.pk]
    assert data["weights"].tolist() == pytest.approx([1.0, 1.3, 1.0])  # a like and an open add up


def test_export_keeps_the_most_engaged_notes():
    notes = [note_at(hours_ago=i) for i in range(4)]
    for i in range(4):
        likes(UserFactory(), *notes[: i + 1])  # notes[0] has 4 members, notes[3] one
    data = training.interactions_export(since=timezone.now() - timedelta(days=1), max_items=2)
    assert sorted(data["item_ids"].tolist()) == sorted([notes[0].pk, notes[1].pk])


def test_artifact_round_trip_and_unknown_format():
    data = algorithms.Interactions(
        sequences=[np.array([0, 1, 2]), np.array([1, 2]), np.array([0, 2])], n_items=3, weights=None
    )
    model = algorithms.train_haven(data, params=training.FIXED_PARAMS)
    ids = np.array([11, 22, 33])
    blob = training.artifact_pack(model, ids)
    again, again_ids = training.artifact_unpack(blob)
    assert again_ids.tolist() == [11, 22, 33]
    history = [np.array([0])]
    assert np.allclose(again.score(history), model.score(history))
    with pytest.raises(ValueError):
        training.artifact_unpack(b"not an artifact")


def taste_world(members: int = 40):
    """Two tastes: coffee lovers like coffee notes, hikers hiking notes."""
    coffee = [note_at(hours_ago=i, language="en") for i in range(10)]
    hiking = [note_at(hours_ago=i, language="zh") for i in range(10)]
    for note in coffee:
        tag(note, "coffee")
    for note in hiking:
        tag(note, "hiking")
    rng = np.random.default_rng(3)
    for i in range(members):
        mine = coffee if i % 2 == 0 else hiking
        picks = rng.choice(len(mine), size=5, replace=False)
        likes(UserFactory(languages=["en" if i % 2 == 0 else "zh"]), *[mine[p] for p in picks])
    return coffee, hiking


def test_training_stores_an_active_version_with_its_stats_and_prunes_old_ones():
    taste_world()
    versions = []
    for _ in range(training.KEEP_VERSIONS + 1):
        row = training.model_train()
        assert row is not None
        versions.append(row.version)
    assert len(set(versions)) == len(versions)
    stored = list(RecommenderModel.objects.order_by("created_at").values_list("version", flat=True))
    assert stored == versions[1:]
    active = RecommenderModel.objects.get(is_active=True)
    assert active.version == versions[-1]
    assert active.stats["members"] == 40 and active.stats["notes"] == 20
    assert set(active.ranker["weights"]) == set(features.FEATURES)


def test_ranker_learns_from_held_out_engagement():
    taste_world(members=120)
    row = training.model_train()
    assert row is not None
    ranker = row.stats["ranker"]
    assert ranker["positives"] >= training.MIN_POSITIVES
    # Topic and language features separate what members engage with from sampled notes.
    assert ranker["auc_learned"] > 0.7
    if ranker["learned"]:
        assert row.ranker["weights"]["topic_match"] > 0


def test_rollback_and_the_management_command(capsys):
    taste_world()
    first = training.model_train()
    second = training.model_train()
    assert first is not None and second is not None
    call_command("recommend_train", "--activate", first.version)
    assert RecommenderModel.objects.get(is_active=True).version == first.version
    call_command("recommend_train", "--list")
    assert first.version in capsys.readouterr().out
    call_command("recommend_train")
    assert RecommenderModel.objects.get(is_active=True).version not in (first.version, second.version)
