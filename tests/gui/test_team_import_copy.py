"""Annotate ▸ Import Labels… with a teammate's copy of the project (their images folder, its .fosp
inside): their work comes in with its statuses, as ``fosp project import`` brings it
(`fosp_core.annotation.project_merge`). Before, the window imported nothing from such a folder (no
mask named after an image in it), or, given their masks/ folder, made every mask EDITED."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import open_and_wait


def test_import_labels_from_a_copy_keeps_their_statuses(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    alice = tmp_path / "alice"
    alice.mkdir()
    for name in "abc":
        cv2.imwrite(str(alice / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    bob = Path(shutil.copytree(alice, tmp_path / "bob"))
    with Project.open(bob) as project:
        smoke = np.zeros((40, 60), np.uint8)
        smoke[:7, :7] = 1
        project.save_mask("b", smoke, Status.REVIEWED)
        project.save_mask("c", smoke, Status.PREDICTED)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, alice)
    assert window.annotation.import_labels(bob) == 2
    project = window.annotation.controller.project
    assert project.entry("b").status == Status.REVIEWED and project.entry("c").status == Status.PREDICTED
    assert "Imported 2 masks" in window.statusBar().currentMessage()
    window.annotation.controller.close()
