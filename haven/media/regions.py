"""Data residency of media: which storage each residency region writes to (HAVEN_STORAGE_REGIONS).

A member's residency region (`User.data_region`, chosen by the member among `residency_regions()`)
decides where their uploads are written; each `MediaImage` records the region it was written to
(`storage_region`), and every later read, serve, move or delete uses that recorded region. A region
has two storages: `originals` (never served) and `renditions` (served through the app after an
access check, docs/adr/0004-media-access.md).

Locations (settings.STORAGE_REGIONS, region -> location):
- "default" always exists: PRIVATE_MEDIA_ROOT for originals, the default storage (MEDIA_ROOT) for
  renditions, unless the operator lists "default" with a location of its own;
- an absolute folder (`/srv/haven-eu` or `file:///srv/haven-eu`): `<folder>/private` and
  `<folder>/media`;
- `s3://bucket?endpoint=https://...&region=eu-central-1&prefix=haven`: keys under
  `<prefix>/private/` and `<prefix>/media/` of one bucket, through django-storages' S3 backend
  (credentials from the usual AWS_* environment variables or the machine's role), with the
  `django-storages[s3]` dependency; should it be missing, an s3 location is refused with a clear error.
  `addressing=path|virtual` picks the bucket addressing (path by default when an endpoint is given,
  as SeaweedFS, MinIO and Garage expect). Objects are written without an ACL (the bucket stays
  private) and their `url()` is the app's own /media/ path: nothing is served from the bucket itself.

HAVEN_STORAGE_URL (docs/operator-guide.md "Object storage (S3)") is the location of "default": with
an s3:// URL, settings make it STORAGE_REGIONS["default"] and the default storage (avatars) the
same bucket as the default region's renditions (`default_storage_backend`); with a folder, settings
point MEDIA_ROOT and PRIVATE_MEDIA_ROOT into it.

FileSystemStorages are built per call (settings may change in tests; one costs nothing); S3
storages are kept per location and credentials, since each opens its own connection pool.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.translation import gettext as _

from haven.core.errors import ServiceUnavailable
from haven.core.residency import (  # noqa: F401  (re-exported: media callers use these names)
    DEFAULT_REGION,
    REGION_LABELS,
    region_codes,
    region_locations,
    residency_regions,
)


@dataclass(frozen=True)
class RegionStorages:
    code: str
    originals: Storage  # private: never served
    renditions: Storage  # served through the app after an access check


class RegionUnavailable(ServiceUnavailable):
    code = "storage_region_unavailable"


def _locations() -> dict[str, str]:
    return region_locations()


def residency_region_for(user: Any) -> str:
    """The region a member's new media go to: their `data_region` when configured, else "default".

    A region the operator no longer lists is returned as is, so that an upload is refused rather
    than written somewhere the member did not choose (`storages_for` raises RegionUnavailable).
    """
    code = str(getattr(user, "data_region", "") or DEFAULT_REGION)
    return code


def storages_for(code: str) -> RegionStorages:
    """The two storages of region `code` ("" means "default"); RegionUnavailable when not configured."""
    code = code or DEFAULT_REGION
    location = _locations().get(code)
    if location is None:
        if code != DEFAULT_REGION:
            raise RegionUnavailable(
                _("The storage region of this account is not available right now."),
                details={"region": code},
            )
        return RegionStorages(
            code=code,
            originals=FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT),
            renditions=default_storage,
        )
    if location.startswith("s3://"):
        return _s3_storages(code, location)
    root = Path(location.removeprefix("file://"))
    return RegionStorages(
        code=code,
        originals=FileSystemStorage(location=root / "private"),
        renditions=FileSystemStorage(location=root / "media"),
    )


#: Environment variables an S3 storage reads its credentials from (django-storages, boto3).
_CREDENTIAL_VARIABLES = (
    "AWS_S3_ACCESS_KEY_ID",
    "AWS_ACCESS_KEY_ID",
    "AWS_S3_SECRET_ACCESS_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
_s3_cache: dict[tuple[str, ...], RegionStorages] = {}
_s3_lock = threading.Lock()


def _s3_storages(code: str, location: str) -> RegionStorages:
    key = (code, location, *(os.environ.get(name, "") for name in _CREDENTIAL_VARIABLES))
    cached = _s3_cache.get(key)
    if cached is not None:
        return cached
    storage_class = _s3_class(code, location)
    options = s3_options(location)
    prefix = options.pop("prefix")
    storages = RegionStorages(
        code=code,
        originals=storage_class(location="/".join(p for p in (prefix, "private") if p), **options),
        renditions=storage_class(location="/".join(p for p in (prefix, "media") if p), **options),
    )
    with _s3_lock:
        if len(_s3_cache) >= 64:  # locations come from settings: only tests ever make many
            _s3_cache.clear()
        return _s3_cache.setdefault(key, storages)


def s3_options(location: str) -> dict[str, Any]:
    """The S3Storage options of an s3:// location (plus its "prefix", without slashes at the ends)."""
    from botocore.config import Config

    parts = urlsplit(location)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    endpoint = query.get("endpoint") or None
    addressing = query.get("addressing") or ("path" if endpoint else None)
    return {
        "prefix": query.get("prefix", "").strip("/"),
        "bucket_name": parts.netloc,
        "endpoint_url": endpoint,
        "region_name": query.get("region") or None,
        "default_acl": None,  # no ACL header: objects are as private as the bucket
        "object_parameters": {},
        "querystring_auth": True,
        "file_overwrite": False,
        # A file opened for reading is downloaded whole: past 2 MiB into a temporary file, not memory
        # (django-storages' default of 0 keeps any size in memory, a video original included).
        "max_memory_size": 2 * 1024 * 1024,
        # Bounded waits on the request path: a storage that does not answer is a 503, not a hang.
        "client_config": Config(
            s3={"addressing_style": addressing},
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }


def _s3_class(code: str, location: str) -> type[Any]:
    try:
        return _app_served_s3_storage()
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"HAVEN_STORAGE_REGIONS: region {code!r} uses {location.split('?')[0]}, which needs the "
            "django-storages[s3] package (not installed)"
        ) from exc


@cache
def _app_served_s3_storage() -> type[Any]:
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError
    from storages.backends.s3 import S3Storage  # type: ignore[import-not-found,import-untyped]

    from haven.media.serving import StorageUnavailable

    class AppServedS3Storage(S3Storage):  # type: ignore[misc]
        """S3Storage whose URLs are the app's /media/ paths (the bucket is never read by browsers) and
        whose failed writes are StorageUnavailable (503), not a 500."""

        def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
            return f"{settings.MEDIA_URL}{quote(str(name or '').lstrip('/'))}"

        def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
            try:
                return str(super().save(name, content, max_length=max_length))
            except (Boto3Error, BotoCoreError, ClientError) as exc:
                raise StorageUnavailable(_("Media storage is not available right now.")) from exc

    return AppServedS3Storage


def default_storage_backend(**_options: Any) -> Storage:
    """STORAGES["default"] "BACKEND" with an s3:// HAVEN_STORAGE_URL: the default region's renditions
    storage, so avatars and renditions share one bucket prefix (`<prefix>/media/`)."""
    return storages_for(DEFAULT_REGION).renditions
