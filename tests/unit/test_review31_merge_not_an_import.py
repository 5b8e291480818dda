"""A teammate's EDITED mask taken from their copy (e76528f: `fosp project import THEIR_COPY`) went through
the import's writing loop, which stamps every EDITED mask it writes as an import (``imported_at``): the
merged work counted as "an import not touched since", which the next import replaces without
`overwrite`. Alice took Bob's work on image a, then Carol's copy (another mask of a, her own work too):
Carol's replaced Bob's silently, where two people's differing masks are to be a named conflict kept
unless overwrite. People's work taken from a copy is now written without the import's stamp."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.import_loop import IMPORTED_KEY
from fosp_core.annotation.project import Project


def _mask(side: int) -> np.ndarray:
    mask = np.zeros((40, 60), np.uint8)
    mask[:side, :side] = 1
    return mask


def test_a_teammates_work_taken_from_a_copy_is_not_replaced_by_the_next_copy(tmp_path: Path) -> None:
    alice = tmp_path / "alice"
    alice.mkdir()
    for name in "ab":
        cv2.imwrite(str(alice / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    Project.open(alice).close()
    bob = Path(shutil.copytree(alice, tmp_path / "bob"))
    carol = Path(shutil.copytree(alice, tmp_path / "carol"))
    for folder, side in ((bob, 6), (carol, 9)):
        with Project.open(folder) as project:
            project.save_mask("a", _mask(side), Status.EDITED)
    with Project.open(alice) as project:
        assert project.import_labels(bob).imported == ["a"]
        assert IMPORTED_KEY not in project.entry("a").extra  # Bob's work, not an import
        report = project.import_labels(carol)
        assert report.imported == [] and [i for i, _ in report.kept] == ["a"], report
        assert int(project.load_mask("a").sum()) == 36  # Bob's kept, the conflict named
