"""FoSp's programs run torch's OpenMP threads under `OMP_WAIT_POLICY=PASSIVE` unless the user chose
(`fosp_core.omp_policy`): on shared cores the default spinning threads made a 512 px forward 2-5x
slower (docs/benchmarks-model.md), and in the app they spin on the cores the GUI thread needs.

The runtime reads the variable once, as torch loads, so each entry is run in a fresh process with
`OMP_DISPLAY_ENV=verbose`: libgomp itself prints the policy and spin count it took (GOMP_SPINCOUNT
'0' under PASSIVE, '300000' unset, '30000000000' under ACTIVE). Before, every entry printed 300000."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core import omp_policy

ROOT = Path(__file__).resolve().parents[2]
LOAD_TORCH = "import torch; torch.ones(8).sum()"


def _spin_count(args: list[str], tmp_path: Path, **env: str) -> str:
    """The GOMP_SPINCOUNT libgomp took in a process running `args` (from the repository root), the
    user's environment being `env` (no OpenMP knobs otherwise)."""
    clean = {k: v for k, v in os.environ.items() if k not in omp_policy.USER_KNOBS}
    clean.update(OMP_DISPLAY_ENV="verbose", QT_QPA_PLATFORM="offscreen", FOSP_CACHE=str(tmp_path / "cache"), **env)
    out = subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=300)
    found = re.findall(r"GOMP_SPINCOUNT = '(\d+)'", out.stdout + out.stderr)
    assert len(found) == 1, (args, out.returncode, out.stderr[-2000:])
    return found[0]


def test_fosp_runs_passive(tmp_path: Path) -> None:
    """`python -m fosp_core` (the bundle's and the app's fine-tune: `-m fosp_core train`)."""
    assert _spin_count([sys.executable, "-m", "fosp_core", "info"], tmp_path) == "0"  # was 300000


@pytest.mark.slow  # test_fosp_runs_passive runs the same entry
def test_the_fosp_script_runs_passive(tmp_path: Path) -> None:
    script = shutil.which("fosp")
    if script is None:
        pytest.skip("the fosp console script is not installed")
    assert _spin_count([script, "info"], tmp_path) == "0"


@pytest.mark.slow  # test_fosp_runs_passive: the same `-m fosp_core` path
def test_main_py_runs_passive(tmp_path: Path) -> None:
    assert _spin_count([sys.executable, "main.py", "-m", "fosp_core", "info"], tmp_path) == "0"


#: The `fosp-studio` entry: app.main.main as it starts (here it stops at --version, in parse_args), then the
#: model loads torch (here: the statement does). Importing app.main alone sets nothing
#: (tests/unit/test_startup_entry.py).
APP_START = f"""import app.main
try:
    app.main.main(["--version"])
except SystemExit:
    pass
{LOAD_TORCH}"""


# The app runs passive (app.main.main as it starts, then torch loads: '0'), and importing app.main alone changes
# nothing ('300000'): tests/unit/test_startup_entry.py's test_the_app_sets_passive_as_it_starts_before_torch_loads
# and test_importing_app_main_leaves_the_environment_alone read the spin count in the processes they start.


@pytest.mark.slow  # test_startup_entry::test_the_app_sets_passive_as_it_starts_before_torch_loads: the same main()
def test_a_real_screenshot_runs_passive(tmp_path: Path) -> None:
    """`python -m app IMAGE --screenshot OUT.png` (app.main.main alone, as the `fosp-studio` script; main.py
    sets the policy itself too): the window is built and the default model loads torch on the inference
    thread, as when a user starts the app."""
    image = next((ROOT / "resources" / "demo" / "JPEGImages").glob("*.jpg"))
    args = [sys.executable, "-m", "app", str(image), "--screenshot", str(tmp_path / "out.png"), "--size", "640x400"]
    assert _spin_count(args, tmp_path, FOSP_CONFIG=str(tmp_path / "config"), HOME=str(tmp_path)) == "0"


def test_the_users_policy_wins(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "fosp_core", "info"]  # `fosp` and `-m fosp_core` alike
    assert _spin_count(cli, tmp_path, OMP_WAIT_POLICY="ACTIVE") == "30000000000"
    assert _spin_count(cli, tmp_path, GOMP_SPINCOUNT="1000") == "1000"  # a spin count of theirs: no policy set


@pytest.mark.slow  # test_the_users_policy_wins: the same rule
def test_the_users_policy_wins_in_the_app(tmp_path: Path) -> None:
    app = [sys.executable, "-c", APP_START]
    assert _spin_count(app, tmp_path, OMP_WAIT_POLICY="ACTIVE") == "30000000000"


# A notebook or script importing fosp_core gets OpenMP's own default: importing fosp_core.train.loop (which
# loads torch) sets no policy, '300000': the end of tests/unit/test_startup_entry.py's
# test_importing_app_main_leaves_the_environment_alone (the same child process as app.main's import).


def test_a_library_call_that_reads_the_cli_changes_nothing(tmp_path: Path) -> None:
    """`fosp_core.analysis.settings.device_choices` (the devices `fosp info` finds) imports
    `fosp_core.cli.info`, hence `fosp_core.cli`, before torch: a notebook listing the devices got
    PASSIVE (0) from the CLI's import. The command sets it as it runs (`fosp_core.cli.main`)."""
    args = [sys.executable, "-c", f"from fosp_core.analysis.settings import device_choices; device_choices(); "
            f"{LOAD_TORCH}"]
    assert _spin_count(args, tmp_path) == "300000"  # was 0


def test_too_late_or_chosen_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch  # noqa: F401  (loaded: the runtime has read its environment already)

    env: dict[str, str] = {}
    assert omp_policy.apply_default_wait_policy(env) is None and env == {}
    monkeypatch.delitem(sys.modules, "torch")  # as if not loaded yet
    assert omp_policy.apply_default_wait_policy(env) == "PASSIVE" and env == {"OMP_WAIT_POLICY": "PASSIVE"}
    for knob, value in (("OMP_WAIT_POLICY", "active"), ("KMP_BLOCKTIME", "0"), ("GOMP_SPINCOUNT", "10")):
        chosen = {knob: value}
        assert omp_policy.apply_default_wait_policy(chosen) is None and chosen == {knob: value}
