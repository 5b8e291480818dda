"""The Export dialogs refuse a destination that holds what they export from, before anything is
written: the image Export dialog with "Replace the destination" ticked and the project's images folder
(`demo/JPEGImages`) as destination deleted the images (only the command line checked); the video's
Export frames dialog with the video's folder deleted the video. Each now says why in the dialog,
naming a file that would be lost, when OK is pressed or a folder is browsed to."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from app.annotation.export_dialog import ExportDialog
from app.video.export_dialog import VideoExportDialog
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import demo_window


def _export_dialog(qtbot, make_window, demo_dir: Path, tmp_path: Path) -> ExportDialog:  # noqa: ANN001
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    return dialog


def _press_export(dialog: ExportDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.mark.parametrize("overwrite", [True, False])
def test_export_dialog_refuses_the_images_folder_before_exporting(qtbot, make_window, demo_dir: Path,
                                                                  tmp_path: Path, overwrite: bool) -> None:
    dialog = _export_dialog(qtbot, make_window, demo_dir, tmp_path)
    images = tmp_path / "demo" / "JPEGImages"
    before = sorted(images.iterdir())
    dialog.dst.setText(str(images))
    dialog.overwrite.setChecked(overwrite)
    _press_export(dialog)
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # the worker's check, before it writes
    assert dialog.worker is None  # nothing exported
    said = dialog.error_label.text()
    assert dialog.error_label.isVisibleTo(dialog) and str(images / before[0].name) in said
    assert "holds the project's own files" in said and dialog.overwrite.text() not in said  # no "tick Replace"
    assert sorted(images.iterdir()) == before
    dialog.reject()


def test_export_dialog_refuses_the_folder_of_the_projects_masks(qtbot, make_window, demo_dir: Path,
                                                                tmp_path: Path) -> None:
    dialog = _export_dialog(qtbot, make_window, demo_dir, tmp_path)
    projects = tmp_path / "projects"  # the app's projects, apart from the images
    before = sorted(str(p) for p in projects.rglob("*"))
    dialog.dst.setText(str(projects))
    dialog.overwrite.setChecked(True)
    _press_export(dialog)
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # the worker's check, before it writes
    assert dialog.worker is None and str(dialog.project.folder) in dialog.error_label.text()
    assert sorted(str(p) for p in projects.rglob("*")) == before
    dialog.reject()


def test_export_dialog_says_so_when_such_a_folder_is_browsed_to(qtbot, make_window, demo_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _export_dialog(qtbot, make_window, demo_dir, tmp_path)
    labels = tmp_path / "demo" / "SegmentationClass"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(labels))
    dialog._browse()
    assert dialog.dst.text() == str(labels)
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)  # checked on a thread of its own
    assert dialog.error_label.isVisibleTo(dialog) and "holds the project's own files" in dialog.error_label.text()
    dialog.dst.setText(str(tmp_path / "elsewhere"))  # another folder: the reason no longer holds
    assert not dialog.error_label.isVisibleTo(dialog)
    dialog.reject()


def test_video_export_dialog_refuses_the_videos_folder(qtbot, make_window, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "clip.mp4", frames=12)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([clip], remember=False)
    window.video.annotations.save_mask(2, np.ones(window.video.annotations.shape, np.uint8))
    said: list[str] = []

    def steps(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(tmp_path))
        dialog.overwrite.setChecked(True)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: not dialog.checking, timeout=20000)  # checked on a thread of its own
        said.append(dialog.error_label.text() if dialog.error_label.isVisibleTo(dialog) else "")

    def exec_(dialog: VideoExportDialog) -> int:
        steps(dialog)
        return dialog.result()

    monkeypatch.setattr(VideoExportDialog, "exec", exec_)
    window.video.export_dialog()
    assert said and str(clip) in said[0] and "holds the video's own files" in said[0]
    assert window.video.exporter._threads == [] and clip.is_file()  # no export started
