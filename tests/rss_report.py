"""Summarise ``FOSP_TEST_RSS`` records (``tests/rss_recorder.py``): the tests that raised the peak, the
tests that kept memory, and what each test file left held.

    python -m tests.rss_report /tmp/rss-unit.jsonl [/tmp/rss-gui.jsonl ...] [--top 15]

Each input file is one pytest process (a chunk of the suite run with ``-p no:xdist``): "held" is
counted within its file, "rss at end" is the RSS after the chunk's last test.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

__all__ = ["file_holds", "load", "main"]


def load(path: Path) -> list[dict]:
    """The JSON lines of one record file, in test order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def file_holds(rows: list[dict]) -> dict[str, tuple[float, float, int]]:
    """Per test file: (MiB held by its tests together, highest peak of one of its tests, tests)."""
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for row in rows:
        entry = out[row["test"].split("::")[0]]
        entry[0] += row["held_mb"]
        entry[1] = max(entry[1], row["peak_mb"])
        entry[2] += 1
    return {name: (held, peak, int(n)) for name, (held, peak, n) in out.items()}


def _table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(row))


def main(argv: list[str] | None = None) -> None:
    """Print the tables for the record files given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    every: list[dict] = []
    for path in args.records:
        rows = load(path)
        every += rows
        if rows:
            print(f"{path}: {len(rows)} tests, RSS at end {rows[-1]['rss_mb']:.0f} MiB, "
                  f"highest {max(r['peak_mb'] for r in rows):.0f} MiB")
    top = args.top
    by_peak = sorted(every, key=lambda r: -r["peak_mb"])[:top]
    _table("highest peaks (MiB)", [(f"{r['peak_mb']:.0f}", f"{r['rss_mb']:.0f}", r["test"]) for r in by_peak],
           ("peak", "rss after", "test"))
    by_held = sorted(every, key=lambda r: -r["held_mb"])[:top]
    _table("most held after the test (MiB)",
           [(f"{r['held_mb']:+.0f}", f"{r['heap_free_mb']:.0f}", r["test"]) for r in by_held],
           ("held", "glibc free heap", "test"))
    files = sorted(file_holds(every).items(), key=lambda kv: -kv[1][0])[:top]
    _table("test files, by MiB their tests held together",
           [(f"{held:+.0f}", f"{peak:.0f}", str(n), name) for name, (held, peak, n) in files],
           ("held", "highest peak", "tests", "file"))


if __name__ == "__main__":
    main()
