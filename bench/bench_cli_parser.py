"""Cost of building the `fosp` command line's parser (what every `fosp ... --help` pays before it
prints), in a fresh process, and which heavier modules building it imported.

    python bench/bench_cli_parser.py [--repeats 21]

Each repeat runs ``import fosp_core.cli; build_parser()`` in a new interpreter from this tree's root
and times it from inside (interpreter start-up excluded, unlike `bench_cli_startup.py`, whose
whole-process times hide a 20 ms change under the machine's noise). Prints a markdown table: median
and min, whether ``fosp_core.train.config`` and torch were imported, and the load average.
To compare two trees, run it from each, alternately. Results: docs/benchmarks-cli.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = ("import sys, time\nt = time.perf_counter()\nfrom fosp_core.cli import build_parser\nbuild_parser()\n"
          "print(time.perf_counter() - t, 'fosp_core.train.config' in sys.modules, 'torch' in sys.modules)")


def once() -> tuple[float, bool, bool]:
    """(seconds, train.config imported, torch imported) of one fresh parser build."""
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), out[1] == "True", out[2] == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=21)
    opts = parser.parse_args()
    once()  # warm the disk cache and the bytecode
    load = os.getloadavg()[0]
    runs = [once() for _ in range(opts.repeats)]
    times = [r[0] for r in runs]
    print(f"{ROOT}: load average {load:.1f}, {os.cpu_count()} cores, {opts.repeats} runs")
    print("| build_parser() | median ms | min ms | fosp_core.train.config imported | torch imported |")
    print("|---|---|---|---|---|")
    print(f"| fresh process | {1000 * statistics.median(times):.1f} | {1000 * min(times):.1f} | "
          f"{'yes' if runs[-1][1] else 'no'} | {'yes' if runs[-1][2] else 'no'} |")


if __name__ == "__main__":
    main()
