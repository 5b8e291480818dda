"""Project-side checks for defects found while annotating in the app (see tests/gui/test_annotation_qa.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project


def test_prediction_summary_on_a_sampled_grid_matches_the_full_one(demo_dir: Path, tmp_path: Path) -> None:
    """The app summarises big maps on every n-th row and column (GUI thread): the numbers stay close,
    the error against the label is kept, and neither the mask nor the status change."""
    shutil.copytree(demo_dir, tmp_path / "demo", ignore=shutil.ignore_patterns(".fosp"))
    with Project.open(tmp_path / "demo", tmp_path / "project") as project:
        image_id = project.ids[0]
        label = project.load_label(image_id)
        rng = np.random.default_rng(0)
        prob = np.clip((label == 1) * 0.8 + rng.random(label.shape) * 0.3, 0, 1).astype(np.float32)
        full = project.set_prediction(image_id, prob, 0.5, store_map=False, as_mask_if_unlabeled=False)
        sampled = project.set_prediction(image_id, prob, 0.5, store_map=False, as_mask_if_unlabeled=False,
                                         sample_step=3)
        for name in ("uncertainty", "uncertain_share", "smoke_ratio", "error_vs_label"):
            assert sampled[name] == pytest.approx(full[name], abs=0.01), name
        assert project.entry(image_id).prediction == sampled
        assert project.entry(image_id).status == Status.UNLABELED and project.load_mask(image_id) is None
