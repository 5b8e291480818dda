"""Crash recovery for real: a process edits and commits in a loop, is killed with SIGKILL, and the
reopened project holds every edit whose commit returned, with no corrupt file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.io.masks import read_mask

ROOT = Path(__file__).resolve().parents[2]

# Edit k paints a 5x5 smoke dot at a position unique to k on image k % 4, then prints k once the
# commit (and so the autosave) has returned.
WORKER = textwrap.dedent("""
    import sys
    from fosp_core.annotation import tools
    from fosp_core.annotation.project import Project

    def spot(k):
        return 5 + (k * 9) % 500, 5 + 9 * ((k * 9) // 500)

    project = Project.open(sys.argv[1])
    assert not project.read_only, project.read_only_reason
    docs = {}
    k = int(sys.argv[2])
    while True:
        image_id = project.ids[k % len(project.ids)]
        doc = docs.get(image_id) or docs.setdefault(image_id, project.open_document(image_id))
        tools.brush(doc, [spot(k)], 2)
        if project.last_error is not None:
            raise SystemExit(f"save failed: {project.last_error}")
        print(k, flush=True)
        k += 1
""")


def _spot(k: int) -> tuple[int, int]:
    return 5 + (k * 9) % 500, 5 + 9 * ((k * 9) // 500)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_loses_no_committed_edit(demo_dir, tmp_path):
    dataset = tmp_path / "demo"
    shutil.copytree(demo_dir, dataset)
    Project.open(dataset).close()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    committed: list[int] = []
    rng = np.random.default_rng(0)
    for round_ in range(3):
        start = committed[-1] + 1 if committed else 0
        want = int(rng.integers(15, 40))
        proc = subprocess.Popen([sys.executable, "-c", WORKER, str(dataset), str(start)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        got: list[int] = []
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while len(got) < want and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            got.append(int(line))
        time.sleep(float(rng.uniform(0, 0.05)))  # land somewhere inside the next save
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert len(got) >= want, f"round {round_}: worker stopped early: {proc.stderr.read()}"
        # lines printed after our last read are commits too (their saves returned)
        got += [int(v) for v in proc.stdout.read().split()]
        committed += got

        with Project.open(dataset) as project:  # the dead worker's lock is taken over
            assert not project.read_only, project.read_only_reason
            assert project.lock.took_over is not None and project.lock.took_over.pid == proc.pid
            for image_id in project.ids:
                mask = read_mask(project.mask_path(image_id))  # decodes: not corrupt
                assert mask.shape == (512, 512)
                assert project.entry(image_id).status == Status.EDITED
            masks = {i: read_mask(project.mask_path(i)) for i in project.ids}
            for k in committed:
                x, y = _spot(k)
                image_id = project.ids[k % len(project.ids)]
                assert (masks[image_id][y - 1:y + 2, x - 1:x + 2] == 1).all(), f"edit {k} lost"
            assert not list(project.folder.rglob("*.tmp")), "temporary files left behind"
