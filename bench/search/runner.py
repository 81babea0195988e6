"""Where the search benchmarks run: one child process per backend, each on its own scratch database.

A benchmark's parent process picks the backends, prepares an empty database for each (a fresh SQLite
file in a temporary folder; a PostgreSQL database named ``haven_bench_search...``, dropped and created
again), runs itself as a child with that database in its environment (Django binds one database per
process), and collects the JSON the child writes. Nothing else is touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import REPO

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_PREFIX = "haven_bench_search"
BACKENDS = ("sqlite", "postgres")


def backends_of(choice: str) -> list[str]:
    return list(BACKENDS) if choice == "both" else [choice]


def fresh_postgres(name: str) -> str:
    """Drop and create the database `name` (only ``haven_bench_search*`` names); its URL."""
    if not name.startswith(PG_PREFIX) or not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing the database name {name!r}: bench databases start with {PG_PREFIX}")
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def child_env(backend: str, *, database: str, data_dir: str, reuse: bool = False) -> dict[str, str]:
    """The environment of a child process that works on `backend` (a new, empty database, or with
    `reuse` the PostgreSQL database an earlier run left)."""
    env = {k: v for k, v in os.environ.items() if k not in ("HAVEN_DATABASE_URL", "HAVEN_REDIS_URL")}
    env["HAVEN_DATA_DIR"] = data_dir
    env["HAVEN_TASKS_BACKEND"] = "immediate"
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if backend == "postgres":
        env["HAVEN_DATABASE_URL"] = f"{PG_SERVER}/{database}" if reuse else fresh_postgres(database)
    return env


def run_children(
    module: str, args: Sequence[str], backends: Sequence[str], database: str, *, reuse: bool = False
) -> dict[str, Any]:
    """Run `python -m module --child --backend B --result FILE *args` per backend; {backend: result}."""
    results: dict[str, Any] = {}
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"haven-bench-search-{backend}-") as scratch:
            env = child_env(backend, database=database, data_dir=scratch, reuse=reuse)
            result = Path(scratch) / "result.json"
            command = [sys.executable, "-m", module, "--child", "--backend", backend, "--result", str(result)]
            print(
                f"== {backend} ({'database ' + database if backend == 'postgres' else scratch})", flush=True
            )
            done = subprocess.run([*command, *args], env=env, cwd=REPO, check=False)
            if done.returncode != 0:
                raise SystemExit(f"the {backend} run failed (exit {done.returncode})")
            results[backend] = json.loads(result.read_text())
    return results


def migrate() -> None:
    """Create the schema of the (empty) child database."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def vendor_label(backend: str) -> str:
    return {"sqlite": "SQLite FTS5", "postgres": "PostgreSQL"}[backend]
