"""The Model dock on a 1366 x 768 laptop screen, in the default dock layout: the metrics table (F_β,
IoU, P, R, 𝓜 of the image shown) was below the dock's edge, the analyst had to scroll the dock to
read the scores of the image. The model's details (what it was trained on, device, precision,
input) fold away where the dock is too short for them, so the metrics, the thresholds and the run
buttons are all in view; where the dock is tall enough (1920 x 1080) the details stay open, and the
analyst's own choice (the ▸ button) wins over the fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QScrollArea

from tests.gui.model_dock_helpers import in_view, settle_at
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

#: What the bundled default model says it was trained on: the details' longest line (it wraps).
TRAINED_ON = "smoke5k-train[scene-train], smoke5k-train<synthetic>, synthetic(smoke5k-train[scene-train])"


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "fosp-default.safetensors",
                                {"training_data": TRAINED_ON})


def test_the_metrics_are_in_view_on_a_1366x768_screen(qtbot, make_window, checkpoint, demo_dir, tmp_path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], projects_root=tmp_path)
    request = ctl.run_current()
    assert request is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    ctl.update_metrics()
    assert ctl.metrics.value("this image", "n") == "1"  # the scores of the image shown, with their note
    window.resize(1366, 768)  # the window opens at the screen's size (maximised), its docks laid out for it
    window.show()
    qtbot.waitExposed(window)
    area = ctl.model_dock.widget()
    assert isinstance(area, QScrollArea)

    settle_at(window, 1366, 768)
    assert area.verticalScrollBar().value() == 0  # as the dock opens, unscrolled
    assert in_view(ctl.metrics, area), (ctl.metrics.mapTo(area.viewport(), QPoint(0, 0)), ctl.metrics.size(),
                                         area.viewport().size())
    panel = ctl.panel
    for needed in (panel.checkpoint_label, panel.threshold, panel.keep_combo, panel.tau, panel.run_button,
                   panel.run_all_button, panel.status_label):
        assert in_view(needed, area), needed
    assert not panel.details_shown()  # what folded away to make room, one click away
    assert "trained on" in panel.details_button.toolTip() and "fp32" in panel.details_button.toolTip()

    settle_at(window, 1920, 1080)  # room for everything: nothing folded away
    assert panel.details_shown() and in_view(panel.info_label, area) and in_view(panel.device_combo, area)
    assert in_view(ctl.metrics, area)

    settle_at(window, 1366, 768)
    qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)  # the analyst opens them...
    assert panel.details_shown() and panel.device_combo.isVisible()
    settle_at(window, 1400, 760)
    assert panel.details_shown()  # ...and they stay open (the dock scrolls) until closed again
    qtbot.mouseClick(panel.details_button, Qt.MouseButton.LeftButton)
    settle_at(window, 1366, 768)
    assert not panel.details_shown() and in_view(ctl.metrics, area)
