"""Fixtures shared by feeds' tests."""

import pytest
from django.conf import settings


@pytest.fixture
def v0_ranking(monkeypatch):
    """Discover ranked by feeds.ranking's v0 formula (HAVEN_RECOMMENDER=v0), for tests of that formula;
    the trained ranking (recommend.serving) has its own tests in haven/recommend/tests."""
    monkeypatch.setattr(settings.HAVEN, "recommender", "v0")
