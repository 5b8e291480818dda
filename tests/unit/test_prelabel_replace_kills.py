"""A replacing pre-label (``replace_predicted``: the masks only a model made replaced by a retrained
model's) killed (SIGKILL) at each point of a save: before the k-th PNG, just after it (before its
journal line), after its line. On reopening each image is either untouched (the older model's mask with
its state) or whole (the new mask with its state: its smoke ratio the mask's), never the new mask beside
the old state, and a second replacing run finishes the others (the masks replaced already left alone). Real subprocesses on real photos (the
bundled demo's, linked); the kill comes where the child says it is, no timing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links
from tests.killed_child import kill_when_said
from tests.unit.mask_save_kill import KILLED_AT, N_IMAGES, POINTS, SEAM, WRITTEN

OLD, NEW = ModelStamp("0123456789abcdef", None, 0.5), ModelStamp("fedcba9876543210", None, 0.5)

CHILD = """
import sys
from pathlib import Path
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
images, location, point, at = sys.argv[1:5]
at = int(at)
""" + SEAM + """
with Project.open(Path(images), Path(location)) as project:
    project_module.atomic_write = write  # the seam Project.save_mask writes the PNG through
    prelabel(project, lambda rgb: 1.0 - rgb[..., 0] / 255.0, ModelStamp("fedcba9876543210", None, 0.5),
             progress=progress, replace_predicted=True)
"""


def _old(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] / 255.0


def _new(rgb: np.ndarray) -> np.ndarray:
    return 1.0 - rgb[..., 0] / 255.0


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_in_a_replacing_prelabel_leaves_each_image_untouched_or_whole(tmp_path: Path, point: str) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, N_IMAGES)
    with Project.open(images, location) as project:
        assert len(prelabel(project, _old, OLD).imported) == N_IMAGES
        old = {e.id: (project.mask_path(e.id).read_bytes(), e.smoke_ratio, e.updated) for e in project.entries}
    kill_when_said(CHILD, [str(images), str(location), point, str(KILLED_AT)], ["at", point])
    with Project.open(images, location) as project:
        replaced = [e.id for e in project.entries if project.mask_path(e.id).read_bytes() != old[e.id][0]]
        assert len(replaced) == WRITTEN[point]
        for entry in project.entries:
            mask = project.load_mask(entry.id)
            assert entry.status == Status.PREDICTED and mask is not None
            if entry.id in replaced:  # whole: the state of the new mask
                assert entry.smoke_ratio == pytest.approx(float(np.mean(mask == 1)), abs=1e-3), entry.id
                assert entry.updated != old[entry.id][2]
            else:  # untouched
                assert (entry.smoke_ratio, entry.updated) == old[entry.id][1:]
        report = prelabel(project, _new, NEW, replace_predicted=True)  # the next run goes on with the others
        assert sorted(report.replaced) == sorted(e.id for e in project.entries if e.id not in replaced)
        assert report.skipped_masked == len(replaced)
