"""Run with PYTHONPATH=<a tree of an older version> (tests/unit/test_project_upgrade_old_code.py):
make a project of 4 images in DEST with that tree's code. mode: closed (close() at the end) | killed
(os._exit without close) | pending (save_in_background, the PNG writes blocked, os._exit after the
commits: every image's edits left in its recovery log)."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import numpy as np
from PIL import Image

import fosp_core.io.masks as masks
from fosp_core.annotation import tools
from fosp_core.annotation.project import Project


def main(dest: Path, mode: str) -> None:
    """Make the project (see module doc); statuses reviewed, edited, reviewed, edited."""
    src = dest / "images"
    src.mkdir(parents=True)
    for i in range(4):
        Image.fromarray(np.full((32, 48, 3), 30 * i, np.uint8)).save(src / f"img{i}.png")
    project = Project.open(src, dest / "project")
    if mode == "pending":
        project.save_in_background = True
        never = threading.Event()
        from fosp_core.annotation import mask_saves  # the versions with recovery logs only

        for module in (mask_saves, masks):
            for name in ("write_mask_png", "atomic_write_bytes", "write_atomic"):
                if hasattr(module, name):
                    setattr(module, name, lambda *args, **kwargs: never.wait())
    for image_id, status in zip(project.ids, ["reviewed", "edited", "reviewed", None], strict=True):
        doc = project.open_document(image_id)
        tools.brush(doc, [(5, 5), (20, 10)], 4)
        if status == "reviewed":
            doc.set_status("reviewed")
    if mode == "closed":
        project.close()
    else:
        os._exit(0)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
