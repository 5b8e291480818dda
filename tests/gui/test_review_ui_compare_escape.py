"""Review as a user (R2, Compare Two Checkpoints on the 30 SmokeSeg pairs): Escape hid the dialog while
a comparison ran and the comparison went on unseen (3 rows at the key, 11 three seconds later, both
checkpoints on every image), where Close - and closing the dialog's window - cancel it. Escape is the
keyboard's Close: it cancels the comparison too."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import save_tiny_checkpoint

WAIT_MS = 60_000


@pytest.fixture
def checkpoint(tmp_path: Path) -> Path:
    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")


@pytest.mark.parametrize("how", ["escape", "close button"])
def test_escape_or_close_during_a_comparison_cancels_it(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                        checkpoint: Path, how: str) -> None:
    window = make_window(default_model=checkpoint)
    window.analysis.worker.set_input_size(64)
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    window.open_paths(paths, remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    dialog = window.training.open_compare(checkpoint, checkpoint)
    ended: list[bool] = []
    dialog.compared.connect(ended.append)
    assert dialog.start() and dialog.running()
    if how == "escape":  # while both checkpoints load: nothing compared yet
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "Close").click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: bool(ended), timeout=WAIT_MS)
    assert ended == [True], ended  # cancelled, not run to its end unseen
    assert len(dialog.rows) < len(paths)
