"""A process killed (SIGKILL) at each point of a mask save in Pre-label All and Import Labels: before the
k-th PNG is written, just after it is written (before its journal line), and after its line. On
reopening every image is either untouched (no mask file, "unlabeled") or has its mask with the status
the run gives it; a second Pre-label then finishes the others. Before `fosp_core.annotation.mask_intents`
a kill just after the PNG left the model's mask beside "unlabeled", which Pre-label then skipped forever.
Real subprocesses on real photos (the bundled demo's, linked: runs in a fresh clone); the kill comes
where the child says it is, no timing."""

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

CHILD = """
import sys
from pathlib import Path
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
images, location, masks, job, point, at = sys.argv[1:7]
at = int(at)
""" + SEAM + """
with Project.open(Path(images), Path(location)) as project:
    project_module.atomic_write = write  # the seam Project.save_mask writes the PNG through
    if job == "prelabel":
        prelabel(project, lambda rgb: rgb[..., 0] / 255.0, ModelStamp("0123456789abcdef", None, 0.5),
                 progress=progress)
    else:
        project.import_labels(Path(masks), progress=progress)
"""

STATUS = {"prelabel": Status.PREDICTED, "import": Status.EDITED}


def _state(images: Path, location: Path) -> dict[str, tuple[bool, Status]]:
    """image id -> (has a mask file, status), as a reopening finds them."""
    with Project.open(images, location) as project:
        return {e.id: (project.mask_path(e.id).exists(), e.status) for e in project.entries}


@pytest.mark.parametrize("job", ["prelabel", "import"])
@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_any_point_of_a_save_leaves_each_image_untouched_or_whole(tmp_path: Path, job: str,
                                                                          point: str) -> None:
    images, masks, location = tmp_path / "photos", tmp_path / "gt", tmp_path / "project"
    demo_photo_links(images, N_IMAGES, masks)
    Project.open(images, location).close()
    kill_when_said(CHILD, [str(images), str(location), str(masks), job, point, str(KILLED_AT)], ["at", point])
    state = _state(images, location)
    masked = sorted(i for i, (has_mask, _) in state.items() if has_mask)
    assert len(masked) == WRITTEN[point]
    assert {i: s for i, (has_mask, s) in state.items() if has_mask} == dict.fromkeys(masked, STATUS[job])
    assert [s for has_mask, s in state.values() if not has_mask] == [Status.UNLABELED] * (N_IMAGES - len(masked))


def test_prelabel_after_a_kill_just_after_a_png_finishes_every_image(tmp_path: Path) -> None:
    """The image whose PNG was written as the run was killed is not skipped without a word: it holds
    the model's mask, PREDICTED, and the next run writes the others."""
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, N_IMAGES)
    Project.open(images, location).close()
    kill_when_said(CHILD, [str(images), str(location), "-", "prelabel", "after_png", str(KILLED_AT)],
                   ["at", "after_png"])
    with Project.open(images, location) as project:
        report = prelabel(project, lambda rgb: rgb[..., 0] / 255.0, ModelStamp("0123456789abcdef", None, 0.5))
        assert len(report.imported) == N_IMAGES - KILLED_AT
        assert [e.status for e in project.entries] == [Status.PREDICTED] * N_IMAGES
        second = project.entries[KILLED_AT - 1]
        mask = project.load_mask(second.id)
        assert mask is not None and second.smoke_ratio == pytest.approx(float(np.mean(mask == 1)), abs=1e-3)
