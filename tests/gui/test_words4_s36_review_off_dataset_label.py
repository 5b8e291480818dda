"""The status bar tells a dataset-labelled image's status as the Annotate dock and the worklist do.

Session 36 made the dock and the worklist say "dataset label only" of an unlabelled image with a label of its
dataset (`app.annotation.status_words.dataset_label_only`), but R, pressed twice on such an image (a review given,
then taken back), still said "a: unlabelled, no longer reviewed …" in the status bar, beside a dock that said
"dataset label only"; and R's first press said "a: reviewed" as before (unchanged). The dataset is made by the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from .annotation_helpers import key, open_and_wait
from .conftest import WindowFactory


def _made_dataset(root: Path) -> Path:
    """A SmokeSeg-layout folder: a and b in JPEGImages/, a's label in SegmentationClass/ (b has none)."""
    rng = np.random.default_rng(364)
    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    for name in "ab":
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), np.uint8)).save(root / "JPEGImages" / f"{name}.jpg")
    label = np.zeros((48, 64), np.uint8)
    label[10:30, 20:40] = 1
    Image.fromarray(label).save(root / "SegmentationClass" / "a.png")
    return root


def test_words4_s36_review_taken_back_says_dataset_label_only(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                               tmp_path: Path) -> None:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, _made_dataset(tmp_path / "made"))
    assert window.opener.wait(30)
    controller = window.annotation.controller
    assert controller.document.image_id == "a"
    key(window, "R")
    assert window.statusBar().currentMessage().startswith("a: reviewed")
    key(window, "R")
    said = window.statusBar().currentMessage()
    assert said.startswith("a: dataset label only, no longer reviewed"), said
    key(window, "PgDown")
    qtbot.waitUntil(lambda: controller.document is not None and controller.document.image_id == "b", timeout=10_000)
    key(window, "R")
    key(window, "R")
    said = window.statusBar().currentMessage()
    assert said.startswith("b: unlabelled, no longer reviewed"), said  # no label of its dataset: unlabelled
