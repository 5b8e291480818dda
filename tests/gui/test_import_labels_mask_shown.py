"""While Import Labels runs on its worker, the canvas keeps showing masks: each image browsed to shows
its saved mask as it is on disk (one the import has written: the imported mask), read-only (the tools
have no document and say why; the tool dock says it is shown read-only), and the status bar says how
far the import is. Before, the mask layer was cleared at the start and every image browsed to showed
none until the import ended. No timings: what the layer holds, what the window says."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.annotation.import_job import ImportJob
from fosp_core.annotation.project import Project
from fosp_core.data.types import SMOKE
from tests.gui.annotation_helpers import demo_window

SAFETY_S = 60  # only so that a broken build cannot hang the suite; no assertion depends on it


def _pause_after(monkeypatch: pytest.MonkeyPatch, n: int, job_of: Callable[[], ImportJob | None]) -> threading.Event:
    """The import thread waits after its `n`-th mask until the import is cancelled; set when it waits."""
    paused, saved = threading.Event(), []
    save_mask = Project.save_mask

    def paused_save(project: Project, image_id: str, *args: object, **kwargs: object) -> None:
        save_mask(project, image_id, *args, **kwargs)
        saved.append(image_id)
        job = job_of()
        if len(saved) == n and job is not None:
            paused.set()
            assert job.stop.wait(SAFETY_S)

    monkeypatch.setattr(Project, "save_mask", paused_save)
    return paused


def test_browsing_during_an_import_shows_each_saved_mask_read_only(qtbot, make_window, demo_dir: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    ui, session = window.annotation, window.session
    controller, project = ui.controller, ui.worklist.project
    ids = list(project.ids)
    first = controller.document.mask.copy()
    paused = _pause_after(monkeypatch, 2, lambda: ui.imports.job)
    assert ui.start_import(demo_dir)
    qtbot.waitUntil(lambda: paused.is_set() and ui.imports.dialog.value() == 1)

    view = ui.imports.view
    qtbot.waitUntil(lambda: view.shown == ids[0])  # the image shown keeps a mask on the canvas
    assert np.array_equal(controller.layer.mask, first) or np.array_equal(controller.layer.mask,
                                                                          project.load_mask(ids[0]))
    session.next()  # written by the import already: its imported mask
    qtbot.waitUntil(lambda: view.shown == ids[1])
    imported = project.load_mask(ids[1])
    assert imported is not None and (imported == SMOKE).any()
    assert np.array_equal(controller.layer.mask, imported)
    session.set_current(3)  # not reached: its mask as it was (none yet: an empty one)
    qtbot.waitUntil(lambda: view.shown == ids[3])
    assert controller.layer.mask is not None and not (controller.layer.mask == SMOKE).any()

    assert controller.document is None and controller.editable() is None  # read-only: the tools say why
    assert "read-only until the import ends" in window.statusBar().currentMessage()
    ui.tool_dock.show_status()
    assert "read-only" in ui.tool_dock.status_label.text()
    ui.imports.cancel()
    ui.imports.wait()
    assert view.shown is None and controller.document is not None  # editable again, reloaded
    assert controller.document.image_id == ids[3] and np.array_equal(controller.layer.mask, controller.document.mask)
