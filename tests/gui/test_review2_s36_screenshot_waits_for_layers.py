"""``--screenshot --run-model --layers "prediction mask,focus map"`` of a large photo (session 36's review: the
demo frame enlarged to 8000×6000) grabbed the window while the Focus Map was still being made off the GUI thread:
the picture had no Focus Map over the image and its Layers row read "focus map (drawing…)". A map held at the
network's grid (any image not at the network's size) is drawn by the upsampler's worker once the layer is turned
on, and the grab came before its answer (and before a foreground energy's legend had its maximum, made on the same
worker). The screenshot now waits for the layers asked for to be drawn and the selected one's legend."""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

import numpy as np
import pytest

from app.main_window import MainWindow
from tests.gui.tiny_model import save_tiny_checkpoint


@pytest.mark.parametrize("layers", ["prediction mask,focus map", "foreground energy /8,focus map"])
def test_the_screenshot_waits_for_the_layers_being_drawn(qapp, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                         tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         layers: str) -> None:
    """The first layer named is the selected one: a foreground energy's legend waits for its maximum too."""
    import cv2

    import app.analysis.upsampler as upsampler
    from app.analysis.overlays import OVERLAY_PREFIX
    from app.main import take_screenshot

    image = tmp_path / "wide.png"  # not the network's size: its maps are held at its grid, drawn on demand
    rng = np.random.default_rng(0)
    cv2.imwrite(str(image), rng.integers(0, 255, (600, 900, 3), dtype=np.uint8))
    made = upsampler.upsample

    def slow_upsample(source):  # noqa: ANN001, ANN202 - as a 48 MP photo's map under load (0.5-2.6 s)
        time.sleep(0.4)
        return made(source)

    monkeypatch.setattr(upsampler, "upsample", slow_upsample)
    seen: list[tuple[set[str], list[str], bool, bool]] = []
    grab = MainWindow.grab

    def recording_grab(window: MainWindow, *args: object):  # noqa: ANN202 - QWidget.grab's QPixmap
        ctl = window.analysis
        item = window.canvas.overlay(OVERLAY_PREFIX + "focus map")
        rows = [ctl.layer_list.list.item(i).text() for i in range(ctl.layer_list.list.count())]
        seen.append((set(ctl.overlays.pending), [row for row in rows if "drawing" in row],
                     item is not None and item.image is not None, ctl.layer_list.measuring))
        return grab(window, *args)

    monkeypatch.setattr(MainWindow, "grab", recording_grab)
    analysis = argparse.Namespace(run_model=True, checkpoint=save_tiny_checkpoint(tmp_path / "tiny.safetensors"),
                                  layers=layers, regions="plain", compare=None)
    gc.disable()  # collected below, where no Qt lock is held (as test_screenshot_model_settled)
    try:
        code = take_screenshot(qapp, tmp_path / "shot.png", [image], (1366, 768), timeout_s=60, analysis=analysis)
    finally:
        gc.collect()
        gc.enable()
    assert code == 0, capsys.readouterr().err
    assert len(seen) == 1
    pending, drawing_rows, focus_drawn, measuring = seen[0]
    assert pending == set(), pending  # was {'focus map'}: grabbed before the worker answered
    assert drawing_rows == [], drawing_rows  # was ['focus map (drawing…)']
    assert focus_drawn  # the Focus Map is in the picture
    assert not measuring  # the selected layer's legend has its range (a foreground energy's said "max")
