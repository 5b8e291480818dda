"""`fosp project import THEIR_COPY` of a copy whose Import Labels (or Pre-label All) was killed in the middle
of a save: the new mask PNG written, the image's new state (EDITED) only in the journal's intent
(`fosp_core.annotation.mask_intents`), which their app settles when it opens the copy next. The merge read the entries without settling the
intents: the image counted as UNLABELED there, and its work was neither taken nor named - the merge looked
whole. The other copy's intents are now settled in memory as an opening would (nothing written there)."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.killed_child import kill_when_said
from tests.unit.mask_save_kill import SEAM

CHILD = SEAM + """
import sys
from fosp_core.annotation.project import Project
project_module.atomic_write = write
point, at = "after_png", 1
project = Project.open(sys.argv[1])
project.import_labels(Path(sys.argv[2]), ids=["b"])
print("saved", flush=True)
"""


def test_their_save_killed_after_its_png_is_taken(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in "abc":
        cv2.imwrite(str(mine / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    Project.open(mine).close()
    theirs = Path(shutil.copytree(mine, tmp_path / "theirs"))
    labels = tmp_path / "labels"  # what their Import Labels brought: b's mask
    labels.mkdir()
    mask = np.zeros((40, 60), np.uint8)
    mask[:7, :7] = 255
    cv2.imwrite(str(labels / "b.png"), mask)
    kill_when_said(CHILD, [str(theirs), str(labels)], ["at", "after_png"])
    before = sorted(p.name for p in (theirs / ".fosp").rglob("*"))
    with Project.open(mine) as project:
        report = project.import_labels(theirs / ".fosp")
        assert project.entry("b").status == Status.EDITED, report
        assert int(project.load_mask("b").sum()) == 49
    assert sorted(p.name for p in (theirs / ".fosp").rglob("*")) == before  # their copy only read
