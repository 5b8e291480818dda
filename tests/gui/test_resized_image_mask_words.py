"""An image whose file was resized on disk after its mask was drawn opened with no mask and words that
read "mask is (512, 512), the image is (1024, 768)": (H, W) tuples, no path, nothing to do. The words are
plain now ("the image is now 768×1024; its mask was drawn on 512×512 ..."), name the mask file and what
to do, and the mask file is left as it was (no document opens, so nothing overwrites it)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation import document_reader
from app.services import CollectingErrorReporter
from fosp_core.annotation.mask_size import MaskSizeError
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import demo_project, drag, key


@pytest.mark.parametrize("on_worker", [False, True])  # the files read here, or on the worker (huge images)
def test_a_resized_image_says_both_sizes_and_keeps_its_mask_file(qtbot, make_window, demo_dir: Path,
                                                                  tmp_path: Path, monkeypatch, on_worker: bool) -> None:
    if on_worker:
        monkeypatch.setattr(document_reader, "READ_ON_WORKER_PIXELS", 1)
    reporter = CollectingErrorReporter()
    window = make_window(show=True, error_reporter=reporter)
    demo, location = demo_project(window, demo_dir, tmp_path)
    project = Project.open(demo, location)
    image_id = project.ids[0]
    mask_file = project.mask_path(image_id)
    image_file = project.image_path(image_id)
    mask = np.zeros((512, 512), np.uint8)
    mask[100:200, 50:300] = 1
    project.save_mask(image_id, mask, "edited")
    project.close()
    before = mask_file.read_bytes()  # drawn on 512×512
    image = cv2.imread(str(image_file))
    cv2.imwrite(str(image_file), cv2.resize(image, (768, 1024)))  # W 768, H 1024

    window.open_paths([demo], remember=False)
    qtbot.waitUntil(lambda: any(isinstance(e.reason, str) and "was drawn on" in e.reason for e in reporter.errors)
                    or window.annotation.controller.document is not None, timeout=10000)
    told = [e for e in reporter.errors if "was drawn on" in e.reason]
    assert len(told) == 1, [e.reason for e in reporter.errors]
    reason = told[0].reason
    assert "the image is now 768×1024; its mask was drawn on 512×512" in reason, reason
    assert str(mask_file) in reason and "(512" not in reason and "(1024" not in reason
    assert reason.count(str(mask_file)) == 1, reason  # named once
    assert window.annotation.controller.document is None  # no mask shown, nothing to edit
    key(window, "B")
    drag(window, [(100, 100), (200, 100)])  # a stroke on the image: no document takes it
    window.close()
    assert mask_file.read_bytes() == before, "the mask file drawn on 512×512 was overwritten"


def test_the_error_carries_both_sizes(tmp_path: Path) -> None:
    error = MaskSizeError(tmp_path / "m.png", (1500, 2000), (3000, 4000, 3))
    assert error.mask_shape == (1500, 2000) and error.image_shape == (3000, 4000)
    assert error.reason.startswith("the image is now 4000×3000; its mask was drawn on 2000×1500")
    assert str(tmp_path / "m.png") in error.reason
