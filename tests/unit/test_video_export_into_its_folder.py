"""A video export whose destination is inside the video's own annotation folder - its ``masks`` folder,
``rescued/``, or a symbolic link to one of them - is refused (`fosp_core.video.export.destination_problem`),
as an image export inside its project's folder is. Before, only a destination holding the annotation folder
was: an export to the masks folder with Replace replaced it with the dataset, every saved mask deleted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.video.export import destination_problem
from fosp_core.video.timeline import VideoAnnotations

SHAPE = (48, 64)


@pytest.mark.parametrize("where", ["masks", "rescued", "link-to-masks", "new-folder-inside"])
def test_a_destination_inside_the_annotation_folder_is_refused(tmp_path: Path, where: str) -> None:
    notes = VideoAnnotations(tmp_path / "cam.mp4", 20, SHAPE, folder=tmp_path / "state")
    notes.save_mask(3, np.ones(SHAPE, np.uint8))
    (notes.folder / "rescued").mkdir()
    dst = {"masks": notes.mask_folder, "rescued": notes.folder / "rescued",
           "link-to-masks": tmp_path / "out", "new-folder-inside": notes.folder / "export"}[where]
    if where == "link-to-masks":
        dst.symlink_to(notes.mask_folder, target_is_directory=True)
    problem = destination_problem(notes, dst)
    assert problem is not None and "annotation folder" in problem  # before: None
    outside = tmp_path / "elsewhere"
    assert destination_problem(notes, outside) is None
    notes.release_lock()
