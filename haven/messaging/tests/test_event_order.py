"""Resuming from the last event id loses nothing when sends in two conversations commit out of order.

A member in two conversations resumes with `GET /api/v1/dm/events?after=<the highest id they saw>`.
On PostgreSQL an event's id is taken when its row is inserted, not when its transaction commits: a
send in conversation X can take id N, a send in conversation Y id N+1 and commit first. A client that
saw N+1 and dropped before N committed resumes after N+1 and never gets N. (SQLite writers are
serialized, so ids commit in order there.) This test pauses X's send between its event row and its
commit, lets Y's send run beside it, and takes the snapshot a client would have at that moment.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.db import close_old_connections

from haven.accounts.tests.factories import UserFactory
from haven.messaging import selectors, services
from haven.notes.tests.factories import follow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    not os.environ.get("HAVEN_DATABASE_URL"), reason="SQLite serializes writers: ids commit in order"
)
def test_resume_after_the_highest_id_misses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    for a, b in ((bob, alice), (carol, alice), (alice, bob), (alice, carol)):
        follow(a, b)
    x = services.direct_open(sender=bob, recipient=alice)
    y = services.direct_open(sender=carol, recipient=alice)

    recorded, release = threading.Event(), threading.Event()
    original = services._record

    def pausing_record(*args: Any, **kwargs: Any) -> Any:
        event = original(*args, **kwargs)
        if threading.current_thread().name == "slow-send":
            recorded.set()
            release.wait(60)  # the event row exists, its transaction has not committed yet
        return event

    monkeypatch.setattr(services, "_record", pausing_record)
    snapshot: list[int] = []
    errors: list[BaseException] = []

    def run(fn: Any) -> None:
        try:
            fn()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            close_old_connections()

    def slow() -> None:
        services.message_send(sender=bob, conversation_id=x.pk, body="from bob, committed late")

    def fast() -> None:
        services.message_send(sender=carol, conversation_id=y.pk, body="from carol, committed first")
        # What alice's client holds right now: every committed event (live or fetched).
        rows, _more = selectors.events_after(alice, after=0, limit=200)
        snapshot.extend(e.pk for e in rows)

    slow_thread = threading.Thread(target=run, args=(slow,), name="slow-send")
    slow_thread.start()
    assert recorded.wait(60), errors
    fast_thread = threading.Thread(target=run, args=(fast,), name="fast-send")
    fast_thread.start()
    fast_thread.join(10)  # with ordered commits the fast send waits for the slow one: let it go on
    release.set()
    slow_thread.join(60)
    fast_thread.join(60)
    assert not errors, errors

    # Alice's client dropped after that snapshot, reconnected and resumed after its highest id.
    resumed, _more = selectors.events_after(alice, after=max(snapshot), limit=200)
    everything, _more = selectors.events_after(alice, after=0, limit=200)
    seen = set(snapshot) | {e.pk for e in resumed}
    missed = [e.pk for e in everything if e.pk not in seen]
    assert not missed, f"events never seen after resuming: {missed}"
