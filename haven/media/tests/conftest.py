"""Media test setup: run tasks inline (the root conftest's HAVEN_TASKS_BACKEND is read too late)."""

from __future__ import annotations

import pytest

from haven.media.tests.storage import media_storage, storage_listing  # noqa: F401  (fixtures for every media test)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
