"""A video named as people name files (long, without spaces; with & or <) keeps the Video panel
whole: the name wraps in the panel instead of pushing its buttons out of the dock, and shows as
written instead of as markup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from fosp_core.video.testclip import write_clip
from tests.gui.video_helpers import open_video

LONG = "IJmond_blast_furnace_camera_2_recording_2019_10_06_dusk_steam_and_smoke_full_resolution"


def _inside(widget: QWidget, viewport: QWidget) -> bool:
    right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
    return widget.isVisible() and right <= viewport.width()


def _shown_text(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText().replace("\u200b", "")


def test_a_long_file_name_leaves_the_panel_s_buttons_in_view(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / f"{LONG}.mp4", frames=4), tmp_path)
    video = window.video
    video.load_model(tmp_path / f"{LONG}_checkpoint.safetensors")  # "Loading <name>…", then why it cannot
    qtbot.waitUntil(lambda: video.models.loading is None, timeout=10_000)
    qtbot.wait(50)
    assert "cannot load" in video.panel.model_label.text()
    viewport = video.panel_dock.widget().viewport()
    panel = video.panel
    for button in (panel.cancel_button, panel.undo_button, panel.predict_all_button, panel.carry_mode):
        assert _inside(button, viewport), button.text() if hasattr(button, "text") else button
    assert f"{LONG}.mp4" in _shown_text(panel.info_label.text())


def test_markup_in_a_file_name_shows_as_written(qtbot, make_window, tmp_path: Path) -> None:
    name = "smoke <i>test & co.mp4"
    clip = write_clip(tmp_path / "clip.mp4", frames=4).rename(tmp_path / name)
    window = make_window(show=True)
    open_video(qtbot, window, clip, tmp_path)
    assert name in _shown_text(window.video.panel.info_label.text())
