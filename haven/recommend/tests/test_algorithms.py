"""Recommendation algorithms on small synthetic data: patterns, artifacts, explanations, validation."""

from __future__ import annotations

import numpy as np
import pytest

from haven.recommend import algorithms as alg

N = 24
A, B, C, D = 0, 1, 2, 3


def _patterned(seed: int = 0, users: int = 60) -> alg.Interactions:
    """Two users in three see A immediately followed by B (B is the most popular), the rest C then D."""
    rng = np.random.default_rng(seed)
    seqs = []
    for u in range(users):
        noise = rng.choice(np.arange(4, N), size=int(rng.integers(1, 4)), replace=False)
        first, then = (A, B) if u % 3 else (C, D)
        seqs.append(np.asarray([noise[0], first, then, *noise[1:]]))
    return alg.Interactions(seqs, N)


FIXED = alg.HavenParams(l2_sim=1.0, l2_next=1.0, decay_sim=0.8, decay_next=0.5, alpha=0.5, pop=0.0)


def _trainers():
    return {
        "pop": alg.train_popularity,
        "knn": lambda d: alg.train_item_knn(d, k=5, shrink=1.0),
        "ease": lambda d: alg.train_ease(d, l2=1.0),
        "haven": lambda d: alg.train_haven(d, params=FIXED),
    }


@pytest.mark.parametrize("name", ["pop", "knn", "ease", "haven"])
def test_each_trainer_ranks_b_first_after_a(name):
    data = _patterned()
    model = _trainers()[name](data)
    scores = model.score([np.asarray([A])])
    assert scores.shape == (1, N)
    assert scores.dtype == np.float32
    scores[0, A] = -np.inf  # the history itself is excluded from rankings
    assert int(np.argmax(scores[0])) == B


def test_haven_follows_order_not_just_co_occurrence():
    # A -> B and C -> D both always; after a history ending in C, D must beat B even though A is there too.
    seqs = [np.asarray([A, B, C, D]) for _ in range(30)] + [np.asarray([C, D, A, B]) for _ in range(30)]
    model = alg.train_haven(alg.Interactions(seqs, N), params=FIXED)
    s = model.score([np.asarray([A, C])])[0]
    assert s[D] > s[B]
    s = model.score([np.asarray([C, A])])[0]
    assert s[B] > s[D]


@pytest.mark.parametrize("name", ["pop", "knn", "ease", "haven"])
def test_artifact_round_trip_gives_identical_scores(name):
    data = _patterned()
    model = _trainers()[name](data)
    blob = model.to_bytes()
    again = alg.load(blob)
    assert type(again) is type(model)
    assert again.version == model.version
    hists = [np.asarray([A]), np.asarray([5, 6, A]), np.asarray([], dtype=np.int64)]
    np.testing.assert_array_equal(model.score(hists), again.score(hists))
    assert type(model).from_bytes(blob).version == model.version


def test_load_rejects_garbage_and_wrong_kind():
    with pytest.raises(ValueError):
        alg.load(b"not an artifact")
    blob = alg.train_popularity(_patterned()).to_bytes()
    with pytest.raises(ValueError):
        alg.EASEModel.from_bytes(blob)


@pytest.mark.parametrize("name", ["knn", "ease", "haven"])
def test_explain_points_at_the_history_item_that_led(name):
    model = _trainers()[name](_patterned())
    history = np.asarray([6, A, 7])
    got = model.explain(history, np.asarray([B]))
    assert got.tolist() == [1]  # index of A in the history


def test_explain_without_evidence_is_minus_one():
    pop = alg.train_popularity(_patterned())
    assert pop.explain(np.asarray([A]), np.asarray([B, C])).tolist() == [-1, -1]
    ease = alg.train_ease(_patterned(), l2=1.0)
    assert ease.explain(np.asarray([], dtype=np.int64), np.asarray([B])).tolist() == [-1]


def test_ease_matches_the_two_item_closed_form():
    # X rows: {0,1}, {0}, {0,1}: G = [[3, 2], [2, 2]]; with l2 = 1 the zero-diagonal solution is
    # B[0,1] = G01 / (G00 + l2) = 2/4 and B[1,0] = G10 / (G11 + l2) = 2/3.
    data = alg.Interactions([np.asarray([0, 1]), np.asarray([0]), np.asarray([1, 0])], 2)
    model = alg.train_ease(data, l2=1.0)
    s = model.score([np.asarray([0]), np.asarray([1])])
    np.testing.assert_allclose(s, [[0.0, 0.5], [2 / 3, 0.0]], rtol=1e-5)


def test_max_items_keeps_the_most_interacted_and_scores_the_rest_zero():
    data = _patterned()
    model = alg.train_ease(data, l2=1.0, max_items=3)
    s = model.score([np.asarray([A])])[0]
    counts = data.item_counts()
    kept = set(np.argsort(-counts, kind="stable")[:3].tolist())
    assert {A, B} <= kept
    for i in set(range(N)) - kept:
        assert s[i] == 0.0
    assert (
        alg.train_haven(data, params=alg.HavenParams(**{**FIXED.__dict__, "max_items": 3})).score(
            [np.asarray([A])]
        )[0][C]
        == 0.0
    )


