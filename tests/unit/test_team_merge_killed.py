"""A process killed (SIGKILL) in the middle of ``fosp project import THEIR_COPY``: every image is as it
was or has the other copy's mask with the other copy's status (reviewed, edited, predicted), never a
mask beside a status that does not match. A real child process; the kill comes after the k-th mask is
said written (in the second status group too), no timing."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.killed_child import kill_when_said

CHILD = """
import sys, time
from pathlib import Path
from fosp_core.annotation.project import Project
mine, theirs, stop_at = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with Project.open(mine) as project:
    def progress(done, total):
        if done == stop_at:
            print("written", done, flush=True)
            time.sleep(600)  # killed here
    project.import_labels(theirs, progress=progress)
"""

THEIRS = {"a": Status.REVIEWED, "b": Status.EDITED, "c": Status.REVIEWED, "d": Status.PREDICTED, "e": Status.EDITED}


@pytest.mark.parametrize("killed_after", [1, 3, 4])
def test_a_killed_merge_leaves_each_image_whole(tmp_path: Path, killed_after: int) -> None:
    mine = tmp_path / "alice"
    mine.mkdir()
    for name in THEIRS:
        cv2.imwrite(str(mine / f"{name}.jpg"), np.full((30, 40, 3), 90, np.uint8))
    Project.open(mine).close()
    theirs = Path(shutil.copytree(mine, tmp_path / "bob"))
    with Project.open(theirs) as project:
        for side, (image_id, status) in enumerate(THEIRS.items(), start=2):
            mask = np.zeros((30, 40), np.uint8)
            mask[:side, :side] = 1
            project.save_mask(image_id, mask, status)
    kill_when_said(CHILD, [str(mine), str(theirs), str(killed_after)], ["written", str(killed_after)])
    with Project.open(mine) as project:
        state = {i: (project.entry(i).status, project.load_mask(i)) for i in project.ids}
    taken = [i for i, (_status, mask) in state.items() if mask is not None]
    assert len(taken) >= killed_after, state
    for image_id, (status, mask) in state.items():
        if mask is None:
            assert status == Status.UNLABELED, (image_id, status)
        else:
            side = list(THEIRS).index(image_id) + 2
            assert status == THEIRS[image_id] and int(mask.sum()) == side * side, (image_id, status)
