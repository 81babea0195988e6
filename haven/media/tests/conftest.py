"""Media test setup: run tasks inline (the root conftest's HAVEN_TASKS_BACKEND is read too late)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
