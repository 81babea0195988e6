"""The OpenAPI contract holds: schemathesis runs every operation, as a member and anonymously.

Loads the schema from the app in-process (WSGI), seeds a small world so that ids and usernames exist,
and runs a bounded, derandomized set of generated requests (valid and invalid) per operation with all
of schemathesis' checks: no server errors, only documented status codes and content types, and
responses that match their schemas. The run prints how many cases it sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from haven.accounts.tests.factories import UserFactory, token_for
from haven.engagement.tests.factories import CollectionFactory, CommentFactory, SaveFactory
from haven.notes.tests.factories import NoteFactory, follow

pytestmark = pytest.mark.django_db

#: Generated requests per operation, per caller and generation mode (bounded so CI stays fast).
EXAMPLES = int(os.environ.get("HAVEN_SCHEMA_EXAMPLES", "8"))
#: Path parameters whose valid values a schema cannot describe (a hashtag's Unicode word rule):
#: valid requests use seeded values only; invalid ones are still generated freely.
ALWAYS_AIMED = {"tag"}


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The WSGI app, with per-request connection closing off (the test's transaction stays open)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed() -> dict[str, Any]:
    member = UserFactory(username="member")
    friend = UserFactory(username="friend")
    private = UserFactory(username="hermit", private=True)
    follow(member, friend)
    follow(friend, member)
    notes = [NoteFactory(author=friend, images=2), NoteFactory(author=member), NoteFactory(author=private)]
    draft = NoteFactory(author=member, draft=True)
    comment = CommentFactory(note=notes[0], author=member)
    reply = CommentFactory(note=notes[0], author=friend, parent=comment)
    collection = CollectionFactory(owner=member)
    SaveFactory(collection=collection, note=notes[0])
    _token, raw = token_for(member)
    note_ids = [n.pk for n in notes] + [draft.pk]
    image_ids = [ni.image_id for n in notes for ni in n.images.all()]
    return {
        "token": raw,
        "path": {
            "note_id": note_ids,
            "comment_id": [comment.pk, reply.pk],
            "collection_id": [collection.pk],
            "image_id": image_ids,
            "username": ["member", "friend", "hermit"],
            "tag": ["food"],
        },
    }


def _strategy(operation: Any, known: dict[str, list[Any]], mode: GenerationMode) -> Any:
    """Generated cases, half of them aimed at rows that exist (seeded ids and usernames)."""
    free = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters]
    if not names or mode is GenerationMode.NEGATIVE or not all(n in known for n in names):
        return free
    if any(n in ALWAYS_AIMED for n in names):
        return st.fixed_dictionaries({n: st.sampled_from(known[n]) for n in names}).flatmap(
            lambda params: operation.as_strategy(generation_mode=mode, path_parameters=params)
        )
    aimed = st.fixed_dictionaries({n: st.sampled_from(known[n]) for n in names}).flatmap(
        lambda params: operation.as_strategy(generation_mode=mode, path_parameters=params)
    )
    return st.one_of(aimed, free)


def _run(strategy: Any, headers: dict[str, str], mode: GenerationMode) -> int:
    """Send the cases of one strategy; returns how many were sent (raises on the first failure)."""
    sent = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        if mode is GenerationMode.POSITIVE and case.query:
            # A cursor is opaque (only a `next_cursor` is valid; others are 400 `invalid_cursor`,
            # as documented), so valid requests start at page one.
            case.query.pop("cursor", None)
        case.call_and_validate(headers=headers)

    try:
        run()
    finally:
        _run.sent += sent  # type: ignore[attr-defined]
    return sent


@pytest.mark.skipif(
    bool(os.environ.get("HAVEN_DATABASE_URL")),
    reason="the published contract is the same in both profiles: fuzzed once, in the embedded profile",
)
def test_every_operation_keeps_the_contract(wsgi_app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    world = _seed()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    plain = {"Accept-Encoding": "identity"}  # the test client does not decompress
    callers = {"member": {**plain, "Authorization": f"Bearer {world['token']}"}, "anonymous": plain}
    failures: list[str] = []
    _run.sent = 0  # type: ignore[attr-defined]
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for caller, headers in callers.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                cache.clear()  # rate-limit windows start afresh for each operation and caller
                try:
                    _run(_strategy(operation, world["path"], mode), headers, mode)
                except KeyboardInterrupt:
                    raise
                except Unsatisfiable:
                    continue  # nothing to make invalid (an operation without inputs)
                except BaseException as exc:  # collect every operation's failure, then report them all
                    failures.append(f"{operation.label} [{caller}, {mode.value}]: {str(exc)[:1500]}")
    cases = _run.sent  # type: ignore[attr-defined]
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations, {cases} cases, {len(failures)} failing")
    assert operations >= 70
    assert not failures, "\n\n".join(failures)


def _models_in(annotation: Any, seen: set[type]) -> None:
    """Collect every pydantic model reachable from a type annotation."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _models_in(arg, seen)


def test_no_two_schemas_share_a_component_name() -> None:
    """OpenAPI components are keyed by class name: a second class of the same name silently replaces
    the first in the published contract (clients then validate one app's replies against another's).
    Query, path and header models are flattened into parameters, so they are not components."""
    from config.api import api

    seen: set[type] = set()
    for _prefix, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                bodies = [m for m in operation.models or [] if m.__ninja_param_source__ in {"body", "form"}]
                for model in list((operation.response_models or {}).values()) + bodies:
                    _models_in(model, seen)
    by_name: dict[str, set[str]] = {}
    for model in seen:
        if model.__name__ in {"NinjaResponseSchema"} or model.__module__.startswith("ninja"):
            continue
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes, clashes
