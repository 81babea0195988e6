"""Building a member's data export: one ZIP with JSON per section, their files, and an HTML index.

The ZIP holds everything the personal-data registry says is the member's (ARCHITECTURE.md rule 11):
`manifest.json`, `data/<section>.json` (records grouped by model), the files exporters name (their
media originals) under `files/`, and `index.html` to read it all without tools. It lives in private
storage (never served directly) until it expires.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haven.accounts.models import User
from haven.core import personal_data
from haven.privacy.sections import section_title

FORMAT = "haven-export/1"
#: Rows shown per model in index.html (the JSON files always hold everything).
INDEX_ROWS = 500


@dataclass(frozen=True)
class Built:
    file_name: str
    byte_size: int
    sha256: str
    sections: dict[str, int]


def storage() -> FileSystemStorage:
    """Private storage for export ZIPs (under PRIVATE_MEDIA_ROOT; never served by a URL)."""
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "exports")


def delete(file_name: str) -> None:
    if file_name:
        store = storage()
        if store.exists(file_name):
            store.delete(file_name)


def collect(user: User) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every section of the member's data: section -> model label -> rows."""
    data: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for section, registrations in personal_data.sections():
        for registration in registrations:
            assert registration.exporter is not None
            rows = list(registration.exporter(user))
            data.setdefault(section, {})[registration.label] = rows
    return data


def _dumps(value: object) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def _cell(value: object) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return "" if value is None else str(value)


def build(user: User, *, export_id: int) -> Built:
    """Write the ZIP for `user` into private storage and describe it."""
    generated_at = timezone.now()
    data = collect(user)
    files = [f for r in personal_data.registrations() if r.files is not None for f in r.files(user)]
    sections = {name: sum(len(rows) for rows in models.values()) for name, models in data.items()}
    manifest = {
        "format": FORMAT,
        "generated_at": generated_at,
        "member": {"id": user.pk, "username": user.username},
        "sections": {name: {"file": f"data/{name}.json", "records": n} for name, n in sections.items()},
        "files": len(files),
    }
    with translation.override(user.interface_language or settings.LANGUAGE_CODE):
        index = render_to_string(
            "privacy/export_index.html",
            {
                "member": user,
                "generated_at": generated_at,
                "sections": [
                    (
                        name,
                        section_title(name),
                        sections[name],
                        [
                            (
                                label,
                                _columns(rows),
                                [[_cell(row.get(c)) for c in _columns(rows)] for row in rows[:INDEX_ROWS]],
                                len(rows),
                            )
                            for label, rows in models.items()
                        ],
                    )
                    for name, models in data.items()
                ],
                "files": [f.archive_name for f in files],
                "index_rows": INDEX_ROWS,
            },
        )
    Path(settings.PRIVATE_MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.PRIVATE_MEDIA_ROOT, suffix=".zip.part") as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("manifest.json", _dumps(manifest))
            zf.writestr("index.html", index.encode())
            for name, models in data.items():
                zf.writestr(f"data/{name}.json", _dumps({"section": name, "records": models}))
            for item in files:
                with item.open() as src, zf.open(f"files/{item.archive_name}", "w", force_zip64=True) as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
        tmp.flush()
        tmp.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: tmp.read(1024 * 1024), b""):
            digest.update(chunk)
        size = tmp.tell()
        tmp.seek(0)
        name = f"{user.pk}/haven-export-{export_id}-{generated_at:%Y%m%d}.zip"
        stored = storage().save(name, File(tmp))
    return Built(file_name=stored, byte_size=size, sha256=digest.hexdigest(), sections=sections)


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for row in rows[:INDEX_ROWS]:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def open_for_download(file_name: str) -> File:
    return storage().open(file_name, "rb")
