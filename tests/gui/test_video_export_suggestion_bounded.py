"""The video's Export frames dialog worked out its suggested destination on a thread of its own, one for
each opening: on a dead drive (the video's folder answering no ``stat``) ten openings left ten threads stuck
for good. It asks `app.annotation.free_folder.FreeFolderProbe`, as the image Export dialog does: one probe
runs per parent folder at a time, the openings meanwhile wait for it, and the dialog stays usable (a
destination typed is exported to)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.annotation import free_folder
from app.video import exporting
from app.video.export_dialog import VideoExportDialog
from fosp_core.data.datasets import open_dataset
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_export_dialog import _answer, _mark
from tests.gui.video_helpers import open_video

OPENINGS = 5


def test_a_hung_drive_holds_one_suggestion_thread_however_often_the_dialog_opens(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    _mark(qtbot, window, [2])
    drive = threading.Event()
    stuck: list[threading.Thread] = []

    def hung(folder: Path) -> bool:  # the video's folder on a dead drive: the look never returns (until released)
        stuck.append(threading.current_thread())
        drive.wait(60)
        return True

    monkeypatch.setattr(free_folder, "writable_folder", hung)  # the probe's look at the video's folder
    monkeypatch.setattr(exporting, "writable_folder", hung, raising=False)  # the dialog's own thread's, before
    mine = tmp_path / "mine"
    dialogs: list[VideoExportDialog] = []

    def steps(dialog: VideoExportDialog) -> None:
        dialogs.append(dialog)
        qtbot.waitUntil(lambda: bool(stuck), timeout=10_000)
        if len(dialogs) < OPENINGS:
            assert dialog.dst.text() == str(tmp_path / "clip-smokeseg")  # the plain one meanwhile
            dialog.reject()
            return
        dialog.dst.setText(str(mine))  # usable all the same: a destination typed goes
        dialog.ok_button.click()

    _answer(monkeypatch, steps)
    try:
        for _ in range(OPENINGS - 1):
            window.video.export_dialog()
        with qtbot.waitSignal(window.video.export_finished, timeout=20_000):
            window.video.export_dialog()
        qtbot.wait(200)  # a thread an opening would start has started by now
        alive = [t for t in stuck if t.is_alive()]
        assert len(alive) == 1, f"{len(alive)} threads stuck on the dead drive after {OPENINGS} openings"
        assert open_dataset(mine).ids == ["clip_000002"]
    finally:
        drive.set()
    qtbot.waitUntil(lambda: not any(t.is_alive() for t in stuck), timeout=10_000)
