"""Kills around the recovery logs of the background mask saves (`tests/unit/recovery_crash_worker.py`):
inside the recovery itself on opening (after the mask file is written and before its journal line,
after the journal line and before the log goes, after the log went), many commits to one image
while the PNG writer is slow (coalesced saves, logs removed and begun again), and an undo whose
PNG was not written: reopening finds the newest committed mask and status, and no stray file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path
from tests.unit.crash_worker import disk_state, mask_hash, stray_files

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "tests.unit.recovery_crash_worker", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def _image_folder(tmp_path: Path, shape: tuple[int, int] = (48, 64)) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), np.full((*shape, 3), 90, np.uint8))
    return folder


def _check_reopened(folder: Path, want: np.ndarray, status: str) -> None:
    project_dir = folder / ".fosp"
    assert disk_state(project_dir)["frame"][:2] == (mask_hash(want), status)
    with Project.open(folder) as project:
        assert project.recovery_problems == [] and project.pending_logs == []
        assert mask_hash(project.load_mask("frame")) == mask_hash(want)
        assert project.entry("frame").status.value == status
    assert not stray_files(project_dir)
    assert disk_state(project_dir)["frame"][:2] == (mask_hash(want), status)


@pytest.mark.parametrize("point", ["png_written", "journaled", "log_removed", "journal_fsync"])
def test_a_kill_inside_the_recovery_on_opening_loses_nothing(tmp_path: Path, point: str) -> None:
    folder = _image_folder(tmp_path)
    base = np.zeros((48, 64), np.uint8)
    base[4:20, 4:30] = 1
    with Project.open(folder) as project:
        project.save_mask("frame", base, "edited")
    want = base.copy()
    want[10:40, 20:60] = 1
    want[30:34, 0:8] = 255
    log = log_path(folder / ".fosp" / "masks" / "frame.png")
    log.write_bytes(encode_record(want, (10, 40, 20, 60), "edited") + encode_record(want, (30, 34, 0, 8), "reviewed"))
    proc = _run("open", str(folder), str(tmp_path / "unused.npy"), point)
    assert proc.returncode == -signal.SIGKILL, (proc.stdout, proc.stderr[-2000:])
    _check_reopened(folder, want, "reviewed")


@pytest.mark.parametrize("mode", ["coalesce", "undo"])
def test_a_kill_with_saves_pending_leaves_the_newest_state(tmp_path: Path, mode: str) -> None:
    folder = _image_folder(tmp_path, (120, 160))
    if mode == "undo":  # a mask file there first: the undo goes back to it
        with Project.open(folder) as project:
            base = np.zeros((120, 160), np.uint8)
            base[50:70, 10:150] = 1
            project.save_mask("frame", base, "edited")
    out = tmp_path / "mask.npy"
    proc = _run(mode, str(folder), str(out))
    assert proc.returncode == -signal.SIGKILL, (proc.stdout, proc.stderr[-2000:])
    lines = proc.stdout.split()
    assert lines and lines[-1] in ("edited", "reviewed") and "E" not in lines, proc.stdout
    want = np.load(out)
    if mode == "undo":
        assert mask_hash(want) == mask_hash(base)
    else:  # the last log began after the 36th commit's save was written, over that mask file
        assert 0 < int(lines[lines.index("records") + 1]) < 40
    _check_reopened(folder, want, lines[-1])
