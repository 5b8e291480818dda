"""A legend's colour items stay whole when the note wraps: at 1366 x 768 the prediction mask's
legend read "■ probability above the mask threshold ■ its" on one line and "edge" on the next (the
mark apart from its words), and the error map's "false positive" could break after "false"
(U+FFFC: a colour mark, an inline image)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from app.analysis.layer_list import LayerList
from fosp_core.analysis.layers import LayerStack

#: Items short enough to keep on one line at any dock width the app allows.
WHOLE = ("its edge", "false positive", "false negative")


def _lines(html: str, width: int, font) -> list[str]:  # noqa: ANN001 - a QFont
    """The lines `html` wraps into at `width` px in `font`, as a word-wrapping QLabel lays it out."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.size()  # lays the text out
    lines: list[str] = []
    block = doc.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(text[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return lines


@pytest.mark.parametrize("name", ["prediction mask", "error map"])
def test_legend_items_never_split_across_lines(qtbot, name: str) -> None:
    layers = LayerList(LayerStack())
    qtbot.addWidget(layers)
    layers.select(name)
    layers.show()
    note = layers.legend.note
    items = [words for words in WHOLE if words in layers.legend.text()]
    assert items, layers.legend.text()
    one_line_seen = several_lines_seen = False
    for width in range(layers.minimumSizeHint().width(), 560, 4):
        layers.resize(width, 600)
        QApplication.processEvents()
        lines = [" ".join(line.replace("\u00a0", " ").split())
                 for line in _lines(note.text(), note.contentsRect().width(), note.font())]
        for words in items:
            assert any(f"\ufffc {words}" in line for line in lines), (width, words, lines)  # mark and words
        one_line_seen |= len(lines) == 1
        several_lines_seen |= len(lines) > 1
    assert one_line_seen and (several_lines_seen or name == "error map")  # both layouts were checked
