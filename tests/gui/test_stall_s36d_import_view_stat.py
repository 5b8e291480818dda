"""While Import Labels runs, browsing to an image and each mask the import wrote stat-ed the image's mask file on
the GUI thread (`app.annotation.import_view._file_state`: what `HeldMaskView.refresh` compares to know the shown
image's mask was written since it was read): on a share that stopped answering it held the window (session 36).

It is this process's count of writes of the file now (`fosp_core.annotation.saved_files_writes`, the import's
`save_mask` counted), in memory. The project's mask folder is a held share as in
`test_stall_s36_open_slow_share` (`ImageShare`: ``os.stat`` held for paths under it until released, each call's
thread kept); the import is held between masks by a gate as in `test_import_labels_mask_refresh`. No timings."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.data.types import SMOKE
from tests.gui.annotation_helpers import demo_window

from .test_stall_s36b_switch_images import ImageShare, turns_while_held

HELD_S = 5
SAFETY_S = 20  # only so that a broken build cannot hang the suite; no assertion depends on it
GATE_S = 3 * SAFETY_S


def test_stall_s36d_the_import_view_does_not_stat_masks_on_the_gui_thread(
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
    share = ImageShare(project.folder / "masks", HELD_S)
    try:
        assert ui.start_import(demo_dir)
        qtbot.waitUntil(lambda: saved == ids[:1], timeout=SAFETY_S * 1000)
        monkeypatch.setattr(os, "stat", share.hold("stat", os.stat, lambda path, *_: path))
        session.set_current(2)  # not written yet: its saved (empty) mask, read-only, read on the reader's thread
        qtbot.waitUntil(share.stuck.is_set, timeout=SAFETY_S * 1000)
        turns_while_held(qtbot, share)
        view = ui.imports.view
        share.released.set()  # from now on recorded, not held
        qtbot.waitUntil(lambda: view.shown == ids[2], timeout=SAFETY_S * 1000)
        assert np.array_equal(controller.layer.mask, empty)
        gate.release()
        gate.release()  # ids[1], then ids[2] written: the import waits after ids[2]'s save
        qtbot.waitUntil(lambda: saved == ids[:3], timeout=SAFETY_S * 1000)
        gate.release()  # its progress comes (the view told); the import waits after ids[3]'s save
        qtbot.waitUntil(lambda: saved == ids[:4], timeout=SAFETY_S * 1000)
        with ThreadPoolExecutor(1) as pool:  # the test's own read of the file, off the GUI thread too
            imported = pool.submit(project.load_mask, ids[2]).result()
        assert imported is not None and (imported == SMOKE).any()
        qtbot.waitUntil(lambda: np.array_equal(controller.layer.mask, imported), timeout=SAFETY_S * 1000)
        assert view.shown == ids[2] and controller.document is None  # still read-only: the import runs
        assert share.on_gui() == {}, share.on_gui()
        assert share.threads.get("stat")  # the reader's look, on its thread
    finally:
        share.released.set()
        ui.imports.cancel()
        gate.release()
        ui.imports.wait()
    assert controller.document is not None and np.array_equal(controller.layer.mask, imported)
