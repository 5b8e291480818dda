"""A child process that commits a stroke and a status, then is killed (SIGKILL) before its PNG is written:
`killed_commit` runs `script` (argv: the images folder, where to save the committed mask) on a one-image
folder and checks what it left on disk; the caller opens the project and checks what it recovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from tests.unit.crash_worker import disk_state, mask_hash

ROOT = Path(__file__).resolve().parents[2]


def killed_commit(tmp_path: Path, script: str, shape: tuple[int, int]) -> tuple[Path, np.ndarray]:
    """(images folder, the mask the child committed): the child was killed after printing "reviewed", no
    PNG was written, and the project's state on disk is the committed mask and status."""
    folder = tmp_path / "images"
    folder.mkdir()
    cv2.imwrite(str(folder / "frame.png"), np.full((*shape, 3), 90, np.uint8))
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", script, str(folder), str(tmp_path / "mask.npy")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert proc.stdout.strip() == "reviewed"
    want = np.load(tmp_path / "mask.npy")
    assert want.any()
    project_dir = folder / ".fosp"
    assert not (project_dir / "masks" / "frame.png").exists()  # the PNG was never written
    assert disk_state(project_dir)["frame"][:2] == (mask_hash(want), "reviewed")
    return folder, want
