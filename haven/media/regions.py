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
Storages are built per call (settings may change in tests; a FileSystemStorage costs nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

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


def _s3_storages(code: str, location: str) -> RegionStorages:
    try:
        from storages.backends.s3 import S3Storage  # type: ignore[import-not-found,import-untyped]
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"HAVEN_STORAGE_REGIONS: region {code!r} uses {location.split('?')[0]}, which needs the "
            "django-storages[s3] package (not installed)"
        ) from exc
    parts = urlsplit(location)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    prefix = query.get("prefix", "").strip("/")
    common: dict[str, Any] = {
        "bucket_name": parts.netloc,
        "endpoint_url": query.get("endpoint") or None,
        "region_name": query.get("region") or None,
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return RegionStorages(
        code=code,
        originals=S3Storage(location="/".join(p for p in (prefix, "private") if p), **common),
        renditions=S3Storage(location="/".join(p for p in (prefix, "media") if p), **common),
    )
