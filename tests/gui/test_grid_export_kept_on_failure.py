"""Export Compare Grid that cannot be written leaves the file chosen as it was.

Found in the analyst's day of session 29 (task I) on a 1 px wide, 4000 px tall image: the grid's PNG
(1800 px wide, its height following the image's aspect) is too tall for a PNG, the save fails, and
Qt's writer had already opened the file: an old grid chosen to be replaced was truncated to 0 bytes,
and a new name was left as an empty ``.png`` beside the message "could not write". The grid is now
written to a temporary file beside it and renamed over the target only once written. Since the grid's
panels are letterboxed (db2bbcf) that strip's grid is written, so the test now has Qt's writer fail as it
did there: it opens (truncates) the file it was given, then reports failure."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage

from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_a_grid_that_cannot_be_written_leaves_the_file_as_it_was(qtbot, make_window, checkpoint, tmp_path,
                                                                  monkeypatch) -> None:
    image = tmp_path / "images" / "tall.png"
    image.parent.mkdir()
    assert cv2.imwrite(str(image), np.random.default_rng(0).integers(0, 255, (4000, 1, 3), dtype=np.uint8))
    window, ctl = ready_window(qtbot, make_window, checkpoint, [image], tmp_path / "projects")
    with qtbot.waitSignal(ctl.worker.done, timeout=WAIT_MS):
        ctl.run_current()
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)

    out = tmp_path / "figures"
    out.mkdir()
    old = out / "kept.png"
    old.write_bytes(b"an earlier grid")

    def failing_writer(image: QImage, name: str, *args: object) -> bool:
        Path(name).write_bytes(b"")  # Qt's writer opened the file before the encoder gave up
        return False

    monkeypatch.setattr(QImage, "save", failing_writer)
    assert ctl.export_grid(old) is False
    assert old.read_bytes() == b"an earlier grid"
    assert ctl.export_grid(out / "new.png") is False
    assert sorted(p.name for p in out.iterdir()) == ["kept.png"]  # no empty new.png, no temporary file
