"""`manage.py prepare` collects static files only when their sources changed (faster starts)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from haven.core.management.commands import prepare


@pytest.mark.django_db
def test_collectstatic_runs_only_when_sources_change(
    settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    calls: list[str] = []
    monkeypatch.setattr(prepare, "call_command", lambda name, *a, **k: calls.append(name))
    call_command("prepare")
    call_command("prepare")
    assert calls == ["migrate", "collectstatic", "migrate"]
    monkeypatch.setattr(prepare, "static_fingerprint", lambda: "changed")
    call_command("prepare", demo_size="small")
    assert calls[3:] == ["migrate", "collectstatic", "seed_demo"]
