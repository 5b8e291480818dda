"""The app's entry points (`python main.py`, the bundle's main.py, the `fosp-studio` script =
`app.main:main`) start in the right order, and importing them changes nothing.

- Importing `app.main` set `OMP_WAIT_POLICY=PASSIVE` in the process (`fosp_core.omp_policy` was
  applied at module level): a test or script importing it for `create_app` or `parse_args` changed
  the environment of everything it started later. Now `main()` applies it as it starts, as
  `fosp_core.cli.main` does, before anything loads torch (the OpenMP runtime reads it once, then).
- main.py called no `multiprocessing.freeze_support()`: a frozen bundle (packaging/fosp-studio.spec,
  whose entry is main.py) whose fine-tune starts spawned children (DataLoader workers) re-ran the app
  in each child instead of the child's work. It is now the first thing under `__main__`.

Each environment check runs in a fresh Python process with no OpenMP setting of the user's, so what this
test process imported (torch, Qt) counts for nothing."""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core import omp_policy

ROOT = Path(__file__).resolve().parents[2]

#: After what a statement recorded: torch loads, and its OpenMP runtime prints the spin count it took
#: (`OMP_DISPLAY_ENV=verbose`; tests/unit/test_omp_wait_policy.py): '0' under PASSIVE, '300000' unset.
LOAD_TORCH = "\nimport torch; torch.ones(8).sum()\n"


