"""The video's Export frames dialog as an annotator uses it day after day: export, label more, export
again to the same folder; a video in a folder nobody may write."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from app.main_window import MainWindow
from app.video.export_dialog import VideoExportDialog
from fosp_core.annotation import tools
from fosp_core.data.datasets import open_dataset
from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video


def settled(dialog: VideoExportDialog) -> VideoExportDialog:
    """`dialog` once the destination check OK waits for has answered (it runs on a thread of its own)."""
    deadline = time.monotonic() + 20
    while dialog.checking and time.monotonic() < deadline:
        QTest.qWait(10)
    assert not dialog.checking
    return dialog


def _answer(monkeypatch: pytest.MonkeyPatch, steps: Callable[[VideoExportDialog], None]) -> list[VideoExportDialog]:
    """The dialog, when shown, goes through `steps` (what the user does) instead of waiting for a user; as
    `exec` does, it returns once an OK pressed last has its destination checked."""
    shown: list[VideoExportDialog] = []

    def exec_(dialog: VideoExportDialog) -> int:
        shown.append(dialog)
        steps(dialog)
        return settled(dialog).result()

    monkeypatch.setattr(VideoExportDialog, "exec", exec_)
    return shown


def _mark(qtbot, window: MainWindow, frames: list[int]) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    for frame in frames:
        with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i, f=frame: i == f):
            video.seek(frame)
        assert tools.brush(video.document, [(80, 60), (90, 60)], 8)
        video.toggle_keyframe()


def test_exporting_again_to_the_same_folder_offers_to_replace_it(qtbot, make_window, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The second export to the dialog's (unchanged) destination failed after the dialog closed with
    'folder is not empty (pass overwrite=True / --overwrite to replace it)': words for the Python API and
    the command line, no folder named, and nothing in the dialog to replace it with."""
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    video = window.video
    dst = tmp_path / "out"
    _mark(qtbot, window, [2])

    def first(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(dst))
        dialog.ok_button.click()

    _answer(monkeypatch, first)
    with qtbot.waitSignal(video.export_finished, timeout=20_000):
        video.export_dialog()
    assert open_dataset(dst).ids == ["clip_000002"]

    _mark(qtbot, window, [5])
    said: list[str] = []

    def again(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(dst))
        dialog.ok_button.click()
        settled(dialog)  # not empty: the dialog stays and says what to do
        said.append(dialog.error_label.text() if dialog.error_label.isVisibleTo(dialog) else "")
        assert dialog.result() != VideoExportDialog.DialogCode.Accepted
        dialog.overwrite.setChecked(True)
        dialog.ok_button.click()

    shown = _answer(monkeypatch, again)
    with qtbot.waitSignal(video.export_finished, timeout=20_000) as blocker:
        video.export_dialog()
    assert len(shown) == 1
    assert str(dst) in said[0] and shown[0].overwrite.text() in said[0] and "overwrite=True" not in said[0]
    assert blocker.args[0].frames == [2, 5]
    assert open_dataset(dst).ids == ["clip_000002", "clip_000005"]


def test_a_video_in_a_folder_nobody_may_write_exports_elsewhere_by_default(qtbot, make_window, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog proposed '<video folder>/<stem>-smokeseg' even where nobody may write (a shared,
    read-only data folder such as ../shared/data/videos); run as root, OK wrote the dataset into it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    clip = write_clip(shared / "clip.mp4", frames=12)
    os.chmod(shared, 0o555)
    try:
        window = make_window(show=True)
        open_video(qtbot, window, clip, tmp_path)
        _mark(qtbot, window, [2])
        shown = _answer(monkeypatch, lambda dialog: (  # the suggestion is worked out on a thread: its answer
            qtbot.waitUntil(lambda: not dialog.suggesting, timeout=10000), dialog.reject()))
        window.video.export_dialog()
        proposed = Path(shown[0].dst.text())
        assert shared not in proposed.parents
        assert proposed.name == "clip-smokeseg"
    finally:
        os.chmod(shared, 0o755)
    assert sorted(p.name for p in shared.iterdir()) == ["clip.mp4"]


def test_a_video_in_a_writable_folder_exports_beside_it_by_default(qtbot, make_window, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    shown = _answer(monkeypatch, lambda dialog: dialog.reject())
    window.video.export_dialog()
    assert Path(shown[0].dst.text()) == tmp_path / "clip-smokeseg"


def test_the_export_shortcut_exports_the_video_s_frames_in_video_mode(qtbot, make_window, tmp_path: Path,
                                                                      demo_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Annotate > Export to SmokeSeg (Ctrl+E) and Import Labels, with a video on screen, worked on the image
    project put away behind it: Ctrl+E offered to export the demo images. In video mode they are off and
    Ctrl+E exports the video's frames; back on images, Ctrl+E exports the images again."""
    from app.annotation.export_dialog import ExportDialog
    from tests.gui.annotation_helpers import key

    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    with qtbot.waitSignal(window.loader.image_loaded, timeout=10_000):
        window.open_paths([image], remember=False)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    actions = window.annotation.actions
    assert not actions.export.isEnabled() and not actions.import_labels.isEnabled()
    shown = _answer(monkeypatch, lambda dialog: dialog.reject())
    window.canvas.setFocus()
    key(window, actions.export.shortcut().toString())
    assert len(shown) == 1  # the video's Export frames dialog
    assert not any(isinstance(w, ExportDialog) and w.isVisible() for w in window.findChildren(ExportDialog))
    from PySide6.QtWidgets import QDialog

    from app.annotation.shortcuts import ShortcutDialog

    dialog = ShortcutDialog(window.annotation.shortcuts, window)  # the keys are no clash for it
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    window.video.leave()
    assert actions.export.isEnabled() and actions.import_labels.isEnabled()
    key(window, actions.export.shortcut().toString())
    assert len(shown) == 1
    assert any(w.isVisible() for w in window.findChildren(ExportDialog))
