"""Import Labels' file dialog at its default 632 x 408: its title ran to 532 px ("Import Labels: a
dataset, a folder of masks or labelme files, a COCO .json or a CVAT .xml") and Qt's own column
widths elided the Type column (64 px for 100 of "JSON document"). The title is now short (the
formats are in the file-type filter) and Size, Type and Date Modified show their text whole."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QTreeView

from app.annotation.import_labels_dialog import LabelSourceDialog


def test_the_default_size_shows_a_short_title_and_whole_columns(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "instances_default.json").write_text("{}" * 3000)
    (tmp_path / "annotations.xml").write_text("<annotations/>")
    (tmp_path / "masks").mkdir()
    dialog = LabelSourceDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    files = dialog.findChild(QTreeView, "treeView")
    assert files is not None
    model = files.model()
    qtbot.waitUntil(lambda: model.rowCount(files.rootIndex()) == 3, timeout=5000)
    for _ in range(5):
        QApplication.processEvents()
    root = files.rootIndex()
    assert (dialog.width(), dialog.height()) == (632, 408)
    assert dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) <= dialog.width() // 2, dialog.windowTitle()
    assert "COCO" in dialog.nameFilters()[0] and "CVAT" in dialog.nameFilters()[0]  # the formats still said
    header = files.header()
    for column in (1, 2, 3):  # Size, Type, Date Modified
        texts = [str(model.index(row, column, root).data() or "") for row in range(model.rowCount(root))]
        widest = max(files.fontMetrics().horizontalAdvance(text) for text in texts)
        assert header.sectionSize(column) >= files.sizeHintForColumn(column), (column, texts)  # was 64 < 100 (Type)
        assert header.sectionSize(column) > widest, (column, header.sectionSize(column), widest)
    assert sum(header.sectionSize(c) for c in range(4)) <= files.viewport().width()  # no sideways scrolling
