"""The image list shows each name whole where the row has the lines for it. SMOKE5K's photos are
named by time ("1528757586_+00180.jpg"): at 1366 px the list elided every one to "152875...80.jpg"
in one line, the digits that tell them apart cut, and two rows of eight read the same. The name
now wraps anywhere on the lines a thumbnail's row holds; a name too long for them keeps its start
and its end (the extension, the frame number), its middle elided on the last line."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtGui import QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from app.name_delegate import name_lines


def _drawn_names(window) -> list[str]:  # noqa: ANN001
    """What the list's delegate draws as each row's name (its lines joined)."""
    view = window.image_list
    delegate = view.itemDelegate()
    drawn: list[str] = []
    image = QImage(400, 200, QImage.Format.Format_ARGB32)
    for row in range(view.list_model.rowCount()):
        index = view.list_model.index(row)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualRect(index)
        option.rect.moveTo(0, 0)
        painter = QPainter(image)
        delegate.paint(painter, option, index)
        painter.end()
        drawn.append("".join(delegate.last_lines))
    return drawn


def test_smoke5k_names_are_shown_whole_at_1366(qtbot, make_window, tmp_path: Path, shared_data: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for path in sorted((shared_data / "smoke5k-train" / "img").iterdir())[:8]:
        shutil.copy(path, folder)
    window = make_window(show=True)
    window.resize(1366, 768)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: window.image_list.list_model.rowCount() == 8, timeout=10000)
    names = [window.session.names[i] for i in range(8)]
    assert _drawn_names(window) == names  # each whole, so each different


def test_name_lines_wrap_anywhere_and_keep_both_ends_when_too_long(qtbot, make_window) -> None:
    metrics = QFontMetrics(make_window().font())
    name = "1528757586_+00180.jpg"
    width = metrics.horizontalAdvance(name) * 2 // 3
    lines = name_lines(name, metrics, width, 3)
    assert "".join(lines) == name and len(lines) == 2
    assert all(metrics.horizontalAdvance(line) <= width for line in lines)
    long = "20200829_inside-Mexico_cp-s-mobo-c__1598725736_+01920.jpg"
    lines = name_lines(long, metrics, metrics.horizontalAdvance("20200829_insi"), 2)
    assert len(lines) == 2 and lines[0].startswith("20200829") and lines[1].endswith("0.jpg")
    assert "…" in lines[1]
    assert name_lines(name, metrics, 10_000, 1) == [name]  # fits: one line
