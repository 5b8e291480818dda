"""The image list's name filter and navigation on big folders (Go ▸ Filter by Name, PgUp/PgDown).

    python bench/bench_session.py [--sizes 10000 100000] [--repeats 5]

Builds an `ImageSession` over N made-up SMOKE5K-style names (no files are read: the filter looks at
names only) and times, median of `--repeats`: opening the list, filtering by a plain word, by a
wildcard and by two words, and one Next/Previous step under a filter. Typing waits for a 150 ms
pause before filtering (`app.image_list.FILTER_DELAY_MS`), so a keystroke never waits on it.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_annotation import timed  # noqa: E402 (median ms of a call)
from fosp_core.session import ImageSession  # noqa: E402

PATTERNS = {"a word": "1598", "a wildcard": "1598*_+00", "two words": "59 +01"}


def names(n: int) -> list[Path]:
    """`<unix time>_<±seconds>.jpg` in folders of 1000, like SMOKE5K's real photos."""
    return [Path(f"/data/run{i // 1000:03d}/{1598128445 + i}_+{i % 3000:05d}.jpg") for i in range(n)]


def open_list(paths: list[Path]) -> ImageSession:
    session = ImageSession()
    session.add(paths)
    return session


def measure(n: int, repeats: int) -> list[str]:
    """One table row for `n` names."""
    paths = names(n)
    row = [f"{n:,}", f"{timed(lambda: open_list(paths), repeats):.0f} ms"]
    session = open_list(paths)
    for pattern in PATTERNS.values():
        def refilter(pattern: str = pattern) -> None:
            session.set_filter("")
            session.set_filter(pattern)

        row.append(f"{timed(refilter, repeats):.0f} ms")
    session.set_filter(PATTERNS["two words"])
    session.set_current(n // 2)

    def step() -> None:
        session.next()
        session.previous()

    row.append(f"{timed(step, repeats) / 2:.2f} ms")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print("| images | open the list | " + " | ".join(f"filter by {k}" for k in PATTERNS) + " | next under a filter |")
    print("|---" * (3 + len(PATTERNS)) + "|")
    for n in args.sizes:
        print("| " + " | ".join(measure(n, args.repeats)) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
