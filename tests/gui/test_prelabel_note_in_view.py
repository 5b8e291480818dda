"""After Pre-label All, Run on all leaves the pre-labelled images out (their summary is of this model) and
the metrics note says why they have no scores (`readouts.UNSCORED_WHY`). On a 1366 x 768 laptop screen
that note lay below the Model dock's fold: the analyst had to scroll the dock to read it. It is in view,
the dock unscrolled. Tiny model, the demo's photos and labels; a screenshot of the dock is written for
a look (``FOSP_SHOTS``, else the test's tmp folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QScrollArea

from app.analysis.readouts import UNSCORED_WHY
from tests.gui.annotation_helpers import copy_demo
from tests.gui.model_dock_helpers import in_view, settle_at
from tests.gui.project_window import project_window
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


@pytest.mark.parametrize("reopened", [False, True])
def test_the_prelabelled_note_is_in_view_at_1366x768(qtbot, make_window, checkpoint, demo_dir, tmp_path,  # noqa: ANN001
                                                    reopened: bool) -> None:
    demo = copy_demo(demo_dir, tmp_path / "demo")
    window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    assert window.prelabel.prelabel_all(ask=False)
    report = window.prelabel.wait()
    assert report is not None and len(report.imported) == len(window.session)
    if reopened:  # the review's way (R2): reopened, the image shown runs again and is scored, the rest left out
        window.close()
        window, ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
        qtbot.waitUntil(lambda: ctl.prediction is not None and not ctl._runs, timeout=WAIT_MS)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert run_all(qtbot, ctl) is None  # every image left out: its summary is the pre-label's
    ctl.update_metrics()
    settle_at(window, 1366, 768)
    note = ctl.metrics.note
    assert UNSCORED_WHY in note.text(), note.text()
    area = ctl.model_dock.widget()
    assert isinstance(area, QScrollArea)
    shots = Path(os.environ.get("FOSP_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    ctl.model_dock.grab().save(str(shots / f"prelabel_note_1366x768{'_reopened' if reopened else ''}.png"))
    assert area.verticalScrollBar().value() == 0
    assert in_view(note, area), (note.mapTo(area.viewport(), QPoint(0, 0)), note.size(), area.viewport().size())
    for needed in (ctl.metrics.table, ctl.panel.run_all_button, ctl.panel.status_label):
        assert in_view(needed, area), needed
