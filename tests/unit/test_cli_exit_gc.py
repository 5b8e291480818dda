"""A `fosp` process that loaded torch took ~2 s to end after `main` returned (on the 2 shared cores; seen on
`fosp project prelabel`, `fosp eval`, `fosp info`), in C code with no Python frame. No thread or pool was
waited for (no Python thread alive after `main`; gdb: the main thread alone at work): it was the interpreter's
own finalization - its full garbage collections (`finalize_modules`, `interpreter_clear`), each walking the
~170 000 objects torch's modules hold - and then libtorch's static destructors (~0.3 s, its operators
deregistered). `fosp_core.cli.main`, run as the program (the `fosp` script, ``python -m fosp_core``: no argv
given), has those objects frozen at exit (`gc.freeze`, after one last collection and with every open file
flushed), so the finalization's collections walk only what is made after it. Counted here: the objects those
collections would walk (`len(gc.get_objects())` as the interpreter's finalization starts), not time
(bench/bench_cli_exit.py prints the times). Nothing is lost by it: garbage at exit is still finalized (its `__del__`
run), and a file left open in a reference cycle a module holds (which only the finalization's collections
would close) is flushed. `main(argv)` as a library call changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: the child: a report registered before `main` (atexit runs last what was registered first: after fosp's),
#: a file in a reference cycle a module global holds and one in cyclic garbage, written but not flushed, and
#: an object in a cycle that is garbage, whose __del__ writes a file; no collection while main runs (gc
#: disabled: what is garbage is still there at exit, for the interpreter's finalization or fosp's to settle)
_CHILD = """
import atexit, gc, json, sys
gc.disable()
def report():
    print("REPORT " + json.dumps({"tracked": len(gc.get_objects()), "frozen": gc.get_freeze_count(),
                                  "torch": "torch" in sys.modules}), file=sys.stderr, flush=True)
atexit.register(report)

class Holder:
    pass

def holding(path):
    h = Holder()
    h.me = h  # a reference cycle: only a garbage collection frees it
    h.file = open(path, "w", buffering=1 << 20)
    h.file.write("kept\\n")
    return h

class Noting:
    def __init__(self, path):
        self.me, self.path = self, path  # a cycle again
    def __del__(self):
        with open(self.path, "w") as f:
            f.write("finalized\\n")

kept = holding(sys.argv[1])  # garbage only when the interpreter clears this module
holding(sys.argv[4])  # garbage at once
Noting(sys.argv[3])  # garbage: its __del__ runs at the latest as the process ends
from fosp_core.cli import main
if sys.argv[2] == "program":  # as the fosp script does
    sys.argv = ["fosp", "info"]
    raise SystemExit(main())
raise SystemExit(main(["info"]))
"""


def _run(tmp_path: Path, how: str) -> tuple[dict, subprocess.CompletedProcess[str]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "held.txt"), how,
                          str(tmp_path / "noted.txt"), str(tmp_path / "garbage.txt")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("REPORT ")]
    assert len(lines) == 1, run.stderr
    return json.loads(lines[0][len("REPORT "):]), run


def test_the_program_leaves_the_exit_collections_little_to_walk_and_loses_nothing_written(tmp_path: Path) -> None:
    """One program run, two facets (a process start with torch costs ~2-3 s of the 2-core CI's time).

    Nothing written is lost: left to the interpreter's finalization (`main(argv)`, a library call,
    unchanged) all three were lost in this child: the files' descriptors closed before their buffers (in
    no set order), the __del__ run when its module's globals were gone ("NameError: name 'open' is not
    defined"). The program flushes and collects before freezing."""
    report, run = _run(tmp_path, "program")
    assert report["torch"], "fosp info no longer loads torch: pick a command that does"
    assert report["frozen"] > 50_000 and report["tracked"] * 10 < report["frozen"], report
    assert "default model:" in run.stdout  # the command's own output, whole
    assert (tmp_path / "held.txt").read_text() == "kept\n", "a file in a cycle a module holds lost its buffer"
    assert (tmp_path / "garbage.txt").read_text() == "kept\n", "a file in cyclic garbage lost its buffer"
    assert (tmp_path / "noted.txt").read_text() == "finalized\n", "a __del__ of cyclic garbage did not run"


def test_a_library_call_changes_nothing(tmp_path: Path) -> None:
    report, _run_ = _run(tmp_path, "library")
    assert report["frozen"] == 0
