"""The bench generator's hidden tastes (bench/generate/tastes.py): interests and taste-driven picks."""

from __future__ import annotations

import numpy as np

from bench.generate import tastes


def _world(seed: int = 1) -> tuple[np.random.Generator, np.ndarray, np.ndarray, tastes.NoteIndex, np.ndarray]:
    rng = np.random.default_rng(seed)
    topics = 10
    weights = tastes.topic_weights(topics)
    interests, count = tastes.draw_interests(rng, 500, weights)
    m = 5000
    note_topic = rng.integers(0, topics, m)
    note_zh = rng.random(m) < 0.5
    bucket = note_topic * 2 + note_zh.astype(np.int64)
    appeal = rng.pareto(1.5, m) + 0.2
    index = tastes.NoteIndex.build(np.arange(1, m + 1), bucket, appeal, 2 * topics, popular_power=1.5)
    return rng, interests, count, index, np.concatenate([[-1], note_topic])


def test_interests_are_two_to_four_distinct_topics_popular_ones_more_often() -> None:
    rng = np.random.default_rng(3)
    weights = tastes.topic_weights(20)
    interests, count = tastes.draw_interests(rng, 2000, weights)
    assert interests.shape == (2001, tastes.MAX_INTERESTS)
    assert set(count[1:].tolist()) == {2, 3, 4}
    for row, k in zip(interests[1:], count[1:], strict=True):
        assert len(set(row[:k].tolist())) == k
    first = np.bincount(interests[1:, 0], minlength=20)
    assert first[0] > first[10] > first[19]  # Zipf: the head topics are everyone's


def test_taste_share_of_picks_lands_in_the_members_interests_and_languages() -> None:
    rng, interests, count, index, note_topic = _world()
    users = np.repeat(np.arange(1, 501), 40)
    reads_zh = np.zeros(501, bool)
    reads_zh[1:251] = True  # members 1..250 read Chinese only, the rest English only
    reads_en = ~reads_zh
    reads_en[0] = False
    notes, in_taste = tastes.choose_notes(
        rng,
        users,
        interests=interests,
        count=count,
        reads_zh=reads_zh,
        reads_en=reads_en,
        index=index,
        taste_share=0.8,
    )
    assert 0.77 < in_taste.mean() < 0.83
    topic = note_topic[notes]
    hit = np.array([t in set(interests[u, : count[u]].tolist()) for u, t in zip(users, topic, strict=True)])
    assert hit[in_taste].all()  # every taste pick is a note of one of the member's interests
    assert hit.mean() > 0.8  # popular picks sometimes happen to match too
    # taste picks are mostly in the member's language (10 % cross the language line)
    buckets = {
        int(n): b for b in range(len(index.starts)) for n in index.ids[index.starts[b] : index.ends[b]]
    }
    zh_pick = np.array([buckets[int(n)] % 2 == 1 for n in notes[in_taste]])
    zh_reader = reads_zh[users[in_taste]]
    assert 0.85 < zh_pick[zh_reader].mean() < 0.95
    assert 0.05 < zh_pick[~zh_reader].mean() < 0.15


def test_popular_picks_follow_appeal() -> None:
    rng, _i, _c, index, _t = _world(2)
    picks = index.popular(rng, 50_000)
    counts = np.bincount(picks, minlength=5001)[1:]
    appeal_order = np.argsort(-np.diff(np.concatenate([[0.0], index.popular_cumulative])))
    top, bottom = appeal_order[:50], appeal_order[-2500:]
    assert counts[top].mean() > 20 * max(counts[bottom].mean(), 0.01)
