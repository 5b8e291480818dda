"""Session 32 review: Save Now (Ctrl+S) waited on the GUI thread for the mask saves under way with no end
(``OpenDocuments.flush``): a mask save held by a disk that no longer answers (a network drive gone) froze
the window for good on one Ctrl+S. It now waits a bounded time (``save_now.SAVE_NOW_WAIT_S``) and says the
saves are still under way; a later Ctrl+S, once the disk answers, says all is on disk. Session 33: it does not
wait on the GUI thread at all - "Saving: ..." at once, the outcome said when the disk answers
(tests/gui/test_disk_s33_dead_disk_window.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication

import app.annotation.save_now as save_now_module
import fosp_core.annotation.mask_saves as mask_saves
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag
from tests.gui.keyboard_day_helpers import day_window


def test_save_now_on_a_disk_that_does_not_answer_says_still_saving(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                   tmp_path: Path, monkeypatch) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))
    answers = threading.Event()  # the disk answers again
    real_write = mask_saves._write

    def held_write(job: object) -> None:
        answers.wait()  # the save thread, stuck in the write as on a dead mount
        real_write(job)

    monkeypatch.setattr(mask_saves, "_write", held_write)
    # without a bounded wait Ctrl+S would never return: the disk answers after a while so that the test ends
    rescue = threading.Timer(5.0, answers.set)
    rescue.start()
    try:
        controller.state.set_tool(Tool.BRUSH)
        window.canvas.setFocus()
        drag(window, [(100, 100), (200, 120)], settle=False)  # its save held by the disk
        doc, project = controller.document, controller.project
        assert doc is not None and project is not None
        window.annotation.actions.save_now.trigger()
        assert told and told[-1].startswith("Saving: waiting for the disk"), told
        assert not answers.is_set(), "Save Now waited until the disk answered"
    finally:
        answers.set()
        rescue.cancel()
    assert save_now_module.SaveNowWait  # the outcome comes once the disk answers, said as before
    qtbot.waitUntil(lambda: told[-1].startswith("Saved: every edit is on disk"), timeout=20_000)
    assert project.is_saved(doc)
    saved = np.asarray(Image.open(project.mask_path(doc.image_id)))
    assert np.array_equal(saved, doc.mask)



def test_save_now_while_an_import_holds_the_tools_names_no_video_frame(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                                      tmp_path: Path) -> None:
    """An import of labels (or Pre-label All) lends the tools no document (`HELD_KEYS`): Ctrl+S said 'Each
    frame's edit is saved as it is made ... (Save Now is for images)', on images, with no video open."""
    from app.annotation.import_view import HELD_KEY, PRELABEL_HELD_KEY
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    told: list[str] = []
    controller.message.connect(lambda text, *_: told.append(text))
    for key in (HELD_KEY, PRELABEL_HELD_KEY):
        controller.attach_document(None, key)  # as LabelImports._hold_tools does
        window.annotation.actions.save_now.trigger()
        assert told and "frame" not in told[-1] and told[-1].startswith("Nothing to save"), told
        assert key in told[-1]
        controller.detach_document()
