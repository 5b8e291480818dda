"""The video's Export frames dialog read its destination on the GUI thread when OK was pressed (`is_dir`,
`iterdir`, and `destination_problem`'s look for the video and its masks in it) and when a folder was browsed
to, so a destination on a dead network drive froze the window. The checks now run on a thread of their own
(`app.annotation.export_worker.refusal_words`, the image Export dialog's words): the GUI thread stats nothing
of the destination, and every refusal comes all the same once the drive answers. An export that removed a
dead export's unfinished copy beside its destination says so (`VideoExportReport.cleaned`), as the image
export does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from app.video import exporting
from app.video.export_dialog import VideoExportDialog
from fosp_core.data.smokeseg_debris import DeadExport
from fosp_core.video.testclip import write_clip
from tests.gui.test_export_dialog_checks_off_thread import drive_of  # noqa: F401 - the fixture
from tests.gui.test_video_export_dialog import _answer, _mark
from tests.gui.video_helpers import open_video
from tests.unit.test_export_report_cleaned import dead_export_beside

REPLACE = "Replace an earlier export there"


def test_a_full_destination_is_refused_without_a_stat_on_the_gui_thread(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                         drive_of) -> None:  # noqa: ANN001, F811
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "ImageSets").mkdir()  # an earlier export's (the user's own files: refused, Replace or not)
    dialog = VideoExportDialog(tmp_path / "out", {"keyframes": 3, "edited": 3})
    qtbot.addWidget(dialog)
    dialog.dst.setText(str(dst))
    drive = drive_of(dst)
    drive.counting = True
    dialog.ok_button.click()
    drive.counting = False
    assert drive.gui_calls == []  # was: stat and listdir of the destination on the GUI thread
    assert dialog.checking and not dialog.ok_button.isEnabled() and not dialog.error_label.isVisibleTo(dialog)
    drive.release()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
    assert dialog.error_label.isVisibleTo(dialog)
    assert dialog.error_label.text() == f"{dst} is not empty: choose another folder or tick \u201c{REPLACE}\u201d"
    assert dialog.overwrite.text() == REPLACE and dialog.ok_button.isEnabled()
    assert dialog.result() != VideoExportDialog.DialogCode.Accepted
    dialog.overwrite.setChecked(True)  # Replace: the same folder is taken
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
    assert dialog.result() == VideoExportDialog.DialogCode.Accepted
    assert sorted(p.name for p in dst.iterdir()) == ["ImageSets"]


def test_a_folder_edited_while_checked_is_not_taken_on_the_old_answer(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                      drive_of) -> None:  # noqa: ANN001, F811
    free = tmp_path / "free"
    dialog = VideoExportDialog(free, {"keyframes": 3, "edited": 3})
    qtbot.addWidget(dialog)
    drive = drive_of(free)
    dialog.ok_button.click()
    assert dialog.checking
    dialog.dst.setText(str(tmp_path / "other"))  # the answer about `free` no longer counts
    assert not dialog.checking and dialog.ok_button.isEnabled()
    drive.release()
    qtbot.wait(200)
    assert dialog.result() != VideoExportDialog.DialogCode.Accepted


def _video_window(qtbot, make_window, tmp_path: Path):  # noqa: ANN001, ANN202
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_video(qtbot, window, clip, tmp_path)
    _mark(qtbot, window, [2])  # a keyframe with a mask
    return window, clip


@pytest.mark.parametrize("overwrite", [True, False])
def test_the_video_s_folder_is_refused_without_a_stat_on_the_gui_thread(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                        drive_of, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001, F811
                                                                        overwrite: bool) -> None:
    window, clip = _video_window(qtbot, make_window, tmp_path)
    calls: list[list[str]] = []
    said: list[str] = []

    def steps(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(tmp_path))
        dialog.overwrite.setChecked(overwrite)
        drive = drive_of(tmp_path)
        drive.counting = True
        dialog.ok_button.click()
        drive.counting = False
        calls.append(list(drive.gui_calls))
        drive.release()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)
        said.append(dialog.error_label.text() if dialog.error_label.isVisibleTo(dialog) else "")

    _answer(monkeypatch, steps)
    window.video.export_dialog()
    assert calls == [[]]  # was: destination_problem's stats (and is_dir, iterdir) on the GUI thread
    assert said[0].startswith(f"{tmp_path}: ") and "holds the video's own files" in said[0] and str(clip) in said[0]
    assert window.video.exporter._threads == [] and clip.is_file()  # no export started


def test_a_folder_browsed_to_is_checked_off_the_gui_thread(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                           drive_of, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001, F811
    window, clip = _video_window(qtbot, make_window, tmp_path)
    said: list[tuple[list[str], str]] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(tmp_path))

    def steps(dialog: VideoExportDialog) -> None:
        drive = drive_of(tmp_path)
        drive.counting = True
        dialog._browse()
        drive.counting = False
        assert not dialog.error_label.isVisibleTo(dialog)
        drive.release()
        qtbot.waitUntil(lambda: dialog.error_label.isVisibleTo(dialog), timeout=20000)  # said before OK
        said.append((list(drive.gui_calls), dialog.error_label.text()))
        dialog.reject()

    _answer(monkeypatch, steps)
    window.video.export_dialog()
    assert said[0][0] == []  # was: destination_problem's stats on the GUI thread
    assert said[0][1].startswith(f"{tmp_path}: ") and "holds the video's own files" in said[0][1]


@pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")
def test_the_export_says_what_it_cleaned(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    window, _clip = _video_window(qtbot, make_window, tmp_path)
    dst = tmp_path / "out"
    debris = dead_export_beside(dst, 120_400_000)

    def steps(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(dst))
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)

    _answer(monkeypatch, steps)
    boxes: list[str] = []
    monkeypatch.setattr(exporting, "tell_quietly", lambda _parent, _title, text, _icon: boxes.append(text))
    with qtbot.waitSignal(window.video.export_finished, timeout=20_000) as blocker:
        window.video.export_dialog()
    report = blocker.args[0]
    assert not isinstance(report, str), report
    assert not debris.exists() and report.cleaned == [DeadExport(debris, 120_400_000)]
    said = f"removed a dead export's unfinished copy beside it: {debris.name}, 120.4 MB"
    assert said in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    assert len(boxes) == 1 and said in boxes[0]  # in a box until read too, not only the status bar's 20 s
