"""The figures of the national bench: a child emits each as one line, the parent collects
them and prints one table per section, each figure beside its anchor, the ratio, the goal
and the verdict."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

PREFIX = "FIGURE "
SECTIONS = {
    "setup": "Data set and setup",
    "import": "Imports vs a bare COPY of the same rows (goal: at most 3x; re-import of an unchanged file faster still)",
    "pages": ("Pages for a whole-country and a kab/kota user (goal for the whole country: p95 <= 150 ms, no more "
              "queries than the kab/kota user; a deep TPS page costs what page 1 does)"),
    "board": "Escort board at national volume",
    "api": "Polling-station API vs a bare DRF list, under load",
    "confirm": "Confirmation API vs a bare insert, under load",
    "drain": "Draining 10,000 due reminders with 2 workers",
}


def figure(section: str, name: str, value: str, *, anchor: str = "", ratio: float | None = None, goal: str = "",
           ok: bool | None = None, note: str = "") -> dict:
    """One figure of a section's table (``ok`` None: a figure without a goal)."""
    return {"section": section, "figure": name, "value": value, "anchor": anchor, "ratio": ratio, "goal": goal,
            "ok": ok, "note": note}


def emit(section: str, name: str, value: str, **kwargs) -> None:
    """One figure, printed by a child for the parent to collect (readable as it is)."""
    print(PREFIX + json.dumps(figure(section, name, value, **kwargs)), flush=True)


def show(figures: list[dict], found: dict) -> None:
    """Keep a figure the parent measured itself, and print it as a child's would be."""
    figures.append(found)
    print(f"  {found['figure']}: {found['value']}" + (f"  [anchor {found['anchor']}]" if found["anchor"] else ""),
          flush=True)


def stats(timings: list[float]) -> tuple[float, float]:
    """(median, 95th percentile) of milliseconds."""
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(round(len(ordered) * 0.95) - 1, 0)]


def stream(env: dict, args: list[str], log: Path, figures: list[dict], cwd: Path) -> str:
    """``python *args`` in a child, its figures collected into ``figures`` and its other
    lines echoed; stderr to ``log``. Exits with the log's tail when the child fails.
    Returns the child's last plain line."""
    last = ""
    with log.open("a") as errors:
        process = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=errors, text=True, bufsize=1)
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            if line.startswith(PREFIX):
                show(figures, json.loads(line[len(PREFIX):]))
            elif line:
                last = line
                print(f"  {line}", flush=True)
        code = process.wait()
    if code:
        sys.exit(f"{' '.join(args)} failed ({code}):\n{log.read_text()[-4000:]}")
    return last


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else "PASS" if ok else "MISS"


def tables(figures: Iterable[dict]) -> str:
    """Every section's table, in SECTIONS' order, and the count of misses."""
    figures = list(figures)
    out = []
    for section, title in SECTIONS.items():
        rows = [f for f in figures if f["section"] == section]
        if not rows:
            continue
        header = ["figure", "measured", "anchor", "ratio", "goal", ""]
        body = [[f["figure"], f["value"], f["anchor"], "" if f["ratio"] is None else f"{f['ratio']:.2f}x",
                 f["goal"], _verdict(f["ok"])] for f in rows]
        widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
        out.append(f"\n== {title}")
        for row in [header, *body]:
            out.append("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        out += [f"   note ({f['figure']}): {f['note']}" for f in rows if f["note"]]
    misses = sum(1 for f in figures if f["ok"] is False)
    passes = sum(1 for f in figures if f["ok"] is True)
    out.append(f"\n{passes} PASS, {misses} MISS")
    return "\n".join(out)
