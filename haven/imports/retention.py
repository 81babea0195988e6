"""Retention of imports: uploads and parsed findings are deleted after RETAIN_DAYS (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haven.core.retention import register_retention
from haven.imports import services

#: Days an uploaded export and what was read from it are kept when the member does not finish.
RETAIN_DAYS = 7


def register() -> None:
    register_retention(
        "import_uploads",
        days=RETAIN_DAYS,
        prune=services.imports_expire,
        description=_("Uploaded data exports from other platforms and what was read from them"),
    )
