"""Action gates: checks that run before a member signs up, publishes, comments or follows (a registry).

Lower apps cannot know the higher apps that police them (ARCHITECTURE.md rule 11), so the services
that create accounts and content call `check(action, ...)` first, and higher apps register gates
from their `AppConfig.ready()` (moderation's surge defences: limits for new accounts, sign-up
velocity per network and per e-mail domain):

    gates.register_gate(surge.gate)

A gate is `gate(*, action, user, request=None, **facts)`; it refuses by raising a HavenError with a
stable code (RateLimited "new_account_limit" or "signup_velocity", InvalidInput ...) and returns
None to let the action through. Gates count the attempts they let through, so call `check` once per
action, just before the write.

Actions and their facts:
- "signup": `user` None, `request` (None for sign-ups from scripts and commands), `email_domain`;
- "note_publish": `user` the author (a note created published, or a draft published);
- "comment_create": `user` the author, `note_id`;
- "follow": `user` the follower, `followee_id`;
- "message_send": `user` the sender, `conversation_id`.

Trusted tooling that writes on members' behalf (demo seeding, imports, benchmarks) wraps its work
in `with gates.exempt():`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

ACTIONS = frozenset({"signup", "note_publish", "comment_create", "follow", "message_send"})

Gate = Callable[..., None]

_gates: list[Gate] = []
_exempt: ContextVar[bool] = ContextVar("haven_gates_exempt", default=False)


def register_gate(gate: Gate) -> None:
    """Add a gate (idempotent)."""
    if gate not in _gates:
        _gates.append(gate)


def unregister_gate(gate: Gate) -> None:
    """Remove a gate (tests; an app that is switched off)."""
    if gate in _gates:
        _gates.remove(gate)


def registered() -> list[Gate]:
    return list(_gates)


def check(action: str, *, user: Any = None, request: Any = None, **facts: Any) -> None:
    """Run every gate for `action`; the first that refuses raises its HavenError."""
    if action not in ACTIONS:
        raise ValueError(f"unknown gated action {action!r}")
    if _exempt.get():
        return
    for gate in list(_gates):
        gate(action=action, user=user, request=request, **facts)


@contextmanager
def exempt() -> Iterator[None]:
    """Let trusted tooling (seeding, imports, benchmarks) act without the gates in this context."""
    token = _exempt.set(True)
    try:
        yield
    finally:
        _exempt.reset(token)


def is_exempt() -> bool:
    return _exempt.get()
