"""Both interface languages are complete: every marked string has a zh-Hans translation, compiled."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _catalog() -> polib.POFile:
    assert PO.exists(), "run: manage.py makemessages -l zh_Hans and translate locale/zh_Hans"
    return polib.pofile(str(PO))


def test_every_string_is_translated_to_simplified_chinese():
    po = _catalog()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:10]}"


def test_compiled_catalog_matches_the_source():
    po = _catalog()
    assert MO.exists(), "run: manage.py compilemessages"
    mo = polib.mofile(str(MO))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    assert compiled == source, "locale/*.mo is stale: run manage.py compilemessages"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalog_holds_every_marked_string(tmp_path):
    """makemessages over the tree finds no string that the committed catalog lacks."""
    work = tmp_path / "tree"
    shutil.copytree(ROOT / "haven", work / "haven", ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copytree(ROOT / "config", work / "config", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "locale").mkdir()
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-v0"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "HAVEN_DATA_DIR": str(tmp_path / "data"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
    )
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in _catalog()}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert not missing, f"{len(missing)} strings missing from the catalog, e.g. {missing[:10]}"


def test_the_chinese_webfont_subset_holds_every_character_of_the_interface():
    """Machines without a CJK font draw the interface's Chinese with Haven's subset font: a character the
    subset lacks shows as a box. Rebuild it after adding strings: `python scripts/build_cjk_subset.py`."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_cjk_subset", ROOT / "scripts" / "build_cjk_subset.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    covered = set(script.COVERAGE.read_text(encoding="utf-8").strip())
    missing = "".join(ch for ch in script.characters() if ch not in covered)
    assert not missing, f"the subset font lacks {len(missing)} characters: {missing[:80]}"
