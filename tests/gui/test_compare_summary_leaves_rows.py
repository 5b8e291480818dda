"""Compare Two Checkpoints keeps its table's rows in view under a long summary: a run on a project's
masks with a fine-tune of the default (ground truth sources, trained-on account, held-out scores) says
17 lines, and the summary label above the table/previews splitter grew to hold them all, leaving the
table about one row at the dialog's size on a 1366 x 768 screen (seen in a capture). The summary now
scrolls in a box of a few lines."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt

from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.compare import CompareRow
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import save_tiny_checkpoint


def test_a_long_summary_leaves_the_table_its_rows(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    a = save_tiny_checkpoint(tmp_path / "a.safetensors", seed=0)
    b = save_tiny_checkpoint(tmp_path / "b.safetensors", seed=1)
    window = make_window(default_model=a)
    dialog: CompareDialog = window.training.open_compare(a, b)
    dialog.resize(784, 752)  # its size on a 1366 x 768 screen
    qtbot.waitExposed(dialog)
    for i in range(6):
        dialog.table.add_row(CompareRow(Path(f"/p/image_{i}.jpg"), (0.01, 0.02), 0.5, None, math.nan))
    dialog.summary.setText("<br>".join(f"line {i} of the summary" for i in range(17)))
    qtbot.wait(50)
    row = dialog.table.rowHeight(0)
    assert dialog.table.viewport().height() >= 4 * row, (dialog.table.viewport().height(), row)
    assert "line 16 of the summary" in dialog.summary.text()  # all of it still there, scrolled to
    box = dialog.summary.parentWidget().parentWidget()
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus  # Tab, then the arrows scroll it
    dialog.summary.clear()
    assert box.height() == 0 and box.focusPolicy() == Qt.FocusPolicy.NoFocus  # no invisible Tab stop
    dialog.close()
