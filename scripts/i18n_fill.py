"""Fill locale/zh_Hans django.po from locale/zh_Hans/translations.json and check placeholders.

Usage: .venv/bin/python scripts/i18n_fill.py  (then: manage.py compilemessages -l zh_Hans)
translations.json maps msgid (or "context\\x04msgid") to the msgstr; for plural entries the one
Chinese form (msgstr[0]), which serves every count and so holds the placeholders of msgid_plural (as
msgfmt --check-format requires). Exits 1 when an entry stays untranslated or a placeholder differs.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DATA = ROOT / "locale" / "zh_Hans" / "translations.json"
PLACEHOLDER = re.compile(r"%%|%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|</?[a-z]+[^>]*>")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def main() -> int:
    po = polib.pofile(str(PO), wrapwidth=0)
    data: dict[str, str] = json.loads(DATA.read_text(encoding="utf-8"))
    po.header = "Simplified Chinese (zh-Hans) interface strings of Haven."
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "Haven",
            "PO-Revision-Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000"),
            "Last-Translator": "Haven",
            "Language-Team": "Haven",
            "Language": "zh_Hans",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    missing, bad, used = [], [], set()
    for entry in po:
        if entry.obsolete:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        text = data.get(key)
        if not text:
            missing.append(entry.msgid)
            continue
        used.add(key)
        if _placeholders(text) != _placeholders(entry.msgid_plural or entry.msgid):
            bad.append(f"{entry.msgid!r} -> {text!r}")
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(str(PO))
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    for line in bad:
        print(f"placeholder mismatch: {line}")
    unused = sorted(set(data) - used)
    print(f"{len(po)} entries, {len(po) - len(missing) - len(bad)} translated, {len(unused)} unused keys")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
