"""Odd sizes and sample formats give the same mask in the app, `fosp predict` and the core API.

A real SmokeSeg photo (default model, the app's default input) made portrait (301 x 733), very wide
(1517 x 211), 16-bit grayscale (500 x 375) and 16-bit RGB (640 x 480): the mask the app shows, the
mask `fosp predict` writes and `Predictor.predict(...).mask()` are the same pixels (checked in the
numbers sweep of session 25, kept here so a change to the letterbox or the readers cannot split them).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main
from fosp_core.infer import Predictor
from fosp_core.io.images import read_image
from fosp_core.io.masks import read_mask
from tests.gui.run_all_wait import run_all
from tests.gui.test_numbers_agree import CHECKPOINT
from tests.gui.tiny_model import WAIT_MS

pytestmark = pytest.mark.shared
PHOTO = "20180806_FIRE_mg-s-mobo-c__1533577118_+00660"


def _odd_images(photo: Path, folder: Path) -> list[Path]:
    rgb = read_image(photo).rgb
    folder.mkdir()

    def resized(w: int, h: int) -> np.ndarray:
        return cv2.cvtColor(cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2BGR)

    made = {"portrait.png": resized(301, 733), "wide.png": resized(1517, 211),
            "gray16.png": cv2.cvtColor(resized(500, 375), cv2.COLOR_BGR2GRAY).astype(np.uint16) * 257,
            "rgb16.png": resized(640, 480).astype(np.uint16) * 257}
    for name, pixels in made.items():
        assert cv2.imwrite(str(folder / name), pixels)
    return sorted(folder / name for name in made)


def test_odd_inputs_same_mask_in_app_cli_and_core(qtbot, make_window, shared_data, tmp_path) -> None:
    photo = shared_data / "smokeseg-samples" / "JPEGImages" / f"{PHOTO}.jpg"
    if not CHECKPOINT.is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT}")
    paths = _odd_images(photo, tmp_path / "odd")
    assert main(["predict", str(tmp_path / "odd"), "--out", str(tmp_path / "out"), "--checkpoint", str(CHECKPOINT),
                 "--device", "cpu", "--save", "mask", "--quiet"]) == 0
    predictor = Predictor(CHECKPOINT, device="cpu")

    window = make_window(default_model=CHECKPOINT)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    if ctl.model is None:
        with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS * 3):
            ctl.settings.set_checkpoint(CHECKPOINT)
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    request = run_all(qtbot, ctl)
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 6)
    threshold = ctl.settings.threshold
    flagged = 0
    for path in paths:
        app_mask = ctl.cache.get(ctl._key(path)).mask(threshold, ctl.settings.keep)
        cli_mask = read_mask(tmp_path / "out" / "masks" / f"{path.stem}.png")
        core_mask = predictor.predict(read_image(path).rgb, need=()).mask(threshold)
        assert app_mask.shape == cli_mask.shape == core_mask.shape == read_image(path).rgb.shape[:2], path.name
        assert np.array_equal(app_mask, core_mask), path.name
        assert np.array_equal(cli_mask, core_mask), path.name
        flagged += int(core_mask.sum())
    assert flagged > 0  # the photo's plume is found somewhere: the masks compared are not all empty
