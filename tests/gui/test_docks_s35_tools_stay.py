"""With the Annotate dock's status line its first line (ec141322), its height moved the tools under it: a
prediction arriving takes its 'no prediction yet (...)' lines away, and the tool buttons jumped up ~40 px; the
next image (no prediction yet) moved them down again: a mouse user aiming at a tool after each image found it
elsewhere. The line keeps the tallest height it needed at its width, so the tools stay where they are."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QApplication, QToolButton

from tests.gui.annotation_helpers import open_and_wait

_NAME = "20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780"  # long, as the SmokeSeg samples'


def _settle(qtbot) -> None:  # noqa: ANN001
    for _ in range(3):
        for _ in range(8):
            QApplication.processEvents()
        qtbot.wait(20)


def test_docks_s35_a_prediction_arriving_does_not_move_the_tools(qtbot, make_window, tmp_path: Path) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    for i in range(2):
        Image.fromarray(np.full((64, 64, 3), 60 + i * 40, np.uint8)).save(folder / f"{_NAME}{i}.jpg")
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1366, 768)
    open_and_wait(qtbot, window, folder)
    dock = window.annotation.tool_dock
    dock.show()
    dock.raise_()
    _settle(qtbot)
    button = next(b for b in dock.findChildren(QToolButton) if b.isVisible())  # the first tool
    status = dock.status_label
    assert "no prediction yet" in status.text()
    before = button.mapTo(dock, button.rect().topLeft()).y()
    doc = window.annotation.controller.document
    assert doc is not None
    doc.set_probability(np.full(doc.shape, 0.2, np.float32))  # the model's map arrives
    _settle(qtbot)
    assert "no prediction yet" not in status.text()
    assert button.mapTo(dock, button.rect().topLeft()).y() == before, "the tools moved as the prediction arrived"
