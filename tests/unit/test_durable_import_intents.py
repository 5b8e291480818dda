"""Import Labels killed (SIGKILL) at each point of a mask save, where the intent line
(`fosp_core.annotation.mask_intents`) is what a reopening settles the image by:

- over masks a person EDITED (``overwrite``): an import's save is EDITED over EDITED, and no intent was
  written for it (the status does not change), so a kill just after the PNG left the imported mask beside
  the person's smoke ratio and time;
- the image settled from an intent came back without ``imported_at`` (`IMPORTED_KEY`): a person's EDITED
  as far as the next import knows, which then kept it (not replaced as an untouched import is).

On reopening each image is either untouched (its old mask and state) or whole (the imported mask, its
smoke ratio, ``imported_at`` its time), as an import written to the end leaves it. Real subprocesses on
real photos (the bundled demo's, linked); the kill comes where the child says it is, no timing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.document import Status
from fosp_core.annotation.import_loop import IMPORTED_KEY, imported_untouched
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links
from tests.killed_child import kill_when_said
from tests.unit.mask_save_kill import KILLED_AT, N_IMAGES, POINTS, SEAM, WRITTEN

CHILD = """
import sys
from pathlib import Path
from fosp_core.annotation.project import Project
images, location, masks, point, at = sys.argv[1:6]
at = int(at)
""" + SEAM + """
with Project.open(Path(images), Path(location)) as project:
    project_module.atomic_write = write  # the seam Project.save_mask writes the PNG through
    project.import_labels(Path(masks), progress=progress, overwrite=True)
"""


def _killed_import(tmp_path: Path, point: str, edited_first: bool) -> tuple[Path, Path, Path, dict]:
    """A project of the demo's photos (each EDITED by a person first when `edited_first`: an empty
    mask), an import with ``overwrite`` killed at `point` of its `KILLED_AT`-th save; returns the folders
    and each image's (mask bytes or None, smoke ratio, updated) before the import."""
    images, masks, location = tmp_path / "photos", tmp_path / "gt", tmp_path / "project"
    demo_photo_links(images, N_IMAGES, masks)
    with Project.open(images, location) as project:
        old = {}
        for entry in project.entries:
            if edited_first:
                width, height = Image.open(masks / f"{entry.id}.png").size  # the image's size
                project.save_mask(entry.id, np.zeros((height, width), np.uint8), Status.EDITED)
            path = project.mask_path(entry.id)
            old[entry.id] = (path.read_bytes() if path.exists() else None, entry.smoke_ratio, entry.updated)
    kill_when_said(CHILD, [str(images), str(location), str(masks), point, str(KILLED_AT)], ["at", point])
    return images, masks, location, old


def _check_whole_or_untouched(project: Project, old: dict, written: int) -> list[str]:
    """Each image untouched or whole (see module doc); the ids of the whole ones (`written` of them)."""
    whole = []
    for entry in project.entries:
        path = project.mask_path(entry.id)
        data = path.read_bytes() if path.exists() else None
        if data == old[entry.id][0]:
            assert (entry.smoke_ratio, entry.updated) == old[entry.id][1:], entry.id
            continue
        whole.append(entry.id)
        mask = project.load_mask(entry.id)
        assert mask is not None and entry.status == Status.EDITED, entry.id
        assert entry.smoke_ratio == pytest.approx(float(np.mean(mask == 1)), abs=1e-3), entry.id
        assert entry.updated != old[entry.id][2], entry.id
        assert entry.extra.get(IMPORTED_KEY) == entry.updated, entry.id  # an import's, untouched since
        assert imported_untouched(entry)
    assert len(whole) == written
    return whole


@pytest.mark.parametrize("point", POINTS)
def test_an_import_over_edited_masks_killed_leaves_each_untouched_or_whole(tmp_path: Path, point: str) -> None:
    images, _masks, location, old = _killed_import(tmp_path, point, edited_first=True)
    with Project.open(images, location) as project:
        assert [e.status for e in project.entries] == [Status.EDITED] * N_IMAGES
        _check_whole_or_untouched(project, old, WRITTEN[point])


def test_an_import_settled_from_its_intent_keeps_its_import_time(tmp_path: Path) -> None:
    """Over unlabeled images: the image whose PNG was written as the run was killed comes back as an
    untouched import, and a second import (no ``overwrite``) replaces it as it does the others."""
    images, masks, location, old = _killed_import(tmp_path, "after_png", edited_first=False)
    with Project.open(images, location) as project:
        assert project.intents_taken == [project.entries[KILLED_AT - 1].id]
        _check_whole_or_untouched(project, old, KILLED_AT)
        report = project.import_labels(masks)
        assert sorted(report.imported) == sorted(e.id for e in project.entries) and not report.kept
