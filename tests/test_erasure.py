"""The erasure test (issue 11): after an account is erased, nothing of the member is left anywhere.

A member with activity in every app (haven/privacy/tests/world.py), whose notes were read by others
so that feeds, Redis and caches hold them, asks for a data export and deletes their account; staff
looked at their e-mail address. When the grace period has passed and the job ran, every table (read
raw, all columns, including Django's and the task queue's), every file under media and private
storage, every Redis key and value (scaled profile) and the cache are scanned for their id (in
columns that reference members), username, e-mail and every text they wrote. The only hits allowed
are in the records the registry documents as kept (`kept=`): other members' own texts that mention
"@username".
"""

from __future__ import annotations

import os
import pickle
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from haven.accounts.models import User
from haven.notes.models import Note
from haven.privacy import export as export_zip
from haven.privacy import services
from haven.privacy.models import DeletionRequest, StaffAccess
from haven.privacy.tests.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)

SCALED = connection.vendor == "postgresql"
EXIF_MARKER = "Artist-erin_zx"


@pytest.fixture(autouse=True)
def _inline_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _as_text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _table_hits(needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, needle, row excerpt) for every raw row of every table that contains a needle."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                text = " | ".join(_as_text(v) for v in row)
                for needle in needles:
                    if needle in text:
                        hits.append((table, needle, text[:200]))
    return hits


def _fk_hits(member_id: int) -> list[str]:
    """Columns that reference a member and still hold the erased member's id."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            is_member_ref = field.is_relation and field.related_model is User
            if is_member_ref and model._default_manager.filter(**{field.attname: member_id}).exists():
                hits.append(f"{model._meta.label}.{field.name}")
    return hits


def _file_hits(needles: list[str], roots: list[Path]) -> list[str]:
    hits = []
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = Path(folder) / name
                data = path.read_bytes()
                hits += [f"{path}: {n}" for n in needles if n.encode() in data]
    return hits


def _redis_hits(needles: list[str], member_id: int, note_ids: list[int]) -> list[str]:
    from haven.feeds import store

    hits = []
    clients = [store.client()]
    backend: Any = cache
    if hasattr(backend, "_cache") and hasattr(backend._cache, "get_client"):
        clients.append(backend._cache.get_client())
    for client in clients:
        # A raw twin of each client: values are read as bytes (the feeds client decodes responses,
        # and the cache's pickled values in the same database are not UTF-8).
        pool = client.connection_pool
        kwargs = {**pool.connection_kwargs, "decode_responses": False}
        r = redis.Redis(
            connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **kwargs)
        )
        hits += _redis_client_hits(r, store, needles, member_id, note_ids)
    return sorted(set(hits))


def _redis_client_hits(
    r: Any, store: Any, needles: list[str], member_id: int, note_ids: list[int]
) -> list[str]:
    hits = []
    member_keys = {store.feed_key(member_id), store.meta_key(member_id), store.author_key(member_id)}
    ids = {str(i).encode() for i in note_ids}
    for key in r.scan_iter(count=1000):
        name = key if isinstance(key, str) else key.decode("utf-8", "replace")
        if name in member_keys:
            hits.append(f"key {name}")
        kind = r.type(key)
        kind = kind if isinstance(kind, str) else kind.decode()
        if kind == "zset":
            members = set(r.zrange(key, 0, -1))
            if name.startswith(f"{store.PREFIX}feed:") and members & ids:
                hits.append(f"{name} holds the member's notes")
            if name in (store.ACTIVE_KEY,) and str(member_id).encode() in members:
                hits.append(f"{name} holds the member")
            blob = b" ".join(members)
        elif kind == "set":
            members = r.smembers(key)
            if name == store.CELEBS_KEY and str(member_id).encode() in members:
                hits.append(f"{name} holds the member")
            blob = b" ".join(members)
        elif kind == "string":
            blob = r.get(key) or b""
        elif kind == "hash":
            blob = b" ".join(k + b"=" + v for k, v in r.hgetall(key).items())
        elif kind == "list":
            blob = b" ".join(r.lrange(key, 0, -1))
        else:
            blob = b""
        hits += [f"{name}: {n}" for n in needles if n.encode() in blob]
    return hits


def _local_cache_hits(needles: list[str]) -> list[str]:
    local: Any = cache
    store = getattr(local, "_cache", None)
    if not isinstance(store, dict):
        return []
    hits = []
    for key, value in list(store.items()):
        try:
            text = repr(pickle.loads(value))  # noqa: S301 - our own test cache if isinstance(value, bytes) else repr(value)
        except Exception:
            text = repr(value)
        hits += [f"cache {key}: {n}" for n in needles if n in text or n in key]
    return hits


def _warm_up(world: Any) -> None:
    """Others read the member's notes and profile, so feeds, Redis and caches hold them."""
    bob = world.others[0]
    reader = Client()
    reader.force_login(bob)
    for url in ("/api/v1/feeds/following", "/api/v1/feeds/discover", f"/@{world.member.username}/"):
        assert reader.get(url).status_code in (200, 302), url
    for note in world.member_notes[:1]:
        reader.get(f"/notes/{note.pk}/")
    Client().get("/api/v1/feeds/discover")
    own = Client()
    own.force_login(world.member)
    own.get("/api/v1/feeds/following")
    own.get("/api/v1/feeds/discover")


def _staff_looks(world: Any) -> None:
    staff = User.objects.create_user(username="op_zx", email="op_zx@example.org", password=PASSWORD)
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    url = f"/admin/accounts/user/{world.member.pk}/change/"
    client.get(url)
    client.post(url, {"_staff_audit_reason": "Checking a report about this account"})
    client.get(url)


def test_erased_member_leaves_no_trace() -> None:
    world = build_world()
    member = world.member
    member_id = member.pk
    note_ids = list(Note.objects.filter(author=member).values_list("pk", flat=True))
    _warm_up(world)
    _staff_looks(world)
    assert StaffAccess.objects.filter(member=member).exists()
    export = services.export_request(user=member, password=PASSWORD)
    export.refresh_from_db()
    assert export.state == "ready"
    files_before = [*world.files, f"exports/{export.file_name}"]
    assert len(files_before) >= 8

    deletion = services.deletion_schedule(user=member, password=PASSWORD)
    services.privacy_housekeeping(now=timezone.now() + timedelta(days=31))
    deletion.refresh_from_db()
    assert deletion.state == "erased", deletion.error_code
    assert not User.objects.filter(pk=member_id).exists()

    needles = [*world.needles, EXIF_MARKER]
    documented = {"notes_note"}  # others' own texts mentioning "@erin_zx" (notes' `kept=`)
    hits = [
        h
        for h in _table_hits(needles)
        if not (h[0] in documented and h[1] == member.username and "@" + member.username in h[2])
    ]
    assert hits == []
    assert not Note.objects.filter(body__contains="Body-QX").exists()
    assert _fk_hits(member_id) == []
    assert not any(s.get_decoded().get("_auth_user_id") == str(member_id) for s in Session.objects.all())
    # The receipt and the staff access record stay, without the member.
    assert DeletionRequest.objects.filter(pk=deletion.pk, user__isnull=True).exists()
    assert StaffAccess.objects.filter(member__isnull=True, what="email").exists()

    media_root, private_root = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    for name in files_before:
        assert not (media_root / name).exists() and not (private_root / name).exists(), name
    assert not export_zip.storage().exists(export.file_name)
    assert _file_hits(needles, [media_root, private_root]) == []

    if SCALED:
        assert _redis_hits(needles, member_id, note_ids) == []
    else:
        assert _local_cache_hits(needles) == []
