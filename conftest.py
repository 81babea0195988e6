"""Test-wide setup: per-test temporary media folders and an empty cache (settings: config.settings_test)."""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_unconfigure(config: pytest.Config) -> None:
    from django.conf import settings

    if getattr(settings, "TEST_DATA_DIR_OWNER_PID", 0) == os.getpid():
        shutil.rmtree(str(settings.DATA_DIR), ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes media into its own temporary folder and starts with an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    cache.clear()
    yield
