"""Build the small Chinese webfont for the interface's own strings (haven/web/static/web/fonts/).

Machines without a CJK font draw Chinese as boxes. Haven's stylesheet lists the common system CJK
fonts first and this subset last, so only such machines download it (about the size of a photo).
The subset holds every CJK character of the zh-Hans catalog's msgstrs, of the templates and of the
scripts, plus common Chinese punctuation.

Source: Noto Sans CJK SC Regular (SIL Open Font License 1.1), from Debian's fonts-noto-cjk package.
Run it again after the catalog changes, and commit the WOFF2 and `scripts/cjk_subset_chars.txt` (the
characters it holds; a test fails when the interface uses a character the font lacks):

    python -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools brotli
    /tmp/fontvenv/bin/python scripts/build_cjk_subset.py            # apt-get download fonts-noto-cjk
    /tmp/fontvenv/bin/python scripts/build_cjk_subset.py --source NotoSansCJK-Regular.ttc  # a local copy

It needs fontTools and brotli (not Haven's own dependencies: the server only serves the result).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
OUTPUT = ROOT / "haven" / "web" / "static" / "web" / "fonts" / "haven-cjk-sc-regular.woff2"
# The characters the committed WOFF2 holds: tests/test_i18n.py fails when the interface uses one it lacks.
COVERAGE = ROOT / "scripts" / "cjk_subset_chars.txt"
FAMILY = "Noto Sans CJK SC"
DEB = "fonts-noto-cjk"
TTC_IN_DEB = "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# Chinese punctuation and full-width forms a sentence may need even when the catalog lacks them.
PUNCTUATION = (
    "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—～·￥％＋－＝／＜＞＠＃＆＊　０１２３４５６７８９"
)
MAX_BYTES = 400 * 1024


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x2FDF  # radicals
        or 0x3000 <= cp <= 0x303F  # CJK symbols and punctuation
        or 0x3100 <= cp <= 0x312F  # bopomofo
        or 0x3400 <= cp <= 0x4DBF  # extension A
        or 0x4E00 <= cp <= 0x9FFF  # unified ideographs
        or 0xF900 <= cp <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= cp <= 0xFE4F  # compatibility forms
        or 0xFF00 <= cp <= 0xFFEF  # half- and full-width forms
        or cp in (0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026)  # · — ‘ ’ “ ” …
    )


def _po_msgstrs(path: Path) -> str:
    """The text of every msgstr of a .po file (plural forms and continuation lines included)."""
    out: list[str] = []
    in_msgstr = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgstr"):
            in_msgstr = True
            line = line.partition(" ")[2]
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr and len(line) >= 2:
            out.append(line[1:-1])
    return "".join(out)


def characters() -> list[str]:
    """The CJK characters the interface uses, sorted by code point."""
    parts = [_po_msgstrs(CATALOG), PUNCTUATION]
    # Curated bilingual topic names (onboarding) are shown as labels too.
    for pattern in ("haven/**/templates/**/*.html", "haven/**/static/**/*.js", "haven/onboarding/topics.py"):
        parts.extend(p.read_text(encoding="utf-8", errors="ignore") for p in sorted(ROOT.glob(pattern)))
    return sorted({ch for ch in "".join(parts) if _is_cjk(ch)})


def _source_from_deb(workdir: Path) -> Path:
    subprocess.run(["/usr/bin/apt-get", "download", DEB], cwd=workdir, check=True)  # noqa: S603
    deb = next(workdir.glob(f"{DEB}_*.deb"))
    subprocess.run(["/usr/bin/dpkg-deb", "-x", str(deb), str(workdir / "x")], check=True)  # noqa: S603
    return workdir / "x" / TTC_IN_DEB


def _font_number(source: Path) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return number
    raise SystemExit(f"{FAMILY} is not in {source}")


def build(source: Path, output: Path) -> tuple[int, int]:
    from fontTools import subset

    chars = characters()
    options = subset.Options()
    options.flavor = "woff2"
    options.font_number = _font_number(source) if source.suffix.lower() == ".ttc" else 0
    options.layout_features = ["locl", "vert", "vrt2", "kern", "palt", "halt"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the licence
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(output), options)
    if output == OUTPUT:
        COVERAGE.write_text("".join(chars) + "\n", encoding="utf-8")
    return len(chars), output.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--source", type=Path, help="NotoSansCJK-Regular.ttc (default: download the Debian package)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or _source_from_deb(Path(tmp))
        count, size = build(source, args.output)
    print(f"{args.output.relative_to(ROOT)}: {count} characters, {size / 1024:.0f} KiB")
    if size > MAX_BYTES:
        print(f"warning: larger than {MAX_BYTES // 1024} KiB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
