"""Benchmark: cutting the journal into lines (`fosp_core.annotation.entries.journal_lines`), which every
opening, compaction and upgrade check does over the whole of ``changes.jsonl``.

    python bench/bench_journal_lines.py [--rounds 200]

The journal is `JOURNAL_LIMIT` lines (the most a project lets it hold before folding it) written by
`dump_change` for entries as the app writes them (a prediction summary, a recovery stamp), and the same
with a NUL run where a page was dropped (a failed fsync: `test_journal_nul_runs`). **regex** is the cut as
it was (``re.split(rb"\\n|\\x00+")``, then the blank pieces left out), **now** is `journal_lines`;
both give the same lines (checked). Best and median of `rounds` calls each, in ms; note the load
average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fosp_core.annotation.document import Status  # noqa: E402
from fosp_core.annotation.entries import ImageEntry, dump_change, journal_lines  # noqa: E402
from fosp_core.annotation.project import JOURNAL_LIMIT  # noqa: E402

_LINE_END = re.compile(rb"\n|\x00+")


def regex_lines(data: bytes) -> list[bytes]:
    """The cut before: a regex split at each newline and each NUL run."""
    return [line for line in _LINE_END.split(data) if line.strip()]


def journal(n: int) -> bytes:
    """`n` journal lines as saves write them."""
    entries = [ImageEntry(f"frame_{i:06d}_camera-north", f"JPEGImages/frame_{i:06d}_camera-north.jpg",
                          Status.EDITED, 1712345679.5 + i, None, "train", (1080, 1920), 0.0123 + i * 1e-6,
                          {"threshold": 0.5, "uncertainty": 0.031, "uncertain_share": 0.012, "smoke_ratio": 0.011,
                           "error_vs_label": None, "model": "0123456789abcdef"}, {"imported_at": 1712345679.5 + i})
               for i in range(n)]
    return b"".join(dump_change(e, 3) for e in entries)


def timed(cut: Callable[[bytes], list[bytes]], data: bytes, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        cut(data)
        times.append((time.perf_counter() - start) * 1000.0)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    clean = journal(JOURNAL_LIMIT)
    cut = clean.index(b"\n", len(clean) // 2) + 1
    torn = clean[:cut - 40] + b"\0" * 4096 + clean[cut:]  # a page of NULs over a line's end
    print(f"load average {os.getloadavg()[0]:.1f}; {JOURNAL_LIMIT} lines, {len(clean) / 1024:.0f} KiB; "
          f"{args.rounds} rounds")
    print(f"{'journal':<22}{'cut':<8}{'best ms':>10}{'median ms':>11}")
    for name, data in (("no NULs", clean), ("a page of NULs", torn)):
        assert journal_lines(data) == regex_lines(data)
        for label, fn in (("regex", regex_lines), ("now", journal_lines)):
            best, median = timed(fn, data, args.rounds)
            print(f"{name:<22}{label:<8}{best:>10.3f}{median:>11.3f}")


if __name__ == "__main__":
    main()