def _run_and_spin_count(statement: str, *args: str, **env: str) -> tuple[dict[str, object], str | None]:
    """What `statement` printed after "SEEN ", and the GOMP_SPINCOUNT libgomp took (None: OpenMP not loaded)."""
    clean = {k: v for k, v in os.environ.items() if k not in omp_policy.USER_KNOBS}
    clean.update(QT_QPA_PLATFORM="offscreen", OMP_DISPLAY_ENV="verbose", **env)
    done = subprocess.run([sys.executable, "-c", statement, *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert lines, (done.stdout[-2000:], done.stderr[-2000:])
    spins = re.findall(r"GOMP_SPINCOUNT = '(\d+)'", done.stdout + done.stderr)
    assert len(spins) <= 1, done.stderr[-2000:]
    return json.loads(lines[-1].removeprefix("SEEN ")), (spins[0] if spins else None)


def test_importing_app_main_leaves_the_environment_alone() -> None:
    """Also OpenMP's own default when torch loads after the import (one process for both; was
    test_omp_wait_policy's test_importing_the_app_alone_changes_nothing). The same process then imports
    `fosp_core.train.loop`, which loads torch, as a notebook or script using the library does: that import
    sets no policy either (was test_omp_wait_policy's test_the_library_alone_changes_nothing, a process of
    its own: a start with torch costs ~2 s of the 2-core CI's time)."""
    seen, spins = _run_and_spin_count(
        "import json, os, sys, app.main\n"
        "print('SEEN ' + json.dumps([os.environ.get('OMP_WAIT_POLICY'), 'torch' in sys.modules]), flush=True)\n"
        "import fosp_core.train.loop" + LOAD_TORCH)
    assert seen == [None, False], seen  # was ["PASSIVE", False]: importing app.main set the policy
    assert spins == "300000", spins  # was 0: app.main's import, or the library's (fosp_core.train.loop), set it


#: Imports app.main (recording the process's OMP_WAIT_POLICY and whether torch is loaded then), then runs
#: app.main.main([]) for each of several users, one after the other, with create_app replaced by a stand-in
#: that records the same when the app was to be built: argv[1] is a JSON list of each user's OpenMP settings
#: (set in the environment, the others of `USER_KNOBS` removed, before main runs).
_ENTRIES = """
import json, os, sys
import app.main
from fosp_core.omp_policy import USER_KNOBS
imported = {"after_import": os.environ.get("OMP_WAIT_POLICY"), "torch_after_import": "torch" in sys.modules}
seen = [imported]
def create_app(argv=None):
    seen[-1].update(at_create_app=os.environ.get("OMP_WAIT_POLICY"), torch_at_create_app="torch" in sys.modules)
    raise SystemExit(0)
app.main.create_app = create_app
for user in json.loads(sys.argv[1]):
    for knob in USER_KNOBS:
        os.environ.pop(knob, None)
    os.environ.update(user)
    seen.append({})
    try:
        app.main.main([])
    except SystemExit:
        pass
print("SEEN " + json.dumps(seen[1:] + [imported]), flush=True)
"""


def test_the_app_sets_passive_as_it_starts_before_torch_loads(tmp_path: Path) -> None:
    """And torch, loaded after, runs PASSIVE (the spin count libgomp took; one process for both: was
    test_omp_wait_policy's test_the_app_runs_passive). A user's own setting wins: the app's main, run first in
    the same process (started with OMP_WAIT_POLICY=ACTIVE) for that user, then for one with GOMP_SPINCOUNT=1000,
    sets nothing; then, for a user with neither, PASSIVE (one process for the three: test_a_users_own_setting_
    wins_in_the_app started two; main reads the environment as it runs)."""
    users = [{"OMP_WAIT_POLICY": "ACTIVE"}, {"GOMP_SPINCOUNT": "1000"}, {}]
    seen, spins = _run_and_spin_count(_ENTRIES + LOAD_TORCH, json.dumps(users), FOSP_CACHE=str(tmp_path / "cache"),
                                      FOSP_CONFIG=str(tmp_path / "config"), OMP_WAIT_POLICY="ACTIVE")
    assert seen[0] == {"at_create_app": "ACTIVE", "torch_at_create_app": False}, seen  # the user's own, kept
    assert seen[1] == {"at_create_app": None, "torch_at_create_app": False}, seen  # their spin count: no policy set
    assert seen[2] == {"at_create_app": "PASSIVE", "torch_at_create_app": False}, seen  # nobody's choice: PASSIVE
    # the first user's process: importing app.main kept their setting (with none: test_importing_app_main_...)
    assert seen[3] == {"after_import": "ACTIVE", "torch_after_import": False}, seen
    assert spins == "0"  # was 300000


def _run_main_py(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> list[str]:
    """Run main.py as `python main.py ARGV` in this process, with freeze_support, the app's main and the
    command line's main replaced by stand-ins; the calls, in order."""
    calls: list[str] = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append("freeze_support"))
    monkeypatch.setattr(omp_policy, "apply_default_wait_policy", lambda *a: calls.append("wait_policy"))
    monkeypatch.setattr("app.main.main", lambda *a: calls.append("app") or 0)
    monkeypatch.setattr("fosp_core.cli.main", lambda *a: calls.append("cli") or 0)
    monkeypatch.setattr(sys, "argv", ["main.py", *argv])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    assert done.value.code == 0
    return calls


def test_main_py_calls_freeze_support_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """A frozen child (a spawned DataLoader worker) must be taken by freeze_support before anything
    builds a window or runs a command."""
    assert _run_main_py(monkeypatch, [])[:1] == ["freeze_support"]  # was ["wait_policy"]
    assert _run_main_py(monkeypatch, ["-m", "fosp_core", "info"])[:1] == ["freeze_support"]
    assert _run_main_py(monkeypatch, [])[-1] == "app"


def test_the_bundles_entry_is_main_py() -> None:
    """The PyInstaller spec's Analysis takes main.py (where freeze_support is called) as its script."""
    tree = ast.parse((ROOT / "packaging" / "fosp-studio.spec").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "Analysis"]
    assert len(calls) == 1
    scripts = ast.unparse(calls[0].args[0])
    assert "main.py" in scripts and scripts.count(",") == 0, scripts  # main.py, alone


def test_python_m_app_and_app_main_py_run_the_app() -> None:
    """`python app/main.py --version` ended at once, saying nothing, exit 0 (the module had no `__main__`
    guard); `python -m app` said "'app' is a package and cannot be directly executed". Both now run
    `app.main.main`, as `fosp-studio` does."""
    from fosp_core import __version__

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for args in (["app/main.py", "--version"], ["-m", "app", "--version"]):
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stdout) == (0, f"fosp-studio {__version__}\n"), (args, done.stderr[-2000:])


def test_the_bundles_command_line_runs_as_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """`main.py -m fosp_core ARGS` (the bundle's `fosp`) called `cli.main(ARGS)`, a library call, so the
    program's quick exit (`cli._end_quickly`, 9048b55) was never set up there; it now runs `cli.main()`
    with sys.argv as `fosp ARGS` would have it."""
    seen: list[tuple[tuple, list[str]]] = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: None)
    monkeypatch.setattr(omp_policy, "apply_default_wait_policy", lambda *a: None)
    monkeypatch.setattr("fosp_core.cli.main", lambda *a: seen.append((a, list(sys.argv))) or 0)
    monkeypatch.setattr(sys, "argv", ["main.py", "-m", "fosp_core", "info", "--json"])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "main.py"), run_name="__main__")
    assert done.value.code == 0
    assert [(args, argv[1:]) for args, argv in seen] == [((), ["info", "--json"])]  # was ((["info", "--json"],), ["-m", "fosp_core", ...])
