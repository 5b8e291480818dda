"""Export View asked while a huge image's layer arrays are being made on the worker
(:mod:`app.analysis.shown_work`, the ~0.2 s after a switch) waits for them: it read the shown arrays
at once and wrote the photo with no layer. The worker is held deterministically (the mask it makes
waits for an event that only the export's wait lets the GUI thread set)."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QTimer

from app.analysis import shown_work
from app.analysis.render import composite
from tests.gui.test_canvas_layers_off_gui_thread import _photo_window, _prediction, _settled
from tests.gui.test_threshold_off_gui_thread import _hold_masks


def test_export_view_waits_for_the_layers_being_made(qtbot, make_window, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shown_work, "WORKER_PIXELS", 1)  # every image's arrays made on the worker
    window, label = _photo_window(qtbot, make_window, tmp_path, (240, 320))
    started, release, _asked = _hold_masks(monkeypatch)
    ctl = window.analysis
    ctl.settings.set_threshold(0.5)
    prediction = _prediction(label, 1, True)
    try:
        ctl._show(prediction)
        assert ctl.shown.pending and started.wait(20)  # the worker is making the mask, held
        assert "prediction mask" not in ctl.shown.arrays
        QTimer.singleShot(0, release.set)  # runs only once the export lets the GUI thread's events run
        out = tmp_path / "view.png"
        assert ctl.view_export.write(out)
        assert release.is_set() and not ctl.shown.pending
    finally:
        release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
    written = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    rgb = window.session.current_image.rgb
    assert ctl.layers["prediction mask"].visible and "prediction mask" in ctl.shown.arrays
    np.testing.assert_array_equal(written, composite(rgb, ctl.layers, ctl.shown.arrays))
    assert (written != rgb).any(axis=2).sum() > 0.02 * rgb.shape[0] * rgb.shape[1]  # layers drawn over it


def test_a_shown_work_wait_returns_at_once_when_nothing_is_pending(qtbot) -> None:
    taken: list[object] = []
    work = shown_work.ShownWork(taken.append)
    try:
        work.wait()  # nothing asked: no event loop run
        gate = threading.Event()
        work.request(lambda: (gate.wait(20), "made")[1])
        QTimer.singleShot(0, gate.set)
        work.wait()
        assert taken == ["made"] and not work.pending
    finally:
        work.close()


def test_a_grid_export_asked_meanwhile_has_the_prediction_panel(qtbot, make_window, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The compare grid's export reads the prediction itself and waits for its own mask pictures
    (GridMasks.wait): asked while the shown layers are held on the worker, its prediction panel is drawn."""
    from app.analysis.compare_grid import COLUMNS

    monkeypatch.setattr(shown_work, "WORKER_PIXELS", 1)
    window, label = _photo_window(qtbot, make_window, tmp_path, (240, 320))
    started, release, _asked = _hold_masks(monkeypatch)
    ctl = window.analysis
    try:
        ctl._show(_prediction(label, 1, True))
        assert ctl.shown.pending and started.wait(20)
        QTimer.singleShot(0, release.set)
        assert ctl.export_grid(tmp_path / "grid.png")
        assert release.is_set() and ctl.grid.items[COLUMNS[4]].image is not None
    finally:
        release.set()
    qtbot.waitUntil(lambda: _settled(window), timeout=20000)
