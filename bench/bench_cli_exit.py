"""How long a `fosp` process takes to end once `main` has returned, run as the program (the `fosp` script,
``python -m fosp_core``: `fosp_core.cli.main` with no argv, which freezes the objects alive at exit so the
interpreter's finalization does not walk them, `cli._end_quickly`) against `main(argv)` called as a library
(the interpreter's finalization as it is: what every `fosp` process did before). Prints a table.

    python bench/bench_cli_exit.py [--rounds 3] [--commands info,status,prelabel]

Each row: one command in a fresh process per round, the two ways alternating (order swapped each round);
the time from `main`'s return (a stamp the child writes) to the process's end, and the whole run. Commands:
`info` (loads torch), `status` (`fosp project status` on a copy of the bundled demo: no torch), `prelabel`
(`fosp project prelabel` on a fresh copy of it each time, the shipped default model). The load average is
printed: the machine may be shared, note it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAYS = ("program", "library")

#: the child: `main` run either way, a stamp on stderr once it returned, then the exit as the script's
_CHILD = """
import sys, time
from fosp_core.cli import main
way, args = sys.argv[1], sys.argv[2:]
if way == "program":
    sys.argv = ["fosp", *args]
    code = main()
else:
    code = main(args)
sys.stderr.write(f"RETURNED {time.time()!r}\\n")
sys.stderr.flush()
raise SystemExit(code)
"""


def _once(way: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from main's return to the process's end, seconds of the whole run)."""
    start = time.time()
    run = subprocess.run([sys.executable, "-c", _CHILD, way, *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    end = time.time()
    stamps = [line for line in run.stderr.splitlines() if line.startswith("RETURNED ")]
    if run.returncode != 0 or not stamps:
        raise SystemExit(f"fosp {' '.join(args)} ({way}) failed, exit {run.returncode}:\n{run.stderr[-2000:]}")
    returned = float(stamps[-1].split()[1])
    return end - returned, end - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commands", default="info,status,prelabel")
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-cli-exit-"))
    try:
        demo = work / "demo"
        shutil.copytree(ROOT / "resources" / "demo", demo)
        env = dict(os.environ, FOSP_CACHE=str(work / "cache"), FOSP_CONFIG=str(work / "cache"),
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        subprocess.run([sys.executable, "-c", "import sys; from fosp_core.annotation.project import Project; "
                        "Project.open(sys.argv[1]).close()", str(demo)], cwd=ROOT, env=env, check=True)
        runs = iter(range(10**6))

        def fresh_demo() -> str:  # a copy with its project, nothing pre-labelled yet: the model runs
            copy = work / f"demo{next(runs)}"
            shutil.copytree(demo, copy, symlinks=True)
            return str(copy)

        commands = {"info": lambda: ["info"], "status": lambda: ["project", "status", str(demo)],
                    "prelabel": lambda: ["project", "prelabel", fresh_demo()]}
        print(f"{'command':10s} {'way':8s} {'exit after main, s (median, min-max)':>38s} {'whole run, s':>13s} "
              f"{'load':>5s}")
        for name in opts.commands.split(","):
            times: dict[str, list[tuple[float, float]]] = {way: [] for way in WAYS}
            for r in range(opts.rounds):
                for way in WAYS if r % 2 == 0 else WAYS[::-1]:
                    times[way].append(_once(way, commands[name](), env))
            for way in WAYS:
                exits = [t[0] for t in times[way]]
                whole = statistics.median(t[1] for t in times[way])
                spread = f"{statistics.median(exits):.2f} ({min(exits):.2f}-{max(exits):.2f})"
                print(f"{name:10s} {way:8s} {spread:>38s} {whole:13.2f} {os.getloadavg()[0]:5.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
