"""Summarise a load run: locust CSVs + the floor JSON -> one Markdown table per scenario, with ratios.

.venv/bin/python -m bench.load.report bench/out/run-S
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any


def read_stats(path: Path) -> dict[str, dict[str, Any]]:
    rows = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = row
    return rows


def fnum(value: str | None) -> float:
    try:
        return float(value or "nan")
    except ValueError:
        return float("nan")


def table(name: str, stats: dict[str, dict[str, Any]], ceiling: float, floor: dict[str, Any]) -> str:
    lines = [
        f"### {name}",
        "",
        "| endpoint | req | req/s | p50 ms | p95 ms | p99 ms | errors | x ceiling p50 | SQL floor p50 ms "
        "| HTTP/SQL p50 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint, row in stats.items():
        count = int(fnum(row["Request Count"]))
        if count == 0:
            continue
        failures = int(fnum(row["Failure Count"]))
        p50 = fnum(row["50%"])
        sql = floor.get(endpoint, {}).get("sql_floor", {}).get("p50_ms")
        ratio_c = f"{p50 / ceiling:.0f}" if ceiling and endpoint not in ("ceiling", "Aggregated") else ""
        ratio_s = f"{p50 / sql:.1f}" if sql else ""
        lines.append(
            f"| {endpoint} | {count} | {fnum(row['Requests/s']):.1f} | {p50:.0f} | {fnum(row['95%']):.0f} | "
            f"{fnum(row['99%']):.0f} | {failures / count:.1%} | {ratio_c} | {sql if sql is not None else ''} "
            f"| {ratio_s} |"
        )
    return "\n".join(lines)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/out/run-S")
    floor_files = list(folder.glob("floor-*.json"))
    floor = json.loads(floor_files[0].read_text())["endpoints"] if floor_files else {}
    ceiling_p50 = 0.0
    ceiling_file = folder / "ceiling_stats.csv"
    if ceiling_file.exists():
        ceiling_p50 = fnum(read_stats(ceiling_file).get("ceiling", {}).get("50%"))
    parts = [f"# Load run {folder.name}", ""]
    for path in sorted(folder.glob("*_stats.csv")):
        parts += [table(path.name.removesuffix("_stats.csv"), read_stats(path), ceiling_p50, floor), ""]
    text = "\n".join(parts)
    (folder / "report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
