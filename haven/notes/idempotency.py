"""Idempotency-Key support for non-idempotent POSTs: replay the stored response, refuse a reused key."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haven.core.errors import Conflict, InvalidInput
from haven.core.models import IdempotencyRecord

KEY_MAX = 100
SCOPE_MAX = 40
_KEY_RE = re.compile(rf"^[\x21-\x7e]{{1,{KEY_MAX}}}$")  # visible ASCII, no spaces


def request_fingerprint(payload: Any) -> str:
    """A stable SHA-256 of a JSON-able request payload (key order does not matter)."""
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _stored(user: Any, scope: str, key: str, fingerprint: str) -> tuple[int, Any] | None:
    record = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            code="idempotency_key_reused",
        )
    return record.status_code, record.response


def run_idempotent(
    *,
    user: Any,
    scope: str,
    key: str | None,
    payload: Any,
    action: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run `action` (returning a status and a JSON-able body) at most once per user, scope and key.

    Without a key the action simply runs. With one, a repeat of the same request gets the stored
    status and body back; a different request under the same key gets Conflict
    "idempotency_key_reused". Only successful (2xx) outcomes are stored, in the same transaction as
    the action's writes, so a failed attempt can be retried with the same key. Two racing requests
    with one key: the loser's writes roll back and it replays the winner's response.
    """
    if key is None:
        return action()
    if not _KEY_RE.match(key):
        raise InvalidInput(
            _("The Idempotency-Key must be 1 to %(n)d visible ASCII characters.") % {"n": KEY_MAX},
            code="invalid_idempotency_key",
        )
    scope = scope[:SCOPE_MAX]
    fingerprint = request_fingerprint(payload)
    replay = _stored(user, scope, key, fingerprint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            status, body = action()
            if 200 <= status < 300:
                IdempotencyRecord.objects.create(
                    user=user,
                    scope=scope,
                    key=key,
                    request_hash=fingerprint,
                    status_code=status,
                    response=body,
                )
    except IntegrityError:
        replay = _stored(user, scope, key, fingerprint)
        if replay is None:
            raise
        return replay
    return status, body
