"""Saved masks past a cut-short file's readable end are told on open (panel, status bar, a non-modal
notice), and kept on disk (fosp_core.video.numbering_check)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt

from fosp_core.video.timeline import VideoAnnotations, own_folder
from tests.cut_clip import cut, write_h264_clip
from tests.gui.video_helpers import open_video


def test_masks_past_the_readable_end_are_told_once_and_kept(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    clip = cut(write_h264_clip(tmp_path / "whole.mp4", frames=36), tmp_path / "cut.mp4", 0.4)
    folder = own_folder(tmp_path / "video-state", clip, clip.stem)
    saved = VideoAnnotations(clip, 36, (120, 160), stem=clip.stem, folder=folder)  # saved when it was whole
    for frame in (2, 30, 33):
        saved.save_mask(frame, np.ones((120, 160), np.uint8))
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    panel = window.video.panel
    text = panel.numbering_label.text().replace("\u200b", "")
    assert panel.numbering_label.isVisible() and "2 masks (frames 30, 33) past the file's readable end" in text
    assert str(folder / "masks") in text
    notice = panel.numbering_notice
    assert notice is not None and notice.isVisible()
    assert notice.windowModality() == Qt.WindowModality.NonModal
    assert "frames 30, 33" in window.statusBar().currentMessage()
    assert all(saved.mask_path(f).is_file() for f in (2, 30, 33))  # nothing deleted or moved
    notice.close()