def test_haven_tunes_on_a_small_grid():
    params = alg.HavenParams(
        l2_sim=[1.0, 10.0],
        l2_next=[1.0],
        decay_sim=[1.0, 0.7],
        decay_next=[0.0, 0.5],
        alpha=[0.0, 0.5, 1.0],
        pop=[0.0, 0.1],
    )
    model = alg.train_haven(_patterned(), params=params)
    assert model.params["tuning"]  # type: ignore[attr-defined]
    assert model.params["l2_sim"] in (1.0, 10.0)  # type: ignore[attr-defined]
    s = model.score([np.asarray([5, A])])[0]
    s[[5, A]] = -np.inf
    assert int(np.argmax(s)) == B


def test_weights_strengthen_events():
    seqs = [np.asarray([A, B]), np.asarray([A, C])] * 10
    weights = [np.asarray([1.0, 2.0]), np.asarray([1.0, 0.5])] * 10
    model = alg.train_haven(alg.Interactions(seqs, N, weights), params=FIXED)
    s = model.score([np.asarray([A])], [np.asarray([1.0])])[0]
    assert s[B] > s[C]


def test_input_validation():
    with pytest.raises(ValueError):
        alg.Interactions([], N)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([], dtype=np.int64)], N)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([0, N])], N)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([-1])], N)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([0.5])], N)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([0, 1])], 0)
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([0, 1])], N, weights=[np.asarray([1.0])])
    with pytest.raises(ValueError):
        alg.Interactions([np.asarray([0, 1])], N, weights=[np.asarray([1.0, -2.0])])
    model = alg.train_ease(_patterned(), l2=1.0)
    with pytest.raises(ValueError):
        model.score([np.asarray([N + 3])])
    with pytest.raises(ValueError):
        model.explain(np.asarray([A]), np.asarray([N]))
    with pytest.raises(ValueError):
        alg.train_ease(_patterned(), l2=0.0)
    with pytest.raises(ValueError):
        alg.train_item_knn(_patterned(), k=0)


def test_metric_helpers():
    ranks = np.asarray([0, 1, 9, 10, 50])
    assert alg.hit_rate(ranks, 10) == pytest.approx(3 / 5)
    expected = (1 + 1 / np.log2(3) + 1 / np.log2(11)) / 5
    assert alg.ndcg(ranks, 10) == pytest.approx(expected)


def test_target_ranks_exclude_the_history_and_count_ties_against():
    model = alg.train_popularity(alg.Interactions([np.asarray([0, 0, 0, 1, 1, 2])], 4))
    # counts: 0 -> 3, 1 -> 2, 2 -> 1, 3 -> 0; history [0] excluded, so item 1 is first, 2 second
    ranks = alg.target_ranks(
        model, [np.asarray([0]), np.asarray([0]), np.asarray([1])], np.asarray([1, 2, 1])
    )
    assert ranks[0] == 0
    assert ranks[1] == 1
    assert ranks[2] > 4  # the target is in the history: a miss


def test_transition_ridge_shortcut_matches_the_general_solve():
    import scipy.sparse as sp

    s = sp.csr_matrix(np.asarray([[1.0, 0, 0], [0, 2.0, 0], [1.0, 0, 0], [0, 0, 1.0]], dtype=np.float32))
    t = sp.csr_matrix(np.asarray([[0, 1.0, 0], [0, 0, 1.0], [0, 0, 1.0], [1.0, 0, 0]], dtype=np.float32))
    sd, td = s.toarray().astype(np.float64), t.toarray().astype(np.float64)
    expected = np.linalg.solve(sd.T @ sd + 3.0 * np.eye(3), sd.T @ td)
    np.testing.assert_allclose(alg._next_b(s, t, 3.0), expected, rtol=1e-5)
    s2 = sp.csr_matrix(np.asarray([[1.0, 0.5, 0], [0, 2.0, 0], [1.0, 0, 0.5], [0, 0, 1.0]], dtype=np.float32))
    sd2 = s2.toarray().astype(np.float64)
    expected2 = np.linalg.solve(sd2.T @ sd2 + 3.0 * np.eye(3), sd2.T @ td)
    np.testing.assert_allclose(alg._next_b(s2, t, 3.0), expected2, rtol=1e-4, atol=1e-6)


def test_pruned_haven_keeps_the_pattern_and_round_trips():
    params = alg.HavenParams(**{**FIXED.__dict__, "keep_per_item": 3})
    model = alg.train_haven(_patterned(), params=params)
    s = model.score([np.asarray([A])])[0]
    s[A] = -np.inf
    assert int(np.argmax(s)) == B
    again = alg.load(model.to_bytes())
    np.testing.assert_array_equal(again.score([np.asarray([5, A])]), model.score([np.asarray([5, A])]))
    assert model.explain(np.asarray([6, A]), np.asarray([B])).tolist() == [1]
