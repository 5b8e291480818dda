"""Compare Two Checkpoints from the keyboard: Return (or Enter) on a row of the table opens that image in
the main view, as a double-click does. Found by the keyboard sweep of the retrain loop on 20 real photos:
Return on a row went to the dialog's default button, Compare, which ran the whole comparison again
(loading both checkpoints, every image: 40 s there) and the image was never opened; the status line
says how to open a row."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import save_tiny_checkpoint

WAIT_MS = 60_000


@pytest.fixture
def checkpoint(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_return_on_a_row_opens_its_image_and_compares_nothing_again(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                   demo_dir: Path, checkpoint: Path,
                                                                   key: Qt.Key) -> None:
    window = make_window(default_model=checkpoint)
    window.analysis.worker.set_input_size(64)
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    dialog = window.training.open_compare(checkpoint, checkpoint)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert "press Enter" in dialog.status.text()
    starts: list[bool] = []
    dialog.compare_button.clicked.connect(lambda: starts.append(True))
    dialog.table.setFocus()
    dialog.table.selectRow(len(paths) - 1)
    target = Path(dialog.table.item(len(paths) - 1, 0).data(Qt.ItemDataRole.UserRole + 1))
    assert window.session.current_path != target
    QTest.keyClick(dialog.table, key)
    assert starts == [] and not dialog.running()
    assert window.session.current_path == target
    assert dialog.table.rowCount() == len(paths)  # the rows stay
