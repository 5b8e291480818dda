"""`Project.save_mask` (a script's save, the library's; no recovery log) killed (SIGKILL) after its new mask
file is in place and before the image's state line: a save that changes the status.

Before: the reopened project showed the new mask beside the old status - a reviewed image's mask replaced by
one nobody reviewed, still 'reviewed'; the committed state (the old mask, reviewed) gone and the new one
(edited) not there either. Imports and Pre-label journal an intent first for this
(`fosp_core.annotation.mask_intents`); a plain save that changes the status now does too, so a kill leaves
the old state or the new one. A real child process, killed where it says it is; no timing."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.killed_child import kill_when_said

CHILD = """
import os, sys, time
import numpy as np
from pathlib import Path
from fosp_core.annotation.project import Project
from fosp_core.annotation.document import Status
folder, point, status = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
real = os.replace

def replace(src, dst, *args, **kwargs):
    mask = Path(dst).name == "a.png"
    if mask and point == "before_rename":
        print("at", point, flush=True)
        time.sleep(600)
    real(src, dst, *args, **kwargs)
    if mask and point == "after_rename":
        print("at", point, flush=True)
        time.sleep(600)  # killed here: the new mask in place, its state line not written

with Project.open(folder) as project:
    os.replace = replace
    mask = np.zeros((30, 40), np.uint8)
    mask[:6, :6] = 1
    project.save_mask("a", mask, Status(status))
"""


@pytest.mark.parametrize("point", ["before_rename", "after_rename"])
@pytest.mark.parametrize("status", [Status.EDITED, Status.PREDICTED, Status.REVIEWED])
def test_a_save_killed_at_its_mask_rename_leaves_one_state(tmp_path: Path, point: str, status: Status) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in "ab":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((30, 40, 3), 90, np.uint8))
    before = Status.EDITED if status == Status.REVIEWED else Status.REVIEWED
    with Project.open(folder) as project:
        mask = np.zeros((30, 40), np.uint8)
        mask[:3, :3] = 1
        project.save_mask("a", mask, before)
    kill_when_said(CHILD, [str(folder), point, status.value], ["at", point])
    with Project.open(folder) as project:
        state = (int(project.load_mask("a").sum()), project.entry("a").status)
        assert project.entry("b").status == Status.UNLABELED
    assert state in ((9, before), (36, status)), state
    if point == "after_rename":
        assert state == (36, status)
