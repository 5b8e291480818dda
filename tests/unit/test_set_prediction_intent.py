"""`Project.set_prediction` (scripts: an unlabeled image gets the thresholded prediction as its mask,
PREDICTED) is a mask save that changes the status, as Pre-label's: a kill between its PNG and its
journal line left the mask beside "unlabeled", which Pre-label then skipped forever (it writes only
images with no mask file). It journals its intent first now (`fosp_core.annotation.mask_intents`).
The kill is made in process: the line's write raises, then the project is left as a killed process
leaves it (its lock released, nothing folded)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.document import Status
from fosp_core.annotation.prelabel import prelabel_todo
from fosp_core.annotation.project import Project


class Killed(BaseException):
    """The process stops here."""


def test_set_prediction_killed_after_its_png_opens_predicted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    images.mkdir()
    for i in range(2):
        Image.fromarray(np.full((16, 20, 3), 60 * i, np.uint8)).save(images / f"img{i}.png")
    project = Project.open(images, location)
    image_id = project.entries[0].id
    probability = np.zeros((16, 20), np.float32)
    probability[4:10, 5:15] = 0.9

    def killed(*args: object, **kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(Project, "record_state", killed)  # the kill comes after the PNG, before its line
    with pytest.raises(Killed):
        project.set_prediction(image_id, probability, 0.5, store_map=False)
    monkeypatch.undo()
    assert project.mask_path(image_id).exists()
    project.stop_saves()
    assert project.lock is not None
    project.lock.release()
    project.lock = None
    with Project.open(images, location) as reopened:
        entry = reopened.entry(image_id)
        assert entry.status == Status.PREDICTED  # was UNLABELED beside the mask
        assert entry.smoke_ratio == pytest.approx(60 / 320)
        assert [e.id for e in prelabel_todo(reopened)] == [reopened.entries[1].id]
