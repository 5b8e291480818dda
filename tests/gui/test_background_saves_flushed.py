"""A stroke whose mask PNG is still being written in the background (`fosp_core.annotation.
mask_saves.MaskSaver`) is flushed before the app's export starts and before the window closes: it
is in the exported dataset, and on disk with its journal line after the window closed.

The PNG writer is held back: it writes nothing until someone waits for the save (a flush, or the
project's own `load_mask`), so a flush that came too late shows in the order of the events (the
export's reading of the masks started before the PNG was written) rather than as a lost stroke.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from app.annotation.export_dialog import ExportWorker
from fosp_core.annotation import mask_saves
from fosp_core.annotation.document import Status
from fosp_core.annotation.mask_saves import MaskSaver
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.save_worker import SETTLE_KEY
from fosp_core.io.masks import read_mask
from tests.gui.annotation_helpers import blank_demo_window, drag, key

WAIT_MS = 20000


class HeldSaves:
    """The background PNG writes held back until a save is waited for; `order` records, in order,
    ("wait", on the GUI thread?), ("written", image id) and ("export", None) when the export's
    worker starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.order: list[tuple[str, object]] = []
        self.gate = threading.Event()
        write, wait = mask_saves._write, MaskSaver.wait

        def held_write(job: mask_saves.SaveJob) -> None:
            self.gate.wait(WAIT_MS / 1000)  # released by the first wait (never reached in a passing run)
            write(job)
            if job.settles is None:  # a PNG (not the journal's fsync after it)
                self.order.append(("written", job.image_id))

        def waited(saver: MaskSaver, image_id: str | None = None, timeout: float | None = None) -> bool:
            if image_id != SETTLE_KEY:  # a wait for saves (not for the journal's fsync that follows)
                self.order.append(("wait", threading.current_thread() is threading.main_thread()))
            self.gate.set()
            return wait(saver, image_id, timeout)  # (a look with a timeout: the window's close, session 33)

        monkeypatch.setattr(mask_saves, "_write", held_write)
        monkeypatch.setattr(MaskSaver, "wait", waited)

    def release(self) -> None:
        self.gate.set()


@pytest.fixture()
def window(qtbot, make_window, demo_dir: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    window = blank_demo_window(qtbot, make_window, demo_dir, tmp_path)
    key(window, "B")  # the brush (settles any save before the writes are held)
    return window


def _held_stroke(window, monkeypatch: pytest.MonkeyPatch) -> tuple[HeldSaves, Project, str, np.ndarray]:  # noqa: ANN001
    """A brush stroke committed, its PNG write held back: (the saves, project, image id, its mask)."""
    saves = HeldSaves(monkeypatch)
    controller = window.annotation.controller
    project, doc = controller.project, controller.document
    drag(window, [(100, 100), (300, 100), (300, 300)], settle=False)
    assert doc.mask.any() and doc.status == Status.EDITED
    assert project._saver is not None and project._saver.busy(doc.image_id)  # the PNG not written yet
    assert log_path(project.mask_path(doc.image_id)).is_file()  # the commit is durable in the log
    assert saves.order == []
    return saves, project, doc.image_id, np.array(doc.mask)


def test_the_export_dialog_flushes_the_saves_before_the_export_starts(qtbot, window, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    saves, project, image_id, mask = _held_stroke(window, monkeypatch)
    run = ExportWorker.run

    def export_run(worker: ExportWorker) -> None:
        saves.order.append(("export", None))
        run(worker)

    monkeypatch.setattr(ExportWorker, "run", export_run)
    dialog = window.annotation.open_export_dialog()
    dst = tmp_path / "exported"
    dialog.dst.setText(str(dst))
    try:
        dialog.start()
        qtbot.waitUntil(lambda: dialog.report is not None or dialog.error is not None, timeout=WAIT_MS)
    finally:
        saves.release()
    assert dialog.error is None
    # the GUI thread waited for the save (session 33: by looks, the event loop turning), the PNG was written,
    # then the export started
    order = [step for step in saves.order if step != ("wait", True)]
    assert saves.order[0] == ("wait", True) and order[:2] == [("written", image_id), ("export", None)], saves.order
    exported = read_mask(dst / "SegmentationClass" / f"{image_id}.png")
    np.testing.assert_array_equal(exported, mask)
    assert image_id not in {i for i, _ in dialog.report.skipped}
    # and the save was taken: its journal line written, its log removed
    assert not log_path(project.mask_path(image_id)).exists()
    assert not project._saver.busy()


def test_closing_the_window_flushes_the_saves(qtbot, window, monkeypatch: pytest.MonkeyPatch) -> None:
    saves, project, image_id, mask = _held_stroke(window, monkeypatch)
    mask_file, folder = project.mask_path(image_id), project.folder
    try:
        assert window.close()
        order = list(saves.order)  # before the test lets the writer go
    finally:
        saves.release()
    # the close waited for the PNG (session 33: by looks on the GUI thread, the event loop turning between them)
    assert order[0] == ("wait", True) and ("written", image_id) in order, order
    # on disk as the save left it: the PNG holds the stroke, the log is gone (its journal line written)
    np.testing.assert_array_equal(read_mask(mask_file), mask)
    assert not log_path(mask_file).exists()
    with Project.open(folder, create=False) as reopened:
        assert reopened.recovered == []  # nothing was rebuilt from a log: the files held it all
        entry = reopened.entry(image_id)
        assert entry.status == Status.EDITED
        assert entry.smoke_ratio == pytest.approx(float((mask == 1).mean()))
