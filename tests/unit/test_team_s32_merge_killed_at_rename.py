"""``fosp project import MINE THEIR_COPY --overwrite`` killed (SIGKILL) between a mask's journal line (its
intent) and the rename that puts its mask file in place, or just after that rename (before its state line).

The earlier kill tests stop the merge between masks (after one is said written); here the kill comes inside
one mask's save, in the window the intent exists for. On reopening no committed work is lost: each image
holds either this copy's own mask and status from before the merge or the other copy's, never one beside
the other's status; an image the other copy has nothing for is untouched; no temporary file stays in
``masks/``; the merge run again ends where an unkilled one does. A real child process; the kill comes where
the child says it is, no timing."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.killed_child import kill_when_said

E, R, P, U = Status.EDITED, Status.REVIEWED, Status.PREDICTED, Status.UNLABELED
MINE = {"a": (3, E), "b": (9, P), "c": (4, R), "d": (5, R)}  # {id: (side, status)}: committed before the merge
THEIRS = {"a": (2, R), "b": (6, E), "d": (7, E), "e": (8, R)}  # a, d: conflicts taken by --overwrite

CHILD = """
import os, sys, time
from pathlib import Path
from fosp_core.annotation.project import Project
mine, theirs, point, at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
real, seen = os.replace, []

def replace(src, dst, *args, **kwargs):
    path = Path(dst)
    mask = path.parent.name == "masks" and path.suffix == ".png" and path.parent.parent.parent == mine
    if mask:
        seen.append(path)
        if len(seen) == at and point == "before_rename":
            print("at", point, flush=True)
            time.sleep(600)  # killed here: the intent line written, the new mask a temporary file
    real(src, dst, *args, **kwargs)
    if mask and len(seen) == at and point == "after_rename":
        print("at", point, flush=True)
        time.sleep(600)  # killed here: the mask in place, its state line not written

os.replace = replace
with Project.open(mine) as project:
    project.import_labels(theirs, overwrite=True)
print("at end", flush=True)
"""


def _mask(side: int) -> np.ndarray:
    mask = np.zeros((30, 40), np.uint8)
    mask[:side, :side] = 1
    return mask


def _copies(tmp_path: Path) -> tuple[Path, Path]:
    mine = tmp_path / "alice"
    mine.mkdir()
    for name in "abcde":
        cv2.imwrite(str(mine / f"{name}.jpg"), np.full((30, 40, 3), 90, np.uint8))
    Project.open(mine).close()
    theirs = Path(shutil.copytree(mine, tmp_path / "bob"))
    for folder, saves in ((mine, MINE), (theirs, THEIRS)):
        with Project.open(folder) as project:
            for image_id, (side, status) in saves.items():
                project.save_mask(image_id, _mask(side), status)
    return mine, theirs


def _state(folder: Path) -> dict[str, tuple[int | None, Status]]:
    with Project.open(folder) as project:
        return {i: (None if (m := project.load_mask(i)) is None else int(m.sum()), project.entry(i).status)
                for i in project.ids}


@pytest.mark.parametrize("point", ["before_rename", "after_rename"])
@pytest.mark.parametrize("at", [1, 2, 4])
def test_a_merge_killed_at_a_mask_rename_loses_no_committed_work(tmp_path: Path, point: str, at: int) -> None:
    mine, theirs = _copies(tmp_path)
    kill_when_said(CHILD, [str(mine), str(theirs), point, str(at)], ["at", point])
    state = _state(mine)
    assert not [n for n in (mine / ".fosp" / "masks").iterdir() if n.name.endswith(".tmp")]
    for image_id, (pixels, status) in state.items():
        before = MINE.get(image_id, (None, U))
        before = (None if before[0] is None else before[0] ** 2, before[1])
        other = THEIRS.get(image_id)
        after = before if other is None else (other[0] ** 2, other[1])
        assert (pixels, status) in (before, after), (image_id, pixels, status, state)
    assert state["c"] == (16, R)  # nothing of theirs: untouched
    with Project.open(mine) as project:
        project.import_labels(theirs, overwrite=True)
    assert _state(mine) == {"a": (4, R), "b": (36, E), "c": (16, R), "d": (49, E), "e": (64, R)}
