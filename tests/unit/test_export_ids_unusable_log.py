"""An image whose only "mask" is a recovery log with no usable record (garbage; read-only beside
the app, so no opening sets it aside) is always left out of an export: it takes no SmokeSeg id,
so another image's id is not pushed to ``_2`` by it (`has_saved_mask`)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.export import NO_MASK, export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path

SHAPE = (24, 32)


def test_an_image_with_an_unusable_log_takes_no_export_id(tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for name in ("a b", "a  b"):  # both become a_b in SmokeSeg
        cv2.imwrite(str(folder / f"{name}.png"), np.full((*SHAPE, 3), 80, np.uint8))
    with Project.open(folder) as project:
        assert project.ids == ["a  b", "a b"]  # the one without a mask first
        project.set_status("a  b", "reviewed")  # a status, no mask file
        project.save_mask("a b", np.ones(SHAPE, np.uint8), "edited")
        log = log_path(project.mask_path("a  b"))
    holder = Project.open(folder)  # the app, holding the project
    try:
        log.write_bytes(b"garbage\n")
        with Project.open(folder, create=False) as reader:
            assert reader.read_only
            report = export_smokeseg(reader, tmp_path / "dst", splits=None)
    finally:
        holder.close()
    assert report.skipped == [("a  b", NO_MASK)]
    assert report.splits == {"train": ["a_b"]}
