"""An export removes the unfinished copy a killed export left beside its destination before it writes its first
image (`fosp_core.data.smokeseg_debris`). Cancelled after that (Cancel closes the dialog), it said nothing: the
space freed and the dead export were only in a report a cancelled export never makes. The worker now tells each
as it is settled (``cleaned``) and the window's status bar says it after the cancel."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

import app.annotation.export_worker as export_worker
from fosp_core.annotation.document import Status
from fosp_core.io.images import read_image
from tests.gui.annotation_helpers import demo_window
from tests.unit.test_export_report_cleaned import dead_export_beside

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")


def test_a_cancel_after_the_cleaning_says_it(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    project = window.annotation.controller.project
    for image_id in project.ids[:2]:
        mask = np.zeros(read_image(project.image_path(image_id)).rgb.shape[:2], np.uint8)
        mask[10:60, 10:60] = 1
        project.save_mask(image_id, mask, Status.EDITED)
    first_image, release = threading.Event(), threading.Event()
    export = export_worker.export_smokeseg

    def held(*args, progress, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the first image written waits here
        def waiting(done: int, total: int | None) -> None:
            first_image.set()
            release.wait(30)
            progress(done, total)
        return export(*args, progress=waiting, **kwargs)

    monkeypatch.setattr(export_worker, "export_smokeseg", held)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.probing)
    dst = tmp_path / "out"
    debris = dead_export_beside(dst, 120_400_000)
    dialog.dst.setText(str(dst))
    dialog.start()
    try:
        qtbot.waitUntil(first_image.is_set, timeout=20000)
        assert not debris.exists()  # removed before the first image
        dialog.reject()  # Cancel: the dialog closes, the export stops after the image being written
    finally:
        release.set()
    said = (f"Export cancelled: nothing written to {dst}; before that it removed a dead export's unfinished copy "
            f"beside it: {debris.name}, 120.4 MB")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == said, timeout=20000)
    assert dialog.report is None and not dst.exists() and not dialog.isVisible()
