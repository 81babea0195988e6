"""Action gates (core.gates): the registry and the exemption (the services that call the gates are
tested with the gates moderation registers, in haven/moderation/tests/test_surge.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from haven.core import gates
from haven.core.errors import InvalidInput


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []
        self.refuse: str | None = None

    def __call__(self, *, action: str, user: Any = None, request: Any = None, **facts: Any) -> None:
        self.calls.append((action, user, {"request": request, **facts}))
        if self.refuse == action:
            raise InvalidInput("refused", code="gate_refused")


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    gate = Recorder()
    gates.register_gate(gate)
    yield gate
    gates.unregister_gate(gate)


def test_register_is_idempotent_and_check_passes_the_facts(recorder: Recorder) -> None:
    gates.register_gate(recorder)
    assert gates.registered().count(recorder) == 1
    gates.check("follow", user="someone", followee_id=7)
    assert recorder.calls == [("follow", "someone", {"request": None, "followee_id": 7})]


def test_unknown_actions_are_a_programming_error(recorder: Recorder) -> None:
    with pytest.raises(ValueError):
        gates.check("like", user=None)


def test_a_refusing_gate_raises_and_exempt_skips_every_gate(recorder: Recorder) -> None:
    recorder.refuse = "follow"
    with pytest.raises(InvalidInput) as refused:
        gates.check("follow", user=None)
    assert refused.value.code == "gate_refused"
    with gates.exempt():
        assert gates.is_exempt()
        gates.check("follow", user=None)
    assert not gates.is_exempt()
    assert len(recorder.calls) == 1
