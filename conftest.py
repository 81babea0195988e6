"""Test-wide setup: a temporary data folder, inline tasks, and shared fixtures."""

from __future__ import annotations

import os
import shutil
import tempfile

_DATA_DIR = tempfile.mkdtemp(prefix="haven-test-")
os.environ["HAVEN_DATA_DIR"] = _DATA_DIR
os.environ["HAVEN_TASKS_BACKEND"] = "immediate"
os.environ.setdefault("HAVEN_SECRET_KEY", "test-secret-key-" + "x" * 50)
# Parallel workers (pytest-xdist) get their own Redis database so cache.clear() stays local.
if os.environ.get("HAVEN_REDIS_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    _worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw") or 0)
    _base, _, _db = os.environ["HAVEN_REDIS_URL"].rpartition("/")
    if _db.isdigit():
        os.environ["HAVEN_REDIS_URL"] = f"{_base}/{int(_db) + 1 + _worker}"

import pytest  # noqa: E402


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes media into its own temporary folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    cache.clear()
    yield
