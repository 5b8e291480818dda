"""Closing the window while one project's disk does not answer (its recovery-log appends held) and another
project, on a disk that answers, has an edit just made: Close Anyway lets the stalled project go (its lock
left, a dead process's) and closes the other as usual - its edit in its mask file, its lock released. The dead
disk: the stalled project's log appends block on an Event, released at the end."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication

from app.annotation import close_waits
from fosp_core.annotation import log_sync, mask_saves
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag, open_and_wait
from tests.gui.keyboard_day_helpers import day_window
from tests.unit.crash_disk import make_images


def test_close_anyway_lets_the_stalled_project_go_and_closes_the_other_with_its_edit_saved(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:
    window = day_window(qtbot, make_window, demo_dir, tmp_path)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10_000)
    stalled = controller.project
    assert stalled is not None
    released = threading.Event()
    real = mask_saves.append_record

    def append(path: Path, line: bytes) -> None:
        if path.is_relative_to(stalled.folder):
            released.wait(30)  # the stalled project's disk does not answer
        real(path, line)

    monkeypatch.setattr(mask_saves, "append_record", append)
    monkeypatch.setattr(log_sync, "RECORD_WAIT_S", 0.05)
    monkeypatch.setattr(close_waits, "STUCK_AFTER_S", 0.05)
    asked: list[list[Path]] = []

    def answer(_parent, _controller, stuck):  # noqa: ANN001, ANN202
        asked.append([p.folder for p in stuck])
        return close_waits.StuckChoice.CLOSE_ANYWAY

    monkeypatch.setattr(close_waits, "ask_while_stuck", answer)
    try:
        controller.state.set_tool(Tool.BRUSH)
        window.canvas.setFocus()
        drag(window, [(100, 100), (200, 120)], settle=False)  # its record held by the dead disk
        healthy_folder = make_images(tmp_path / "healthy", seed=4, count=2)
        open_and_wait(qtbot, window, healthy_folder)
        healthy = controller.project
        assert healthy is not None and healthy is not stalled and stalled in controller.registry.projects
        controller.state.set_tool(Tool.BRUSH)
        doc = controller.document
        doc_mask_before = doc.mask.copy()
        drag(window, [(5, 5), (20, 12)], settle=False)  # an edit just made on the disk that answers
        assert not np.array_equal(doc.mask, doc_mask_before)
        want, image_id = doc.mask.copy(), doc.image_id
        lock = healthy.lock.path if healthy.lock is not None else None
        settles_within = close_waits._settles_within

        def the_answering_disk_answers_within_the_wait(seconds: float, settled, user_input: bool = True) -> bool:  # noqa: ANN001
            # the close lets saves end STUCK_AFTER_S (0.05 s here, for the stalled project's sake): on a loaded
            # machine the healthy project's save could take longer and be named too (seen under load); its disk
            # answers within the wait: the wait's loop runs until its save ended (bounded), then as before
            settles_within(20.0, lambda: healthy.saves_settle(0.0), user_input)
            return settles_within(seconds, settled, user_input)

        monkeypatch.setattr(close_waits, "_settles_within", the_answering_disk_answers_within_the_wait)
        window.close()
        assert not window.isVisible()
        assert asked == [[stalled.folder]], asked  # the healthy project not named, not let go
        saved = np.asarray(Image.open(healthy.mask_path(image_id)))
        assert np.array_equal(saved, want)
        assert not log_path(healthy.mask_path(image_id)).exists()  # its log gone with the save
        assert lock is not None and not lock.exists()  # released
    finally:
        released.set()
