"""One child process per Qt scale factor for the HiDPI tests (no tests here).

Qt fixes its scale factor (`QT_SCALE_FACTOR`) when it starts, so each HiDPI test measures its widgets in a
child process. Each such file ran its own child at each of its scales: 11 processes starting Python, Qt and
the app (~1.5-2 s each on the 2-core CI). A file registers its measuring script (a probe, which prints its
measures as JSON on its last line) with the scales it needs at import; the first test that asks for a scale
runs every probe registered for it in one child, one after the other (each `exec`'d in its own namespace;
`app.main.create_app` hands each the same application, back in the dark theme), and the answers are kept
for the process. A probe that fails is told with its traceback to the tests that read it; the others'
answers stand.

Registered (session 36): test_compare_hidpi (1, 1.25, 2), test_layer_swatch_hidpi (1, 1.25, 2),
test_legend_hidpi (1, 1.5, 2), test_hidpi_thumbnails (1, 2), test_thumbnail_strip (1, 1.25, 2),
test_hidpi_icons (2): 4 processes, not 15. They run in the order of their `order` (then name): the
probe that makes a bare QApplication first, those that make a main window last.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

_PROBES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], int]] = {}
"""name -> (its code, the scales it runs at, its arguments ("{tmp}": a folder of its own), its order)."""
_ANSWERS: dict[str, dict[str, dict[str, Any]]] = {}
"""scale -> name -> {"ok": True, "json": ...} or {"ok": False, "error": text}, once a process."""

RUNNER = r"""
import contextlib, io, json, sys, traceback
out = {}
for name, code, argv in json.loads(sys.stdin.read()):
    said = io.StringIO()
    sys.argv = ["-c", *argv]
    try:
        with contextlib.redirect_stdout(said):
            exec(compile(code, "<probe " + name + ">", "exec"), {"__name__": "__main__"})
        out[name] = {"ok": True, "json": json.loads(said.getvalue().strip().splitlines()[-1])}
    except BaseException:
        out[name] = {"ok": False, "error": traceback.format_exc() + said.getvalue()[-2000:]}
sys.stdout.write("\n" + json.dumps(out) + "\n")
"""


def register(name: str, code: str, scales: tuple[str, ...], argv: tuple[str, ...] = (), order: int = 0) -> None:
    """Run `code` (a probe printing its JSON on its last line) at each of `scales` (QT_SCALE_FACTOR values),
    with `sys.argv[1:]` = `argv` ("{tmp}" replaced by an empty folder of its own), after the probes of a
    lower `order` (-1: one that makes its own QApplication; 1: one that makes a main window)."""
    _PROBES[name] = (code, tuple(scales), tuple(argv), order)


def probed(name: str, scale: str, base: Path) -> dict[str, Any]:
    """What probe `name` printed at QT_SCALE_FACTOR `scale` (its child runs every probe of that scale, once
    a process, its HOME a new folder in `base`: pytest's base temp). An AssertionError with the probe's
    traceback, or the child's output, where it failed."""
    if scale not in _ANSWERS:
        _ANSWERS[scale] = _run(scale, base)
    answer = _ANSWERS[scale].get(name)
    assert answer is not None, f"probe {name!r} was not run at scale {scale}: {_ANSWERS[scale].get('', '')}"
    assert answer["ok"], f"probe {name!r} at QT_SCALE_FACTOR={scale} failed:\n{answer['error']}"
    return answer["json"]


def _run(scale: str, base: Path) -> dict[str, dict[str, Any]]:
    tmp = Path(tempfile.mkdtemp(prefix=f"hidpi-{scale}-", dir=base))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "HOME": str(tmp), "XDG_CACHE_HOME": str(tmp / "cache")}
    probes = []
    for name, (code, scales, argv, _order) in sorted(_PROBES.items(), key=lambda kv: (kv[1][3], kv[0])):
        if scale in scales:
            own = tmp / name
            own.mkdir()
            probes.append([name, code, [arg.replace("{tmp}", str(own)) for arg in argv]])
    done = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps(probes), cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"": {"ok": False, "error": done.stdout[-2000:] + done.stderr[-2000:]}} | {
            p[0]: {"ok": False, "error": f"the child ended with {done.returncode}:\n" + done.stdout[-2000:]
                   + done.stderr[-2000:]} for p in probes}
    return json.loads(done.stdout.strip().splitlines()[-1])
