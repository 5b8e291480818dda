"""The kill points of a mask save that `test_mask_intent_kills` and `test_prelabel_replace_kills` stop a
child at: before the `at`-th mask PNG is written, just after it (before its journal line), after its
line. `SEAM` is the child's code that says where it is and sleeps there to be killed
(`tests.killed_child.kill_when_said`)."""

from __future__ import annotations

__all__ = ["KILLED_AT", "N_IMAGES", "POINTS", "SEAM", "WRITTEN"]

N_IMAGES, KILLED_AT = 4, 2  # the kill comes at the 2nd mask: one whole save before it
POINTS = ["before_png", "after_png", "after_line"]
WRITTEN = {"before_png": KILLED_AT - 1, "after_png": KILLED_AT, "after_line": KILLED_AT}  # mask PNGs on disk

# Child code, after `point` (one of POINTS) and `at` (int) are set: `write` stands for
# project_module.atomic_write (the seam Project.save_mask writes the PNG through), `progress` is the
# job's progress callback; each prints "at <point>" and sleeps there.
SEAM = """
import time
from pathlib import Path
from fosp_core.annotation import project as project_module
real, pngs = project_module.atomic_write, []

def stop(words):
    print(words, flush=True)
    time.sleep(600)  # killed here

def write(path, data, *args, **kwargs):
    is_mask = Path(path).parent.name == "masks" and Path(path).suffix == ".png"
    if is_mask:
        pngs.append(path)
        if len(pngs) == at and point == "before_png":
            stop("at before_png")
    real(path, data, *args, **kwargs)
    if is_mask and len(pngs) == at and point == "after_png":
        stop("at after_png")

def progress(done, total):
    if done == at and point == "after_line":
        stop("at after_line")
"""
