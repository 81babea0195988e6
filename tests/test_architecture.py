"""Architecture rules checked on the source tree: docstrings, choke points, layering contracts."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    p
    for p in sorted((ROOT / "haven").rglob("*.py")) + sorted((ROOT / "config").rglob("*.py"))
    if "migrations" not in p.parts
]
APP_MODULES = [p for p in SOURCES if "tests" not in p.parts]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_starts_with_a_docstring():
    missing = [
        str(p.relative_to(ROOT))
        for p in SOURCES
        if p.read_text(encoding="utf-8").strip() and not ast.get_docstring(_tree(p))
    ]
    assert not missing, f"modules without a one-line docstring: {missing}"


HTTP_CLIENTS = {"requests", "httpx", "urllib3", "aiohttp", "urllib.request", "http.client"}


def test_outbound_http_only_through_core_fetch():
    offenders = []
    for p in APP_MODULES:
        if p.relative_to(ROOT).as_posix() == "haven/core/fetch.py":
            continue
        used = {
            name for name in _imports(_tree(p)) if name in HTTP_CLIENTS or name.split(".")[0] in HTTP_CLIENTS
        }
        if used:
            offenders.append((str(p.relative_to(ROOT)), sorted(used)))
    assert not offenders, f"outbound HTTP outside haven.core.fetch: {offenders}"


def test_html_sanitizer_is_the_only_nh3_user():
    offenders = [
        str(p.relative_to(ROOT))
        for p in APP_MODULES
        if "nh3" in _imports(_tree(p)) and p.relative_to(ROOT).as_posix() != "haven/core/sanitize.py"
    ]
    assert not offenders, offenders


def test_templates_mark_only_sanitized_html_safe():
    """`|safe` is allowed only on fields produced by core.sanitize (named *_html)."""
    bad = []
    for tpl in (ROOT / "haven").rglob("templates/**/*.html"):
        for lineno, line in enumerate(tpl.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(r"\{\{\s*([\w.]+)[^}]*\|\s*safe\b", line):
                if not m.group(1).endswith("_html"):
                    bad.append(f"{tpl.relative_to(ROOT)}:{lineno}: {m.group(0)}")
    assert not bad, bad


def test_no_domain_logic_in_signals():
    offenders = [
        str(p.relative_to(ROOT))
        for p in APP_MODULES
        if any(name.startswith("django.db.models.signals") for name in _imports(_tree(p)))
    ]
    assert not offenders, f"signals are not used for domain logic (ARCHITECTURE.md rule 2): {offenders}"


def test_import_layers_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.skip("import-linter is not installed")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
