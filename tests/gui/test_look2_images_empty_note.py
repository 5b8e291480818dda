"""The Images list says why it is empty, as the worklist does: nothing open, or a name filter that
matches no image (it was blank, with no hint)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


def _images(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = [folder / f"cam_{i}.png" for i in range(2)]
    for p in paths:
        Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(p)
    return paths


def test_the_images_list_says_why_it_is_empty(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    panel = window.images_panel
    note = panel.empty_note
    assert note.isVisible(), "nothing open: the list should say how to fill it"
    assert "Open" in note.text()

    window.open_paths(_images(tmp_path / "imgs"), remember=False, background=False)
    qtbot.waitUntil(lambda: len(window.session) == 2)
    assert not note.isVisible()

    panel.filter_edit.setText("zzz")
    panel.apply_filter()
    assert note.isVisible(), "a filter that matches nothing: the list should say so"
    assert '"zzz"' in note.text() and "2" in note.text()
    assert note.fontMetrics().boundingRect(note.rect(), int(note.alignment()) | 0x1000, note.text()).width() \
        <= note.width()  # wrapped into its width (0x1000: Qt.TextWordWrap)

    panel.filter_edit.clear()
    panel.apply_filter()
    assert not note.isVisible()
