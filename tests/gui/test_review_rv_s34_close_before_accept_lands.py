"""Closing the window right after Accept Prediction on a huge photo (its step prepared on the worker,
landed later from the event loop since d0677705) must treat the accept as an edit like any other: when its
save fails (disk full), the close asks Retry / Discard / Cancel before the window goes (docs/saving.md).

Before, `AnnotationController.confirm_close` did not land the pending step: it found nothing unsaved and let
the window close; the step landed in `close` afterwards, its save failed, and the accepted mask was only
told lost after the window had gone, never asked about."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from app.annotation import accept_worker
from app.annotation.close_question import CloseChoice
from tests.gui.annotation_helpers import demo_window, key
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


def test_review_rv_s34_close_asks_about_an_accept_not_landed_yet(qtbot, make_window, demo_dir: Path,
                                                                 tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(accept_worker, "BACKGROUND_PIXELS", 1)  # the demo photo counts as huge: the worker's path
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    doc = controller.document
    probability = np.zeros(doc.mask.shape, np.float32)
    probability[50:150, 50:250] = 0.9
    controller.set_probability(window.session.current_path, probability)
    Faults(monkeypatch).fail(f"{doc.image_id}.png", "write", errno.ENOSPC)  # its saves fail: the disk is full

    asked: list[str] = []
    controller.save_status.ask = lambda _parent, _problem: asked.append("images") or CloseChoice.CANCEL
    key(window, "Shift+A", settle=False)
    assert controller.accepting.pending, "the accept is prepared on the worker, not landed yet"
    assert not window.close(), "Cancel keeps the window"
    assert asked == ["images"], "the accept's failed save was asked about before the window closed"
    assert window.isVisible() and doc.history.labels() == ["accept prediction"]
