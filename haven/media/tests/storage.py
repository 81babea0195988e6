"""Test helpers for media storage in both profiles: list every stored key, an S3 prefix per test.

Import the fixtures into a test module (`from haven.media.tests.storage import media_storage,
storage_listing  # noqa: F401`):
- `media_storage`: the storage the test writes to. Local folders (the per-test MEDIA_ROOT and
  PRIVATE_MEDIA_ROOT of the root conftest) unless the run has HAVEN_STORAGE_URL=s3://... (CI's scaled
  profile, scripts/s3-up), then the region "default" and the default storage in a prefix of that
  bucket of the test's own, emptied afterwards;
- `storage_listing`: a function returning every key now stored in the default region, originals
  as "private/<name>" and renditions (avatars included) as "media/<name>". In the S3 profile it lists
  the bucket itself with boto3, not through the storage backend under test.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.conf import settings

from haven.media import regions

__all__ = ["StorageUnderTest", "media_storage", "s3_delete_prefix", "s3_keys", "s3_url", "storage_listing"]


def s3_url() -> str:
    """The s3:// location of this test process (HAVEN_STORAGE_URL with a prefix of the process's own,
    config/settings_test.py), or "" when the tests run without object storage."""
    return str(getattr(settings, "S3_TEST_URL", ""))


def _with_prefix(url: str, prefix: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["prefix"] = prefix
    return urlunsplit(parts._replace(query=urlencode(query, safe=":/")))


def s3_client(url: str) -> tuple[Any, str, str]:
    """(boto3 client, bucket, prefix) for an s3:// location, credentials from the AWS_* variables."""
    import boto3

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    client = boto3.client("s3", endpoint_url=query.get("endpoint"), region_name=query.get("region") or None)
    return client, parts.netloc, query.get("prefix", "").strip("/")


def s3_keys(url: str) -> set[str]:
    """Every key under the location's prefix, relative to it (ListObjectsV2, all pages)."""
    client, bucket, prefix = s3_client(url)
    start = f"{prefix}/" if prefix else ""
    keys: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=start):
        keys.update(item["Key"][len(start) :] for item in page.get("Contents", []))
    return keys


def s3_delete_prefix(url: str) -> None:
    """Delete every key under the location's prefix (never the whole bucket: a prefix is required)."""
    client, bucket, prefix = s3_client(url)
    if not prefix:
        raise ValueError("refusing to empty a whole bucket")
    try:
        for key in s3_keys(url):
            client.delete_object(Bucket=bucket, Key=f"{prefix}/{key}")
    except Exception:  # the server is gone already (a test run being torn down): nothing to keep tidy
        return


def _folder_keys(root: Path, label: str) -> set[str]:
    root = Path(root)
    if not root.exists():
        return set()
    return {f"{label}/{path.relative_to(root).as_posix()}" for path in root.rglob("*") if path.is_file()}


@dataclass(frozen=True)
class StorageUnderTest:
    kind: str  # "s3" | "files"
    url: str  # the s3:// location of this test (its own prefix), "" for folders

    def keys(self) -> set[str]:
        """Every key of the default region: "private/<original>", "media/<rendition or avatar>"."""
        if self.kind == "s3":
            return s3_keys(self.url)
        return _folder_keys(settings.PRIVATE_MEDIA_ROOT, "private") | _folder_keys(
            settings.MEDIA_ROOT, "media"
        )


@pytest.fixture
def media_storage(settings: Any) -> Iterator[StorageUnderTest]:
    url = s3_url()
    if not url:
        yield StorageUnderTest(kind="files", url="")
        return
    _client, _bucket, prefix = s3_client(url)
    own = _with_prefix(url, "/".join(p for p in (prefix, f"t-{uuid.uuid4().hex[:12]}") if p))
    settings.STORAGE_REGIONS = {**settings.STORAGE_REGIONS, "default": own}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "haven.media.regions.default_storage_backend"},
    }
    assert getattr(regions.storages_for("default").renditions, "bucket_name", "") == _bucket
    try:
        yield StorageUnderTest(kind="s3", url=own)
    finally:
        s3_delete_prefix(own)


@pytest.fixture
def storage_listing(media_storage: StorageUnderTest) -> Callable[[], set[str]]:
    return media_storage.keys
