"""What a replacing pre-label counts once this model replaced some masks already: `prelabel_counts` with
the model's stamp leaves out the model-only masks it wrote (they would not change: `prelabel_todo` leaves
them out too), and the report's `todo` is what the run set out to write, so an error's "N of M kept"
counts M of the masks it would really write. Real photos (the bundled demo's, linked)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.prelabel import ModelStamp, prelabel, prelabel_counts, prelabel_todo
from fosp_core.annotation.project import Project
from tests.demo_photos import demo_photo_links

OLD = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")
NEW = ModelStamp("fedcba9876543210", 0.15, 0.5, "plain")


def _half(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def test_masks_this_model_replaced_are_not_counted_again(tmp_path: Path) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 4)
    with Project.open(images, location) as project:
        prelabel(project, _half, OLD)  # every image: the older model's mask
        asked: list[int] = []
        first = prelabel(project, lambda rgb: _half(rgb)[:, ::-1].copy(), NEW, replace_predicted=True,
                         cancelled=lambda: len(asked.append(1) or asked) > 1)  # one replaced, then stopped
        assert len(first.replaced) == 1 and first.todo == 4
        assert prelabel_counts(project).predicted == 4  # every model-only mask, as before
        counts = prelabel_counts(project, NEW)
        assert (counts.new, counts.predicted) == (0, 3) == (0, len(prelabel_todo(project, replace_predicted=True,
                                                                                   stamp=NEW)))
        assert prelabel_counts(project, OLD).predicted == 1  # with the older model, only NEW's mask would change
        again = prelabel(project, lambda rgb: _half(rgb)[:, ::-1].copy(), NEW, replace_predicted=True)
        assert again.todo == 3 and len(again.replaced) == 3
