"""The journal line of a background save is written on the saving (GUI) thread without fsync; the save
thread's journal fsync, queued after it, makes it durable, and only once that fsync has been taken
does the image's recovery log go (`fosp_core.annotation.mask_saves`). A process killed (SIGKILL)
between those steps loses nothing, and neither does a power loss that takes the lines not yet
fsynced (simulated: the journal cut back to its length before them): the log, made durable before
the PNG, is still there and a re-opening applies it. Kill points: the journal fsync not run yet
(held), or run but its end not taken (the logs still there).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import JOURNAL_FILE, Project
from fosp_core.annotation.recovery import log_path
from fosp_core.io.masks import read_mask

ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import os, signal, sys, threading
from pathlib import Path
import numpy as np
from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation.project import JOURNAL_FILE, Project

folder, out, stage = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
real_sync, never = mask_saves._sync_journal, threading.Event()
synced = []

def sync(job):
    if stage == "before-fsync":
        never.wait()  # killed first
    real_sync(job)
    synced.append(job)

mask_saves._sync_journal = sync
project = Project.open(folder)
project.save_in_background = True
project.set_status(project.ids[1], "reviewed")  # the journal exists: later lines are not fsynced by their write
journal = project.folder / JOURNAL_FILE
before = journal.stat().st_size
doc = project.open_document(project.ids[0])
tools.brush(doc, [(10.0, 10.0), (60.0, 40.0)], 6)
doc.set_status("reviewed")
np.save(out, doc.mask)
project._saver.wait(doc.image_id)  # its PNG written
assert project.finish_saves() and project.is_saved(doc)  # the journal line written, its fsync queued
if stage == "after-fsync":
    project._saver.wait()  # the fsync ran; its end not taken
    assert synced and synced[0].error is None
print(before, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(2):
        cv2.imwrite(str(folder / f"img{i}.png"), np.full((90, 120, 3), 80 + i, np.uint8))
    return folder


@pytest.mark.parametrize("stage", ["before-fsync", "after-fsync"])
@pytest.mark.parametrize("power_loss", [False, True])
def test_a_kill_between_the_journal_line_and_its_fsync_loses_no_commit(tmp_path: Path, stage: str,
                                                                       power_loss: bool) -> None:
    folder = _folder(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(folder), str(tmp_path / "mask.npy"), stage],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    before = int(proc.stdout.strip())
    want = np.load(tmp_path / "mask.npy")
    project_dir = folder / ".fosp"
    image_id = "img0"
    mask_file, journal = project_dir / "masks" / f"{image_id}.png", project_dir / JOURNAL_FILE
    assert np.array_equal(read_mask(mask_file), want)  # the PNG was written
    assert log_path(mask_file).exists()  # the log stays until the journal's fsync was taken
    assert journal.stat().st_size > before and b'"reviewed"' in journal.read_bytes()[before:]
    if power_loss:  # the lines written since the last fsync lost (before-fsync: nothing made them durable)
        with open(journal, "r+b") as fh:
            fh.truncate(before)
    with Project.open(folder) as project:
        assert project.recovered == [image_id]  # rebuilt from the log
        assert np.array_equal(project.load_mask(image_id), want)
        assert project.entry(image_id).status == Status.REVIEWED
        assert project.entry("img1").status == Status.REVIEWED
    assert not log_path(mask_file).exists()


def test_the_log_goes_once_the_journal_fsync_is_taken_and_stays_for_a_later_record(tmp_path: Path) -> None:
    from fosp_core.annotation import tools

    with Project.open(_folder(tmp_path)) as project:
        project.save_in_background = True
        doc = project.open_document(project.ids[0])
        log = log_path(project.mask_path(doc.image_id))
        tools.brush(doc, [(10.0, 10.0), (30.0, 20.0)], 4)
        assert project._saver is not None
        project._saver.wait(doc.image_id)
        assert project.finish_saves() == 1 and log.exists()  # the line written, its fsync queued
        tools.brush(doc, [(50.0, 50.0), (70.0, 60.0)], 4)  # a record appended before the fsync is taken
        project._saver.wait()
        project.finish_saves()
        assert log.exists()  # the fsync of the first line does not let the second commit's log go
        project.finish_saves(wait=True)
        assert not log.exists() and project.is_saved(doc)
        assert np.array_equal(project.load_mask(doc.image_id), doc.mask)
