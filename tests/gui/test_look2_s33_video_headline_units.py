"""The video panel's headline ("1280 × 720, 156 frames, 6 fps, 26.0 s") keeps each number with its unit:
at the dock's width it wrapped between "6" and "fps" (a screenshot of the demo video, 1280 x 720)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument, QTextOption

from app.video.panel import VideoPanel
from fosp_core.video.meta import VideoMeta


def _lines(html_text: str, width: int, font) -> list[str]:  # noqa: ANN001 - a QFont
    """The lines the rich text `html_text` is laid out in at `width` px (as the label lays it out)."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as a word-wrapping QLabel
    doc.setDefaultTextOption(option)
    doc.setHtml(html_text)
    doc.setTextWidth(width)
    doc.documentLayout().documentSize()  # laid out now
    lines = []
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return lines


@pytest.mark.parametrize("width", range(60, 260, 4))
def test_no_number_is_parted_from_its_unit(qtbot, tmp_path: Path, width: int) -> None:  # noqa: ANN001
    panel = VideoPanel()
    qtbot.addWidget(panel)
    meta = VideoMeta(path=tmp_path / "clip.mp4", width=1280, height=720, fps=6.0, frame_count=156)
    panel.set_info(meta)
    lines = _lines(panel.info_label.text(), width, panel.info_label.font())
    assert len(lines) >= 2
    shown = [line.replace("\u00a0", " ").strip("\u2028 ") for line in lines]
    for pair in ("1280 × 720", "156 frames", "6 fps", "26.0 s"):
        assert any(pair in line for line in shown), (pair, shown)
