"""Masks rescued after a take-over are a person's edits (a window's saves that could not go into the
project). bccbe42 brings them back through Import Labels of ``rescued/``, whose writing loop stamped them
as an import (``imported_at``): "an import not touched since", so the next Import Labels (a dataset's or
a model's labels) replaced the rescued work without `overwrite`, silently. They are now written as
people's work, kept unless overwrite as any person's edit."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.import_loop import IMPORTED_KEY
from fosp_core.annotation.project import Project
from fosp_core.annotation.taken_over import RESCUED_DIR
from fosp_core.io.masks import write_mask_png


def _mask(side: int) -> np.ndarray:
    mask = np.zeros((20, 30), np.uint8)
    mask[:side, :side] = 1
    return mask


def test_rescued_work_is_not_replaced_by_the_next_import(tmp_path: Path) -> None:
    folder = tmp_path / "imgs"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    Project.open(folder).close()
    rescued = folder / ".fosp" / RESCUED_DIR
    rescued.mkdir()
    write_mask_png(rescued / "a.20261207-101500.4242.png", _mask(5))
    labels = tmp_path / "labels"
    labels.mkdir()
    write_mask_png(labels / "a.png", _mask(8))
    with Project.open(folder) as project:
        assert project.import_labels(rescued).imported == ["a"]
        assert IMPORTED_KEY not in project.entry("a").extra  # a person's edit, not an import
        report = project.import_labels(labels)
        assert report.imported == [] and [i for i, _ in report.kept] == ["a"], report
        assert int(project.load_mask("a").sum()) == 25
