"""Ranking metrics over graded judgements (0, 1, 2): nDCG@k, reciprocal rank, recall@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(grades: Sequence[int], k: int = 10) -> float:
    """Discounted cumulative gain of the first `k` grades: sum of (2^g - 1) / log2(rank + 1)."""
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """DCG of `ranked` over the DCG of the ideal order of every judged document (1.0 = perfect).
    Queries without any relevant document are not scored (callers should not ask)."""
    ideal = dcg(sorted(judged.values(), reverse=True), k)
    if ideal == 0:
        raise ValueError("no relevant document for this query")
    return dcg([judged.get(doc, 0) for doc in ranked], k) / ideal


def reciprocal_rank(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """1 / rank of the first relevant (grade >= 1) document in the first `k`, else 0."""
    for rank, doc in enumerate(ranked[:k], 1):
        if judged.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


def recall(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """Relevant documents in the first `k` over min(k, relevant documents): 1.0 when the page is as full
    of relevant documents as it can be."""
    relevant = {doc for doc, g in judged.items() if g > 0}
    if not relevant:
        raise ValueError("no relevant document for this query")
    return len(relevant & set(ranked[:k])) / min(k, len(relevant))
