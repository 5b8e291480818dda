"""While Import Labels runs, the image shown keeps its saved mask on the canvas, read-only
(`app.annotation.import_view`); when the import then writes that very image, the canvas shows the
imported mask (before, the mask it had when browsed to stayed until the import ended). Through the
real window, offscreen; the import is held between masks by a gate. No timings: what the layer holds."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.data.types import SMOKE
from tests.gui.annotation_helpers import demo_window

SAFETY_S = 20  # only so that a broken build cannot hang the suite; no assertion depends on it
GATE_S = 3 * SAFETY_S  # the import's wait at the gate outlasts any wait of the test


def test_the_shown_mask_is_refreshed_when_the_import_writes_its_image(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui, session = window.annotation, window.session
    controller, project = ui.controller, ui.worklist.project
    ids = list(project.ids)
    saved: list[str] = []
    gate = threading.Semaphore(0)  # one release lets the import go past one mask
    save_mask = Project.save_mask

    def gated_save(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
        save_mask(project, image_id, *args, **kwargs)
        saved.append(image_id)
        assert gate.acquire(timeout=GATE_S)

    empty = np.zeros_like(controller.document.mask)
    project.save_mask(ids[2], empty)  # the image browsed to has no smoke until the import writes it
    monkeypatch.setattr(Project, "save_mask", gated_save)
    assert ui.start_import(demo_dir)
    qtbot.waitUntil(lambda: saved == ids[:1], timeout=SAFETY_S * 1000)
    session.set_current(2)  # not written yet: its saved (empty) mask, read-only
    view = ui.imports.view
    qtbot.waitUntil(lambda: view.shown == ids[2], timeout=SAFETY_S * 1000)
    assert np.array_equal(controller.layer.mask, empty)
    gate.release()
    gate.release()  # ids[1], then ids[2] written: the import waits after ids[2]'s save
    qtbot.waitUntil(lambda: saved == ids[:3], timeout=SAFETY_S * 1000)
    gate.release()  # its progress comes; the import waits after ids[3]'s save
    qtbot.waitUntil(lambda: saved == ids[:4], timeout=SAFETY_S * 1000)
    imported = project.load_mask(ids[2])
    assert imported is not None and (imported == SMOKE).any()
    qtbot.waitUntil(lambda: np.array_equal(controller.layer.mask, imported), timeout=SAFETY_S * 1000)
    assert view.shown == ids[2] and controller.document is None  # still read-only: the import runs
    ui.imports.cancel()
    gate.release()
    ui.imports.wait()
    assert controller.document is not None and np.array_equal(controller.layer.mask, imported)
