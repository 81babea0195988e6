"""Privacy canaries of the sample exports never reach the database, the media storage, the search
index, Redis, the logs or the pages a member opens after importing every sample with every choice.

The samples are `../shared/data/imports` beside the repository (HAVEN_IMPORT_SAMPLES elsewhere); each
`expected/*.expected.json` names its export and the strings that must not appear anywhere (messages,
searches, login IPs, device ids, e-mail, phone, birth date, addresses, deleted posts). Each export
is zipped the way a member downloads it, uploaded and imported through the services with the real
tasks (run on commit), then every table is read with raw SQL (search tables and FTS shadow tables
included), every stored file is read back from the storage (local folders or the S3 bucket), Redis is
scanned in the scaled profile, and every log record of the run, at any level, is kept.

A canary is looked for as written and as the search analyser would cut it ("HAVEN-CANARY-DM-A1" also
as "haven canary dm a1"). The control test plants one in a caption and shows the check finds it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from bench.imports.evaluate import zip_export
from haven.accounts.tests.factories import UserFactory
from haven.imports import services
from haven.imports.models import ImportJob
from haven.media.tests.storage import media_storage, s3_client  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("HAVEN_IMPORT_SAMPLES") or REPO.parent / "shared" / "data" / "imports")
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


def _expected() -> list[tuple[str, Path, list[str]]]:
    found = []
    for path in sorted(SAMPLES.glob("*/expected/*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        export = SAMPLES / str(data["export"]).rstrip("/")
        found.append(
            (path.name.removesuffix(".expected.json"), export, list(data["must_not_appear_anywhere"]))
        )
    return found


SAMPLE_SETS = _expected()


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {text}")


@pytest.fixture
def all_logs() -> Iterator[_Keep]:
    """Every record any logger emits while the test runs, DEBUG included."""
    keep = _Keep()
    root = logging.getLogger()
    level = root.level
    loggers = [logging.getLogger(name) for name in ("haven", "django", "django.tasks", "py.warnings")]
    saved = [(lg, lg.level) for lg in loggers]
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield keep
    finally:
        root.removeHandler(keep)
        root.setLevel(level)
        for lg, old in saved:
            lg.setLevel(old)


def _database_text() -> str:
    """Every row of every table (search index and FTS shadow tables included), as text."""
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("utf-8", "ignore"))
                    elif value is not None:
                        parts.append(value if isinstance(value, str) else json.dumps(value, default=str))
    return "\n".join(parts)


def _storage_text(storage: Any) -> tuple[str, int]:
    """The bytes of every stored file (originals, renditions, avatars, uploads), decoded leniently."""
    chunks: list[str] = []
    if storage.kind == "s3":
        client, bucket, prefix = s3_client(storage.url)
        keys = storage.keys()
        for key in keys:
            body = client.get_object(Bucket=bucket, Key=f"{prefix}/{key}")["Body"].read()
            chunks.append(body.decode("latin-1"))
        return "\n".join(chunks), len(keys)
    count = 0
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for path in Path(root).rglob("*") if Path(root).exists() else []:
            if path.is_file():
                chunks.append(path.read_bytes().decode("latin-1"))
                count += 1
    return "\n".join(chunks), count


def _redis_text() -> str:
    url = getattr(settings.HAVEN, "redis_url", "") or ""
    if not url:
        return ""
    import redis

    client = redis.Redis.from_url(url)
    parts: list[str] = []
    for key in client.scan_iter(count=1000):
        parts.append(key.decode("utf-8", "ignore"))
        kind = client.type(key).decode()
        if kind == "string":
            parts.append((client.get(key) or b"").decode("utf-8", "ignore"))
        elif kind == "hash":
            parts.extend(v.decode("utf-8", "ignore") for v in client.hgetall(key).values())
        elif kind == "list":
            parts.extend(v.decode("utf-8", "ignore") for v in client.lrange(key, 0, -1))
        elif kind in ("set", "zset"):
            members = client.smembers(key) if kind == "set" else client.zrange(key, 0, -1)
            parts.extend(v.decode("utf-8", "ignore") for v in members)
    return "\n".join(parts)


def _leaks(canaries: list[str], haystacks: dict[str, str]) -> list[str]:
    """'<canary> in <where>' for each canary found as written or as tokens (case-insensitively)."""
    found = []
    for where, text in haystacks.items():
        folded = text.casefold()
        tokens = " " + " ".join(_SPLIT.split(folded)) + " "
        for canary in canaries:
            cut = " " + " ".join(t for t in _SPLIT.split(canary.casefold()) if t) + " "
            if canary.casefold() in folded or cut in tokens:
                found.append(f"{canary} in {where}")
    return found


def _import_everything(member: Any, archive: Path) -> ImportJob:
    upload = SimpleUploadedFile(archive.name, archive.read_bytes(), content_type="application/zip")
    job = services.import_upload(user=member, file=upload, name=archive.name)
    job.refresh_from_db()
    assert job.state == "review", (archive.name, job.state, job.error_code)
    services.import_confirm(user=member, job_id=job.pk, choices=dict.fromkeys(services.CHOICES, True))
    job.refresh_from_db()
    assert job.state == "done", (archive.name, job.state, job.error_code)
    return job


def _pages(client: Any, member: Any, job: ImportJob) -> str:
    client.force_login(member)
    texts = []
    for url in (
        f"/settings/import/{job.pk}/",
        "/notes/drafts/",
        f"/@{member.username}/",
        "/accounts/settings/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    return "\n".join(texts)


@pytest.mark.skipif(not SAMPLE_SETS, reason=f"no sample exports under {SAMPLES}")
def test_no_canary_of_any_sample_is_stored_logged_indexed_or_shown(
    tmp_path,
    client,
    all_logs,
    media_storage,  # noqa: F811
):
    canaries: set[str] = set()
    pages: list[str] = []
    imported = []
    for index, (name, export, planted) in enumerate(SAMPLE_SETS):
        assert export.exists(), export
        member = UserFactory(username=f"sample{index}", display_name="", bio="")
        job = _import_everything(member, zip_export(export, tmp_path))
        imported.append((name, job.result))
        pages.append(_pages(client, member, job))
        canaries.update(planted)
    assert len(imported) >= 4  # the three TikTok layouts and Instagram
    assert any(result.get("drafts_created") for _name, result in imported), imported
    # The Instagram sample's photos and profile photo went through the media pipeline into storage.
    assert any(result.get("photos_imported") for _name, result in imported), imported
    stored, files = _storage_text(media_storage)
    assert files
    haystacks = {
        "the database": _database_text(),
        "the media storage": stored,
        "Redis": _redis_text(),
        "the logs": "\n".join(all_logs.lines),
        "the pages": "\n".join(pages),
    }
    assert "sunny" in haystacks["the database"].casefold()  # the samples' own content did arrive
    assert not _leaks(sorted(canaries), haystacks)


@pytest.mark.skipif(not SAMPLE_SETS, reason=f"no sample exports under {SAMPLES}")
def test_the_canary_check_finds_a_canary_that_was_imported(tmp_path, all_logs, media_storage):  # noqa: F811
    """The same check, with a sample canary moved into a caption that is imported, fails."""
    _name, export, planted = next(s for s in SAMPLE_SETS if s[1].name == "user_data_tiktok.json")
    document = json.loads(export.read_text(encoding="utf-8"))
    posts = document["Post"]["Posts"]["VideoList"]
    posts[0]["Title"] = f"{posts[0].get('Title') or ''} {planted[0]}"
    copy = tmp_path / "planted" / export.name
    copy.parent.mkdir()
    copy.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    member = UserFactory(username="planted", display_name="", bio="")
    _import_everything(member, zip_export(copy, tmp_path))
    assert _leaks([planted[0]], {"the database": _database_text()}) == [f"{planted[0]} in the database"]
