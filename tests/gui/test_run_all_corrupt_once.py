"""Run on all over a folder with corrupt images, asked for as soon as the folder is listed (its
thumbnails still on their way): each corrupt file was told twice, once by the window ('Could not open 1
item', the file dropped from the list as its thumbnail failed) and once more by the analysis in red
('cannot read notes.jpg: cannot read image /…/notes.jpg: not a recognised image format …', the name
twice over), which stayed in the Model panel after the run. An image the run cannot read now goes to
the session as one that turned out unreadable, as a failed thumbnail does: dropped from the list and
told once, by whichever of the two came first; the run goes on and ends 'ready'."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint
from tests.odd_inputs import mixed_folder


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny.safetensors")


def test_a_corrupt_image_is_told_once(qtbot, make_window, checkpoint, tmp_path) -> None:
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(checkpoint)
    good, (notes,) = mixed_folder(tmp_path / "odd", bad=["text_as_jpg"])
    assert notes.name == "notes.jpg"
    assert len(window.open_paths([notes.parent], remember=False)) == 3  # listed, no image decoded yet
    assert run_all(qtbot, ctl) is not None  # Run on all at once, the thumbnails on their way
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: notes.resolve() not in window.session.paths, timeout=WAIT_MS)
    for _ in range(10):  # a thumbnail's failure still on its way
        QApplication.processEvents()

    told = [e.path.name for e in window.services.error_reporter.errors] + ctl.errors
    assert sum("notes.jpg" in str(t) for t in told) == 1, told
    assert [p.name for p in window.session.paths] == [p.name for p in good]
    assert len(ctl.cache) == 2  # the readable images ran
    assert ctl.panel.status_label.text().startswith("Model ready"), ctl.panel.status_label.text()
