"""Shared helpers of the benchmark tools: Django set-up and the guard that keeps them off test databases."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


def django_setup() -> None:
    """Configure Django from the HAVEN_* environment (the same settings the server uses)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def guard_database() -> str:
    """The target database's name; exit when it looks like a test, CI or the default dev database."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    vendor = connection.vendor
    base = Path(name).name.lower()
    if "test" in base or base.endswith("_ci") or base == "haven_ci":
        sys.exit(f"refusing to touch {name!r}: it looks like a test/CI database")
    if vendor == "sqlite" and base == "haven.sqlite3" and "HAVEN_DATA_DIR" not in os.environ:
        sys.exit("refusing the default SQLite database; set HAVEN_DATA_DIR to a bench folder")
    if vendor == "postgresql":
        host = str(connection.settings_dict.get("HOST") or "")
        if host not in ("", "127.0.0.1", "localhost", "::1"):
            sys.exit(f"refusing a non-loopback database host {host!r}")
    return name


def db_label() -> str:
    """A short label of the target database for output file names."""
    from django.db import connection

    return Path(str(connection.settings_dict["NAME"])).stem
