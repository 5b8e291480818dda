"""The "Could not open" box fits a long file name in its width (shortened in the middle); the
whole path stays in its details and in the tooltip of the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextDocument, QTextOption
from PySide6.QtWidgets import QLabel

from app.services import DialogErrorReporter
from fosp_core.session import OpenError

LONG = "a_very_long_camera_name_" * 4 + "frame_000123.png"


def test_a_long_file_name_fits_the_error_box(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    reporter = DialogErrorReporter()
    path = tmp_path / LONG
    reporter.report(None, [OpenError(tmp_path / "broken_image.jpg", "the file is truncated"),
                           OpenError(path, 'not a recognised image format: the file is a text file beginning "garbage"')])
    box = reporter.dialog
    assert box is not None
    qtbot.addWidget(box)
    qtbot.waitExposed(box)
    label = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert label is not None and label.isVisible()
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)  # a QLabel draws its text from its contents rect
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as a QLabel wraps: at spaces only
    doc.setDefaultTextOption(option)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    assert doc.idealWidth() <= label.contentsRect().width() + 1, "a line runs past the label's right edge"
    assert label.geometry().right() <= box.contentsRect().right(), "the label runs past the box's right edge"
    assert "frame_000123.png" in label.text()  # the end of the name (its frame) still reads
    assert str(path) in box.detailedText()
    assert str(path) in label.toolTip()
    box.close()
